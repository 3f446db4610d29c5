import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@lib/event-store';
import { AppliedEventRef, SqliteReadModels } from '@lib/read-models';
import type { CloudEventMessage } from './cloud-events';
import { EventPublisher } from './event-publisher';
import { IntegrationEventsPort } from './integration-events.port';
import { JsonlIntegrationEventsAdapter } from './jsonl-integration-events.adapter';
import {
  appendNameChange,
  appendProjectEvent,
  appendUserLife,
  eventually,
  HASH_IN_FIXTURES,
  tempDir,
} from '@lib/messaging/testing';

/** An in-memory sink that can be told to fail. */
class MemorySink extends IntegrationEventsPort {
  readonly destination = 'memory';
  readonly received: CloudEventMessage[] = [];
  readonly batches: number[] = [];
  failNext = 0;
  down = false;
  delayMs = 0;
  async publish(events: CloudEventMessage[]): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down || this.failNext > 0) {
      this.failNext = Math.max(0, this.failNext - 1);
      throw new Error('broker unavailable');
    }
    this.received.push(...events);
    this.batches.push(events.length);
  }
  ids(): string[] {
    return this.received.map((m) => JSON.parse(m.value).id as string);
  }
  async close(): Promise<void> {}
}

/** The sqlite read store with a checkpoint write that can be told to fail. */
class FlakyCheckpoints extends SqliteReadModels {
  /** Fails the next N checkpoint writes of batches that end in a user stream. */
  failNext = 0;
  constructor(file: string) {
    super(file, {});
  }
  override async applyBatch(projection: string, events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>): Promise<void> {
    if (this.failNext > 0 && events[events.length - 1]?.ref.streamId.startsWith('user-')) {
      this.failNext -= 1;
      throw new Error('disk I/O error');
    }
    return super.applyBatch(projection, events);
  }
}

const errors: unknown[] = [];
const logger = { error: (obj: object) => errors.push(obj), info: () => undefined };

