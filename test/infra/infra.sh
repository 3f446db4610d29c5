#!/usr/bin/env bash
# Test infrastructure on loopback, without Docker: a Kafka 3.9 broker (KRaft, combined
# broker+controller, one node) and FerretDB 1.24 (MongoDB wire protocol on SQLite).
#
#   bash test/infra/infra.sh up            # npm run infra:up   — fetch/build once, start, wait, write .infra/env
#   bash test/infra/infra.sh down [--purge] # npm run infra:down — stop both (--purge also deletes their data)
#   bash test/infra/infra.sh status
#
# Kafka's jars come from Maven Central (test/infra/kafka/pom.xml, `mvn dependency:copy-dependencies`);
# FerretDB is built from the Go module proxy (test/infra/ferretdb/, embedding FerretDB's `ferretdb` package).
# Both are cached under .cache/infra/ (git-ignored) and reused; runtime data, logs, pid files and
# the env file live under .infra/ (git-ignored).
#
# Environment (all optional):
#   INFRA_CACHE_DIR      where downloads and builds are cached      (default <repo>/.cache/infra)
#   INFRA_DATA_DIR       runtime data, logs, pids, env              (default <repo>/.infra)
#   INFRA_TIMEOUT        seconds to wait for each server to be ready (default 120)
#   INFRA_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_HEAP_OPTS      JVM heap of the broker                     (default -Xms128m -Xmx512m)
#   FERRETDB_LOG_LEVEL   debug | info | warn | error                (default info)
#   FERRETDB_SQLITE_PARAMS  SQLite URI query of the FerretDB backend (default: the binary's,
#                        _pragma=synchronous(normal); FerretDB adds busy_timeout, WAL, auto_vacuum)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=$(realpath -m "${INFRA_CACHE_DIR:-$ROOT/.cache/infra}")
RUN=$(realpath -m "${INFRA_DATA_DIR:-$ROOT/.infra}")
TIMEOUT=${INFRA_TIMEOUT:-120}
STOP_TIMEOUT=${INFRA_STOP_TIMEOUT:-30}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}
FERRETDB_LOG_LEVEL=${FERRETDB_LOG_LEVEL:-info}

KAFKA_POM=$HERE/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM")
MVN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
FERRETDB_SRC=$HERE/ferretdb
FERRETDB_TAGS=ferretdb_no_postgresql

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PROBE=(node "$HERE/probe.js")

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH (needed for $2)"; }
now() { date +%s; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
# The tail of a log, indented, on stderr.
show_log() { [ -f "$1" ] && { echo "---- last lines of $1 ----"; tail -n "${2:-40}" "$1" | sed 's/^/    /'; echo "----"; } >&2 || true; }

# --- processes ---------------------------------------------------------------------------------

# What identifies our process on its command line (guards against a recycled pid).
marker() {
  case "$1" in
    kafka) echo " kafka.Kafka $RUN/kafka/server.properties " ;;
    ferretdb) echo " -sqlite-dir $RUN/ferretdb/data " ;;
  esac
}

# Running (not a zombie) and ours.
is_ours() {
  local pid=$1 name=$2 state cmd
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || return 1
  [ "$state" != Z ] || return 1
  cmd=" $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$(marker "$name")"* ]]
}

pid_of() { # pid of a running server of ours, from its pid file (re-written if it was lost); empty if none
  local f="$RUN/$1.pid" pid=""
  [ -f "$f" ] && pid=$(tr -dc 0-9 <"$f")
  if is_ours "$pid" "$1"; then echo "$pid"; return 0; fi
  pid=$(stray_pids "$1" | head -n 1)
  if [ -n "$pid" ]; then echo "$pid" >"$f"; echo "$pid"; fi
}

stray_pids() { # our servers that have no pid file (e.g. it was deleted by hand)
  local name=$1 p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" != $$ ] && is_ours "$pid" "$name" && echo "$pid"
  done 2>/dev/null || true
}

