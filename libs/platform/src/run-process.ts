import { boundHeapGrowth } from './heap-growth';

/**
 * The start every app shares: the heap's growth bounded (see boundHeapGrowth); on SIGTERM/SIGINT,
 * stop once (in the app's order) and exit 0, or 1 when stopping fails or takes longer than
 * `limitMs`; a failed start exits 1.
 */
export function runProcess(start: () => Promise<{ stop(): Promise<unknown> }>, options: { limitMs?: number; log?: (msg: string) => void } = {}): void {
  const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  boundHeapGrowth();
  start().then(
    (running) => {
      let closing = false;
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.on(signal, () => {
          if (closing) return;
          closing = true;
          setTimeout(() => {
            log(`shutdown took longer than ${options.limitMs ?? 30_000} ms; exiting`);
            process.exit(1);
          }, options.limitMs ?? 30_000).unref();
          running.stop().then(
            () => process.exit(0),
            (err: unknown) => {
              log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
              process.exit(1);
            },
          );
        });
      }
    },
    (err: unknown) => {
      // Config errors name the variable and never echo a secret.
      log(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      process.exit(1);
    },
  );
}
