import { type AppendResult, EventStore, type EventHandler, type EventToAppend, type ExpectedRevision, type RecordedEvent, type StreamAppend, type Subscription, WrongExpectedRevisionError } from '@lib/event-store';

/** How an append ended: stored, refused for a stale expected revision, or failed. */
export type AppendOutcome = 'appended' | 'conflict' | 'failed';

/**
 * The event-store port with every append timed, whichever adapter is behind it: the one place
 * append latency is measured (PlatformModule wraps the configured store in it when metrics are on).
 */
export class TimedEventStore extends EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly observe: (outcome: AppendOutcome, seconds: number) => void,
  ) {
    super();
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.timed(this.store.append(streamId, events, expected));
  }

  override get appendsAtomically(): boolean {
    return this.store.appendsAtomically;
  }

  /** One observation: one commit. */
  override appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    return this.timed(this.store.appendToStreams(appends));
  }

  private async timed<T>(appending: Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await appending;
      this.observe('appended', (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      this.observe(err instanceof WrongExpectedRevisionError ? 'conflict' : 'failed', (performance.now() - started) / 1000);
      throw err;
    }
  }

  readStream(streamId: string, from?: number): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId, from);
  }

  readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]> {
    return this.store.readAll(after, maxCount);
  }

  subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription {
    return this.store.subscribeAll(after, handler, onError);
  }

  override countAll(): Promise<number> {
    return this.store.countAll();
  }

  override onStreamRedacted(listener: (streamId: string) => void): void {
    this.store.onStreamRedacted(listener);
  }

  comparePositions(a: string | null, b: string | null): number {
    return this.store.comparePositions(a, b);
  }

  identity(): Promise<string> {
    return this.store.identity();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
