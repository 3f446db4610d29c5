import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { warmUpClientInfoInBackground } from '@lib/client-info';

/** Whether the gateway takes traffic (/readyz), and the warm-ups that wait until it does. */
@Injectable()
export class Readiness implements OnApplicationShutdown {
  ready = false;
  private readonly stopWarmUps = new AbortController();

  /**
   * Ready, then warm up in the background what otherwise the first audited write would pay in
   * one block (the user-agent regexes and the GeoIP data the log projection uses, ~0.5–1 s of
   * CPU). Done before serving, it held readiness that long. The price: a write whose user agent
   * is parsed before the warm-up is through compiles the rest itself (the first create after
   * start answers in ~0.3 s instead of ~0.05 s), and other requests meanwhile wait a short step.
   */
  markReady(options: { warmUpClientInfo: boolean }): void {
    this.ready = true;
    if (options.warmUpClientInfo) void warmUpClientInfoInBackground(this.stopWarmUps.signal);
  }

  onApplicationShutdown(): void {
    this.stopWarmUps.abort();
  }
}
