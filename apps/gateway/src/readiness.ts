import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { warmUpClientInfoInBackground } from '@lib/client-info';

/** Whether the gateway takes traffic (/readyz), and the warm-ups that wait until it does. */
@Injectable()
export class Readiness implements OnApplicationShutdown {
  ready = false;
  /** Settles once the background warm-ups are over (benches and tests may wait for it). */
  warmedUp: Promise<void> = Promise.resolve();
  private readonly stopWarmUps = new AbortController();

  /**
   * Ready, then warm up in the background what otherwise the first audited write would pay in
   * one block (the user-agent regexes and the GeoIP data the log projection uses, ~0.5–1 s of
   * CPU). Done before serving, it held readiness that long; done now, a request that arrives
   * meanwhile waits for one short step of it at most.
   */
  markReady(options: { warmUpClientInfo: boolean }): void {
    this.ready = true;
    if (options.warmUpClientInfo) this.warmedUp = warmUpClientInfoInBackground(this.stopWarmUps.signal);
  }

  onApplicationShutdown(): void {
    this.stopWarmUps.abort();
  }
}
