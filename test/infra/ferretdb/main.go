// Command ferretdb-sqlite runs FerretDB 1.x embedded (github.com/FerretDB/FerretDB/ferretdb) with the
// SQLite backend, for local and CI tests: a MongoDB wire-protocol server on loopback with no
// PostgreSQL and no Docker. Built by test/infra/infra.sh into the git-ignored .cache/infra/.
//
//	ferretdb-sqlite -listen 127.0.0.1:27017 -sqlite-dir .infra/ferretdb [-log-level info] [-sqlite-params ...]
//
// It stops cleanly on SIGTERM or SIGINT.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (host:port; port 0 picks a free one)")
	dir := flag.String("sqlite-dir", "ferretdb-data", "directory for the SQLite databases (one file per database)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn, error")
	addrFile := flag.String("addr-file", "", "if set, the actual listen address is written there once listening")
	sqliteParams := flag.String("sqlite-params", "_pragma=synchronous(normal)",
		"query parameters for the SQLite URI (FerretDB adds busy_timeout(10000), journal_mode(wal), auto_vacuum(none) unless given);\n"+
			"the default trades durability on power loss (not on a crash of this process) for speed: fine for tests")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	absDir, err := filepath.Abs(*dir)
	if err != nil {
		logger.Error("resolving -sqlite-dir", "error", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(absDir, 0o755); err != nil {
		logger.Error("creating -sqlite-dir", "error", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// The SQLite backend takes a directory URI that must end with a slash.
		SQLiteURL: sqliteURL(absDir, *sqliteParams),
	})
	if err != nil {
		logger.Error("starting FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// MongoDBURI blocks until the TCP listener is bound.
	uri := f.MongoDBURI()
	logger.Info("FerretDB listening", "uri", uri, "sqlite_dir", absDir)
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(uri+"\n"), 0o644); err != nil {
			logger.Error("writing -addr-file", "error", err)
		}
	}

	<-done
	logger.Info("FerretDB stopped")
}

func sqliteURL(dir, params string) string {
	u := "file:" + dir + "/"
	if params != "" {
		u += "?" + params
	}
	return u
}
