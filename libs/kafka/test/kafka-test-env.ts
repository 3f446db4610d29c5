import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where broker-backed specs find Kafka: KAFKA_BROKERS in the environment, else the
 * `KAFKA_BROKERS=` line of <repo>/.infra/env written by `npm run infra:up`.
 */
export function kafkaBrokersForTests(): string[] | null {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv && fromEnv.trim()) return split(fromEnv);
  const file = path.join(repoRoot(), '.infra', 'env');
  if (!existsSync(file)) return null;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('KAFKA_BROKERS='));
  const value = line?.slice('KAFKA_BROKERS='.length).trim();
  return value ? split(value) : null;
}

function split(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

const warned = new Set<string>();

/**
 * A describe block for tests that need a real Kafka broker. Without a broker it holds a single
 * test that FAILS under CI (process.env.CI set) and otherwise passes after printing a loud
 * banner; the rest of the spec file (its unit parts) runs either way.
 */
export function describeWithKafka(name: string, body: (brokers: string[]) => void): void {
  const brokers = kafkaBrokersForTests();
  describe(name, () => {
    if (brokers) {
      body(brokers);
      return;
    }
    it('needs a Kafka broker (KAFKA_BROKERS or .infra/env from `npm run infra:up`)', () => {
      if (process.env.CI) {
        throw new Error(`No Kafka broker for "${name}" in CI: run \`npm run infra:up\` first (writes .infra/env) or set KAFKA_BROKERS.`);
      }
      if (!warned.has(name)) {
        warned.add(name);
        // eslint-disable-next-line no-console
        console.warn(
          [
            '',
            '#'.repeat(78),
            `#  NO KAFKA BROKER: the broker-backed tests of "${name}" did NOT run.`,
            '#  Start one with `npm run infra:up` (writes .infra/env) or set KAFKA_BROKERS.',
            '#  Only the unit parts of this file ran. Under CI this is a failure.',
            '#'.repeat(78),
            '',
          ].join('\n'),
        );
      }
    });
  });
}

/** Best-effort removal of the topics a suite created on the shared test broker. */
export async function deleteTestTopics(brokers: string[], topics: string[]): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'test-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length) await admin.deleteTopics({ topics: doomed, timeout: 5_000 });
  } catch {
    // Leftover test topics are harmless (unique names, short retention for job topics).
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
