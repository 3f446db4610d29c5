import { randomUUID } from 'node:crypto';
import { EventToAppend, openEventStoreDb } from '@lib/event-store';
import { FakeEventStoreDbClient } from '@lib/event-store/testing';
import type { ReadModelStore } from '@lib/read-models';
import { ServiceMetrics } from './service-metrics';

const event = (): EventToAppend => ({
  id: randomUUID(),
  type: 'Noted',
  data: {},
  metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1, actor: { type: 'system', id: 'spec' }, requestId: 'r', ip: '', userAgent: '' },
});

/** The values of one metric, by their labels. */
async function seriesOf(metrics: ServiceMetrics, name: string): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const found = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (found?.values ?? []).map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}

describe('ServiceMetrics', () => {
  // The EventStoreDB adapter over the in-memory double of its client: a real adapter, no I/O.
  const events = openEventStoreDb(new FakeEventStoreDbClient() as never);
  afterAll(() => events.close());

  it('keeps each app\'s series in its own registry: two apps in one process define the same metrics side by side', async () => {
    const [a, b] = [new ServiceMetrics(), new ServiceMetrics()];
    const [durationsA, durationsB] = [a.requestDurations(), b.requestDurations()];
    durationsA.observe({ route: '/healthz', method: 'GET', code: 200 }, 0.001);
    durationsA.observe({ route: '/healthz', method: 'GET', code: 200 }, 0.002);
    durationsB.observe({ route: '/healthz', method: 'GET', code: 200 }, 0.001);
    const count = async (m: ServiceMetrics) => (await seriesOf(m, 'http_request_duration_seconds')).find((s) => s.labels.le === '+Inf')?.value;
    expect([await count(a), await count(b)]).toEqual([2, 1]);
  });

  it('measures each projection\'s lag when scraped, from its stored checkpoint', async () => {
    const first = await events.append(`s-${randomUUID()}`, [event()], 'no_stream');
    const head = await events.append(`s-${randomUUID()}`, [event()], 'no_stream');
    const checkpoints: Record<string, string | null> = { behind: first.position, caughtUp: head.position };
    const metrics = new ServiceMetrics();
    metrics.watchProjections(events, { getCheckpoint: async (name: string) => checkpoints[name] } as unknown as ReadModelStore, ['behind', 'caughtUp']);
    expect(await seriesOf(metrics, 'projection_lag_events')).toEqual([
      { labels: { projection: 'behind' }, value: 1 },
      { labels: { projection: 'caughtUp' }, value: 0 },
    ]);
    const seconds = await seriesOf(metrics, 'projection_lag_seconds');
    expect(seconds.map((s) => [s.labels.projection, s.value >= 0])).toEqual([['behind', true], ['caughtUp', true]]);
    expect(seconds[1].value).toBe(0);
  });

  it('a store that cannot be read drops the lag series, and the rest of the scrape still answers', async () => {
    const metrics = new ServiceMetrics();
    const failing = { getCheckpoint: async () => Promise.reject(new Error('store down')) } as unknown as ReadModelStore;
    metrics.watchProjections(events, failing, ['users']);
    metrics.watchHashingQueue('local', () => 3);
    expect(await seriesOf(metrics, 'projection_lag_events')).toEqual([]);
    expect(await seriesOf(metrics, 'hashing_queue_depth')).toEqual([{ labels: { pool: 'local' }, value: 3 }]);
    expect(await metrics.exposition()).toContain('hashing_queue_depth{pool="local"} 3');
  });
});
