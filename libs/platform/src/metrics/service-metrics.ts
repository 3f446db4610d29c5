import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '@lib/event-store';
import type { RequestDurations } from '@lib/http';
import type { HashingWaitObserver } from '@lib/passwords';
import { CHECKPOINT_LAG_COUNT_LIMIT, type CheckpointLag, checkpointLag, type ReadModelStore } from '@lib/read-models';
import type { MetricsConfig } from '../config';
import { TimedEventStore } from './timed-event-store';

/** Seconds, from a GET answered from memory (a fraction of a millisecond) to a stalled dependency. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds a password job waits: an idle pool (~0) to a queue about to shed load (HASHING_MAX_WAIT_MS) and a hasher's attempt timeout. */
const WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Where hashing runs: this process's worker threads, or hashers reached over Kafka. */
export type HashingPool = 'local' | 'kafka';

/**
 * The metrics of one app instance (gateway, projector, hasher) in a registry of its own, so
 * that several apps in one process (the tests) never share a series. Every metric is defined
 * here, and registered by the part of the app it measures: each /metrics lists what its app has.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The app's metrics, null when METRICS=off. */
  static create(config: MetricsConfig): ServiceMetrics | null {
    return config.enabled ? new ServiceMetrics() : null;
  }

  /** The body of GET /metrics (Prometheus text format, `contentType`). */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  requestDurations(): RequestDurations {
    return new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request to its answer, by route template (unmatched: no route), method and status code; its _count is the request count',
      labelNames: ['route', 'method', 'code'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** The event store, every append timed. */
  timeAppends(store: EventStore): EventStore {
    const appends = new Histogram({
      name: 'event_store_append_duration_seconds',
      help: 'Time of one append to the event log until it is durable, by outcome (appended, conflict: stale expected revision, failed)',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    return new TimedEventStore(store, (outcome, seconds) => appends.observe({ outcome }, seconds));
  }

  /** Lag of each projection's stored checkpoint behind the head of the log, measured when scraped. */
  watchProjections(events: EventStore, store: ReadModelStore, projections: readonly string[]): void {
    this.lagGauges('projection', 'projection', 'the projection', async () => {
      // Projections that are caught up share their checkpoint: one read of the log for them all.
      const byCheckpoint = new Map<string | null, Promise<CheckpointLag>>();
      const now = Date.now();
      const lagOf = (checkpoint: string | null) => {
        if (!byCheckpoint.has(checkpoint)) byCheckpoint.set(checkpoint, checkpointLag(events, checkpoint, now));
        return byCheckpoint.get(checkpoint)!;
      };
      return Promise.all(projections.map(async (projection) => ({ labelValue: projection, lag: await lagOf(await store.getCheckpoint(projection)) })));
    });
  }

  /** What the downstream publisher to `destination` (its sink's) reports as it publishes: give it as its `onPublished`. */
  publishDurations(destination: string): (seconds: number) => void {
    const publishes = new Histogram({
      name: 'publisher_publish_duration_seconds',
      help: 'Time the downstream sink (a Kafka topic, a JSON-lines file) took to accept one batch of integration events',
      labelNames: ['destination'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    return (seconds) => publishes.observe({ destination }, seconds);
  }

  /** Lag of the downstream publisher's checkpoint behind the head of the log, measured when scraped. */
  watchPublisher(events: EventStore, publisher: { readonly checkpoint: string | null }, destination: string): void {
    this.lagGauges('publisher', 'destination', 'the downstream publisher', async () => [{ labelValue: destination, lag: await checkpointLag(events, publisher.checkpoint) }]);
  }

  /** What a hashing adapter reports for each task: give it as its `onWaited`. */
  hashingWaits(pool: HashingPool): HashingWaitObserver {
    const waits = new Histogram({
      name: 'hashing_wait_seconds',
      help: 'Time a password hash or verification waited: for a worker thread (pool local), for a hasher\'s reply (pool kafka)',
      labelNames: ['pool', 'operation'],
      buckets: WAIT_BUCKETS,
      registers: [this.registry],
    });
    return (operation, seconds) => waits.observe({ pool, operation }, seconds);
  }

  watchHashingQueue(pool: HashingPool, depth: () => number): void {
    new Gauge({
      name: 'hashing_queue_depth',
      help: 'Password tasks waiting: for a worker thread (pool local), for a hasher\'s reply (pool kafka)',
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        this.set({ pool }, depth());
      },
    });
  }

  /**
   * `<prefix>_lag_events` and `<prefix>_lag_seconds`, a series per follower, both from one
   * measurement per scrape. A store that cannot be read now drops these series, not the scrape.
   */
  private lagGauges(prefix: string, label: string, follower: string, measure: () => Promise<Array<{ labelValue: string; lag: CheckpointLag }>>): void {
    const lags = oncePerScrape(measure);
    const gauge = (name: string, help: string, value: (lag: CheckpointLag) => number) =>
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers: [this.registry],
        async collect() {
          const measured = await lags().catch(() => null);
          this.reset();
          for (const { labelValue, lag } of measured ?? []) this.set({ [label]: labelValue }, value(lag));
        },
      });
    gauge(`${prefix}_lag_events`, `Events in the log after the checkpoint of ${follower} (counted up to ${CHECKPOINT_LAG_COUNT_LIMIT})`, (lag) => lag.events);
    gauge(`${prefix}_lag_seconds`, `Age of the oldest event ${follower} has not taken yet; 0 when caught up`, (lag) => lag.seconds);
  }
}

/** One measurement shared by every gauge that asks for it during the same scrape. */
function oncePerScrape<T>(measure: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () =>
    (current ??= measure().finally(() => {
      current = null;
    }));
}