describe('EventPublisher (SQLite event store + read store)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let events: SqliteEventStore;
  let checkpoints: FlakyCheckpoints;

  beforeEach(() => {
    tmp = tempDir('publisher-');
    events = new SqliteEventStore(join(tmp.dir, 'events.sqlite'), { pollIntervalMs: 20 });
    checkpoints = new FlakyCheckpoints(join(tmp.dir, 'read-model.sqlite'));
    errors.length = 0;
  });

  afterEach(async () => {
    await events.close();
    await checkpoints.close();
    tmp.cleanup();
  });

  async function lastPosition(): Promise<string> {
    const all = await events.readAll(null, 100_000);
    return all[all.length - 1].position;
  }

  it('publishes every user event in log order, skips internal streams, checkpoints as publisher:<destination>', async () => {
    await appendProjectEvent(events, 'demo');
    const ada = await appendUserLife(events, 'demo', 'ada', 3);
    const bob = await appendUserLife(events, 'demo', 'bob', 2);
    const sink = new MemorySink();
    const publisher = new EventPublisher(events, checkpoints, sink, { logger });
    await publisher.start();
    const live = [await appendNameChange(events, 'demo', 'ada', 'live')];
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    expect(sink.ids()).toEqual([...ada, ...bob, ...live]);
    expect(sink.received.map((m) => m.key)).toEqual([...ada.map(() => 'ada'), ...bob.map(() => 'bob'), 'ada']);
    expect(await checkpoints.getCheckpoint('publisher:memory')).toBe(await lastPosition());
    expect(sink.received.some((m) => m.value.includes(HASH_IN_FIXTURES))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('resumes from its checkpoint after a restart: nothing lost, nothing repeated', async () => {
    const first = await appendUserLife(events, 'demo', 'ada', 2);
    const sink = new MemorySink();
    const a = new EventPublisher(events, checkpoints, sink, { logger });
    await a.start();
    await a.waitFor(await lastPosition());
    await a.stop();
    const whileDown = [await appendNameChange(events, 'demo', 'ada', 'offline-1'), await appendNameChange(events, 'demo', 'ada', 'offline-2')];
    const b = new EventPublisher(events, checkpoints, sink, { logger });
    await b.start();
    const after = [await appendNameChange(events, 'demo', 'ada', 'online')];
    await b.waitFor(await lastPosition());
    await b.stop();
    expect(sink.ids()).toEqual([...first, ...whileDown, ...after]);
  });

  it('retries a failing sink with back-off from the checkpoint: at least once, no gap, order kept', async () => {
    const ids = await appendUserLife(events, 'demo', 'ada', 20);
    const sink = new MemorySink();
    sink.failNext = 3;
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, retryInitialDelayMs: 5, batchSize: 4 });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    expect(sink.ids()).toEqual(ids);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ where: 'publish', attempt: 1, retryInMs: 5 });
    expect(errors[2]).toMatchObject({ attempt: 3, retryInMs: 20 });
  });

  it('survives a long outage (the sink down for a while) without skipping events appended meanwhile', async () => {
    const before = await appendUserLife(events, 'demo', 'ada', 2);
    const sink = new MemorySink();
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, retryInitialDelayMs: 5, retryMaxDelayMs: 40 });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    sink.down = true;
    const during: string[] = [];
    for (let i = 0; i < 5; i++) during.push(await appendNameChange(events, 'demo', 'ada', `during-${i}`));
    await eventually(() => errors.length >= 4, 5_000, 'repeated failures');
    sink.down = false;
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    expect(sink.ids()).toEqual([...before, ...during]);
    // Back-off is capped.
    expect(Math.max(...errors.map((e) => (e as { retryInMs: number }).retryInMs))).toBeLessThanOrEqual(40);
  });

  it('republishes a batch whose checkpoint failed (at least once), keeping order', async () => {
    const ids = await appendUserLife(events, 'demo', 'ada', 3);
    const sink = new MemorySink();
    checkpoints.failNext = 1;
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, retryInitialDelayMs: 5 });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    const seen = sink.ids();
    expect(seen.length).toBeGreaterThan(ids.length);
    // First occurrences are in order and complete.
    expect([...new Set(seen)]).toEqual(ids);
  });

  it('batches what accumulated, within batchSize and maxBatchBytes', async () => {
    for (let u = 0; u < 5; u++) await appendUserLife(events, 'demo', `u${u}`, 9);
    const sink = new MemorySink();
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, batchSize: 7 });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    expect(sink.received).toHaveLength(50);
    expect(Math.max(...sink.batches)).toBeLessThanOrEqual(7);
    expect(sink.batches.length).toBeLessThan(50);

    const small = new MemorySink();
    const p2 = new EventPublisher(events, checkpoints, small, { logger, maxBatchBytes: 1500, checkpointName: 'publisher:small' });
    await p2.start();
    await p2.waitFor(await lastPosition());
    await p2.stop();
    expect(small.received).toHaveLength(50);
    for (let i = 0, at = 0; i < small.batches.length; at += small.batches[i], i++) {
      const bytes = small.received.slice(at, at + small.batches[i]).reduce((n, m) => n + m.value.length + m.key.length, 0);
      if (small.batches[i] > 1) expect(bytes).toBeLessThanOrEqual(1500);
    }
  });

  it('gathers the events of a write load that arrive within lingerMs into one batch, and publishes a lone event after lingerMs', async () => {
    const sink = new MemorySink();
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, lingerMs: 300 });
    await publisher.start();
    await appendUserLife(events, 'demo', 'ada', 0);
    // Four writes in separate turns, well within the linger: one batch, not four.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await appendNameChange(events, 'demo', 'ada', `n${i}`);
    }
    await publisher.waitFor(await lastPosition());
    expect(sink.received).toHaveLength(5);
    expect(sink.batches).toEqual([5]);

    const lone = Date.now();
    await appendNameChange(events, 'demo', 'ada', 'alone');
    await publisher.waitFor(await lastPosition());
    expect(Date.now() - lone).toBeGreaterThanOrEqual(250);
    expect(sink.batches).toEqual([5, 1]);
    await publisher.stop();
  });

  it('stops promptly while waiting to retry', async () => {
    await appendUserLife(events, 'demo', 'ada', 1);
    const sink = new MemorySink();
    sink.down = true;
    // No linger: the claim, delivered first, goes alone as the first batch (lingering, it would join the failing one).
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, retryInitialDelayMs: 60_000, lingerMs: 0 });
    await publisher.start();
    await eventually(() => errors.length >= 1, 5_000, 'a failure');
    const started = Date.now();
    await publisher.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sink.received).toHaveLength(0);
    // Only the internal claim before the user's events was passed (it publishes nothing).
    expect(await checkpoints.getCheckpoint('publisher:memory')).toBe('1');
  });

  it('publishes to a JSON-lines file (the embedded sink), one CloudEvent per line', async () => {
    const ids = await appendUserLife(events, 'demo', 'ada', 4);
    const file = join(tmp.dir, 'out', 'events.jsonl');
    const sink = new JsonlIntegrationEventsAdapter({ file });
    const publisher = new EventPublisher(events, checkpoints, sink, { logger });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    await sink.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(ids);
    expect(lines[0]).toMatchObject({ specversion: '1.0', type: 'io.appwrite-compatible.users.user.created.v1', subject: 'ada' });
    expect(await checkpoints.getCheckpoint('publisher:jsonl:events.jsonl')).toBe(await lastPosition());
  });
});