# Start "$@" detached (own session, no stdin, output to a log), re-parented to init so that it
# is never our zombie; the process writes its own pid file before it execs the server.
spawn() {
  local name=$1; shift
  rm -f "$RUN/$name.pid"
  # shellcheck disable=SC2016 # $$ and $0 belong to the inner bash
  (setsid nohup bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$RUN/$name.pid" "$@" \
    >>"$RUN/$name.log" 2>&1 </dev/null 9>&- &)
  local i
  for i in $(seq 1 100); do
    [ -s "$RUN/$name.pid" ] && return 0
    sleep 0.05
  done
  die "$name did not start (no pid file after 5 s); see $RUN/$name.log"
}

stop_pids() { # stop_pids NAME PID...: SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL
  local name=$1; shift
  [ $# -gt 0 ] || return 0
  log "stopping $name (pid $*)"
  kill -TERM "$@" 2>/dev/null || true
  local deadline=$(( $(now) + STOP_TIMEOUT )) left pid
  while :; do
    left=()
    for pid in "$@"; do is_ours "$pid" "$name" && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && { log "$name stopped"; return 0; }
    [ "$(now)" -ge "$deadline" ] && break
    sleep 0.2
  done
  log "$name still running after ${STOP_TIMEOUT}s: SIGKILL ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  local still
  for _ in $(seq 1 50); do
    still=()
    for pid in "${left[@]}"; do is_ours "$pid" "$name" && still+=("$pid"); done
    [ ${#still[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  log "WARNING: $name pid ${still[*]} survived SIGKILL"
}

# --- fetch and build (cached) ------------------------------------------------------------------

KAFKA_HOME=$CACHE/kafka/$KAFKA_VERSION-$(hash_of "$KAFKA_POM" <(echo "$MVN_DEPENDENCY_PLUGIN"))
FERRETDB_BIN=$CACHE/ferretdb/ferretdb-sqlite-$(hash_of "$FERRETDB_SRC/go.mod" "$FERRETDB_SRC/go.sum" "$FERRETDB_SRC/main.go" <(echo "$FERRETDB_TAGS"))

prepare_kafka() {
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  need mvn "resolving the Kafka broker from Maven Central"
  need "$JAVA" "running Kafka"
  local t0 tmp="$KAFKA_HOME.tmp" plog="$RUN/prepare-kafka.log"
  t0=$(now)
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central (once; log: $plog)"
  rm -rf "$tmp"
  if ! mvn -B -q --no-transfer-progress -f "$KAFKA_POM" \
      -Dmaven.repo.local="$CACHE/m2" \
      "$MVN_DEPENDENCY_PLUGIN:copy-dependencies" \
      -DincludeScope=runtime -DoutputDirectory="$tmp/libs" >"$plog" 2>&1; then
    show_log "$plog"
    die "mvn could not resolve the Kafka broker; see $plog"
  fi
  [ -f "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" ] || die "mvn ran but kafka_2.13-$KAFKA_VERSION.jar is missing; see $plog"
  touch "$tmp/.complete"
  rm -rf "$KAFKA_HOME" && mv "$tmp" "$KAFKA_HOME"
  log "Kafka jars ready in $(( $(now) - t0 ))s: $KAFKA_HOME/libs ($(ls "$KAFKA_HOME/libs" | wc -l) jars)"
}

prepare_ferretdb() {
  [ -x "$FERRETDB_BIN" ] && return 0
  need go "building FerretDB from the Go module proxy"
  local t0 plog="$RUN/prepare-ferretdb.log"
  t0=$(now)
  log "building FerretDB from the Go module proxy (once, ~2-3 min cold on 2 cores; log: $plog)"
  mkdir -p "$CACHE/ferretdb"
  if ! (cd "$FERRETDB_SRC" &&
        GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" \
        GOFLAGS="-mod=readonly -modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
        go build -tags "$FERRETDB_TAGS" -trimpath -ldflags='-s -w' -o "$FERRETDB_BIN.tmp" .) >"$plog" 2>&1; then
    show_log "$plog"
    die "go build of FerretDB failed; see $plog"
  fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  log "FerretDB built in $(( $(now) - t0 ))s: $FERRETDB_BIN"
}

# --- configuration -----------------------------------------------------------------------------

write_kafka_config() { # write_kafka_config PORT CONTROLLER_PORT
  local port=$1 cport=$2 dir="$RUN/kafka"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<EOF
# Generated by test/infra/infra.sh: one-node KRaft (combined broker+controller) on loopback.
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
metadata.log.dir=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=8388608
log.retention.hours=168
EOF
  cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
EOF
}

java_opts() {
  # shellcheck disable=SC2086
  echo $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData \
    -Djava.awt.headless=true "-Dlog4j.configuration=file:$RUN/kafka/log4j.properties"
}

# --- commands ----------------------------------------------------------------------------------

write_env() {
  local kport fport
  kport=$(cat "$RUN/kafka.port") fport=$(cat "$RUN/ferretdb.port")
  printf 'KAFKA_BROKERS=127.0.0.1:%s\nMONGODB_URL=mongodb://127.0.0.1:%s/\n' "$kport" "$fport" >"$RUN/env.tmp"
  mv "$RUN/env.tmp" "$RUN/env"
}

not_ready() { # not_ready NAME PROBE_EXIT_CODE LOG
  if [ "$2" -eq 2 ]; then
    printf '[infra] ERROR: %s exited while starting; see %s\n' "$1" "$3" >&2
  else
    printf '[infra] ERROR: %s did not become ready within %ss; see %s\n' "$1" "$TIMEOUT" "$3" >&2
  fi
}

cmd_up() {
  local t0 kpid fpid
  t0=$(now)
  need node "the readiness probes (kafkajs, mongodb)"
  [ -d "$ROOT/node_modules/kafkajs" ] && [ -d "$ROOT/node_modules/mongodb" ] ||
    die "node_modules/kafkajs and node_modules/mongodb are needed for the readiness probes: run npm ci first"

  kpid=$(pid_of kafka) fpid=$(pid_of ferretdb)
  if [ -n "$kpid" ] && [ -n "$fpid" ]; then
    # Already up: check that both still answer, refresh the env file, and leave them be.
    if "${PROBE[@]}" kafka "127.0.0.1:$(cat "$RUN/kafka.port")" 15000 "$kpid" >/dev/null &&
       "${PROBE[@]}" mongo "mongodb://127.0.0.1:$(cat "$RUN/ferretdb.port")/" 15000 "$fpid" >/dev/null; then
      write_env
      log "already up (kafka pid $kpid, ferretdb pid $fpid); env: $RUN/env"
      sed 's/^/  /' "$RUN/env"
      return 0
    fi
    die "the servers run but do not answer; try: npm run infra:down && npm run infra:up (logs: $RUN/kafka.log, $RUN/ferretdb.log)"
  fi

  # Fetch and build what is missing, both at once.
  local kprep=0 fprep=0 p1 p2
  prepare_kafka & p1=$!
  prepare_ferretdb & p2=$!
  wait "$p1" || kprep=$?
  wait "$p2" || fprep=$?
  [ "$kprep" -eq 0 ] && [ "$fprep" -eq 0 ] || exit 1

  # Ports: the ones used last time where they are free, so the env stays the same across restarts.
  local want=() ports
  if [ -z "$fpid" ]; then want+=("$(cat "$RUN/ferretdb.port" 2>/dev/null || echo 0)"); fi
  if [ -z "$kpid" ]; then want+=("$(cat "$RUN/kafka.port" 2>/dev/null || echo 0)" "$(cat "$RUN/kafka-controller.port" 2>/dev/null || echo 0)"); fi
  read -r -a ports <<<"$("${PROBE[@]}" free-ports "${want[@]}")"
  local i=0

  if [ -z "$fpid" ]; then
    local fport=${ports[$i]}; i=$((i + 1))
    echo "$fport" >"$RUN/ferretdb.port"
    mkdir -p "$RUN/ferretdb/data"
    : >"$RUN/ferretdb.log"
    spawn ferretdb "$FERRETDB_BIN" -listen "127.0.0.1:$fport" -sqlite-dir "$RUN/ferretdb/data" -log-level "$FERRETDB_LOG_LEVEL" \
      ${FERRETDB_SQLITE_PARAMS+-sqlite-params "$FERRETDB_SQLITE_PARAMS"}
    fpid=$(tr -dc 0-9 <"$RUN/ferretdb.pid")
    log "started FerretDB on 127.0.0.1:$fport (pid $fpid, log $RUN/ferretdb.log)"
  fi

  if [ -z "$kpid" ]; then
    local kport=${ports[$i]} cport=${ports[$((i + 1))]}
    echo "$kport" >"$RUN/kafka.port"
    echo "$cport" >"$RUN/kafka-controller.port"
    write_kafka_config "$kport" "$cport"
    : >"$RUN/kafka.log"
    if [ ! -f "$RUN/kafka/data/meta.properties" ]; then
      local cid
      cid=$("${PROBE[@]}" cluster-id)
      # shellcheck disable=SC2046
      if ! "$JAVA" $(java_opts) -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool format \
          -t "$cid" -c "$RUN/kafka/server.properties" --ignore-formatted >>"$RUN/kafka.log" 2>&1; then
        show_log "$RUN/kafka.log"
        die "formatting Kafka's storage failed; see $RUN/kafka.log"
      fi
      log "formatted Kafka storage (cluster id $cid)"
    fi
    # shellcheck disable=SC2046
    spawn kafka "$JAVA" $(java_opts) -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$RUN/kafka/server.properties"
    kpid=$(tr -dc 0-9 <"$RUN/kafka.pid")
    log "started Kafka $KAFKA_VERSION on 127.0.0.1:$kport, controller 127.0.0.1:$cport (pid $kpid, log $RUN/kafka.log)"
  fi

  # Wait for both, at once; a server that fails to come up is stopped and its log shown.
  local ms=$((TIMEOUT * 1000)) krc=0 frc=0 w1 w2
  "${PROBE[@]}" kafka "127.0.0.1:$(cat "$RUN/kafka.port")" "$ms" "$kpid" & w1=$!
  "${PROBE[@]}" mongo "mongodb://127.0.0.1:$(cat "$RUN/ferretdb.port")/" "$ms" "$fpid" & w2=$!
  wait "$w1" || krc=$?
  wait "$w2" || frc=$?
  local failed=0
  if [ "$krc" -ne 0 ]; then
    show_log "$RUN/kafka.log"
    not_ready Kafka "$krc" "$RUN/kafka.log"
    stop_pids kafka "$kpid"; rm -f "$RUN/kafka.pid"; failed=1
  fi
  if [ "$frc" -ne 0 ]; then
    show_log "$RUN/ferretdb.log"
    not_ready FerretDB "$frc" "$RUN/ferretdb.log"
    stop_pids ferretdb "$fpid"; rm -f "$RUN/ferretdb.pid"; failed=1
  fi
  [ "$failed" -eq 0 ] || exit 1

  write_env
  log "up in $(( $(now) - t0 ))s; env: $RUN/env"
  sed 's/^/  /' "$RUN/env"
}

cmd_down() {
  local purge=0 name pid pids
  [ "${1:-}" = --purge ] && purge=1
  rm -f "$RUN/env"
  for name in kafka ferretdb; do
    pids=()
    pid=$(pid_of "$name")
    [ -n "$pid" ] && pids+=("$pid")
    for pid in $(stray_pids "$name"); do
      [[ " ${pids[*]-} " == *" $pid "* ]] || pids+=("$pid")
    done
    if [ ${#pids[@]} -gt 0 ]; then
      stop_pids "$name" "${pids[@]}" &
    else
      log "$name is not running"
    fi
  done
  wait
  rm -f "$RUN/kafka.pid" "$RUN/ferretdb.pid"
  if [ "$purge" -eq 1 ]; then
    rm -rf "$RUN/kafka" "$RUN/ferretdb" "$RUN"/*.port
    log "purged Kafka and FerretDB data under $RUN"
  fi
}

cmd_status() {
  local name pid rc=0
  for name in kafka ferretdb; do
    pid=$(pid_of "$name")
    if [ -n "$pid" ]; then
      printf '%-9s running  pid %-7s port %-6s rss %s kB\n' "$name" "$pid" "$(cat "$RUN/$name.port" 2>/dev/null)" \
        "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)"
    else
      printf '%-9s stopped\n' "$name"; rc=3
    fi
  done
  [ -f "$RUN/env" ] && sed 's/^/  /' "$RUN/env"
  return "$rc"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    up | down | status) ;;
    *) echo "usage: $0 up | down [--purge] | status" >&2; exit 64 ;;
  esac
  mkdir -p "$RUN" "$CACHE"
  # One infra.sh at a time per data folder.
  exec 9>"$RUN/.lock"
  flock -w 900 9 || die "another infra.sh holds $RUN/.lock"
  "cmd_$cmd" "$@"
}

main "$@"
