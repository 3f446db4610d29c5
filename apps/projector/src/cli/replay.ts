/**
 * `npm run replay -- <projection|all>`: rebuilds read models from the global log, blue/green:
 * into a shadow store beside the live one (reads keep working), swapped in once caught up;
 * `all` replays every projection in one pass over the log.
 * Uses the same EVENT_STORE / READ_MODEL settings as the apps. Projections: users, sessions,
 * logs, access, teams, memberships. A read model whose checkpoint belongs to another event log
 * is rebuilt from this one.
 * `replay -- publisher` resets the downstream publisher's checkpoint instead, so that it publishes
 * this log from its start (what a new event log needs; never part of `all`).
 */
import 'reflect-metadata';
import { publisherCheckpointName } from '@lib/messaging';
import { ALL_PROJECTIONS, createEventStore, createIntegrationEvents, createLogger, createReadModels, loadConfig } from '@lib/platform';
import { ProjectionRebuilder, RebuildProgress } from '@lib/read-models';

function bar(p: RebuildProgress): string {
  const width = 30;
  const ratio = p.total ? Math.min(1, p.applied / p.total) : 1;
  const filled = Math.round(ratio * width);
  return `${p.projection.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.applied}/${p.total} events ${p.eventsPerSecond} ev/s`;
}

async function main(argv: string[]): Promise<number> {
  const which = argv[0];
  const names = ALL_PROJECTIONS.map((p) => p.name);
  if (!which || (which !== 'all' && which !== 'publisher' && !names.includes(which))) {
    process.stderr.write(`usage: replay <${[...names, 'all', 'publisher'].join('|')}>\n`);
    return 2;
  }
  const config = loadConfig();
  const events = createEventStore(config);
  const { store: readStore } = await createReadModels(config, events);
  try {
    if (which === 'publisher') {
      // Publishing starts over from the start of the log at the next start of the publisher:
      // consumers get every event again (at least once; they drop repeats by id).
      const sink = createIntegrationEvents(config, createLogger('silent'));
      if (!sink) throw new Error('PUBLISHER=none: there is no publisher');
      await readStore.reset(publisherCheckpointName(sink));
      await sink.close();
      process.stdout.write(JSON.stringify({ publisher: sink.destination, reset: true }) + '\n');
      return 0;
    }
    const rebuilder = new ProjectionRebuilder(events, readStore);
    const interactive = process.stderr.isTTY;
    const projections = ALL_PROJECTIONS.filter((p) => which === 'all' || p.name === which);
    // One pass over the log feeds every projection: the bar follows the first, the others move with it.
    let last = 0;
    const results = await rebuilder.rebuildAll(projections, (p) => {
      if (p.projection !== projections[0].name) return;
      const shown = { ...p, projection: projections.length > 1 ? which : p.projection };
      if (interactive) process.stderr.write(`\r${bar(shown)}`);
      else if (Date.now() - last > 1000) {
        last = Date.now();
        process.stderr.write(`${bar(shown)}\n`);
      }
    });
    if (interactive) process.stderr.write('\n');
    for (const done of results) {
      process.stderr.write(`${bar(done)}\n`);
      process.stdout.write(JSON.stringify({ projection: done.projection, events: done.applied, eventsPerSecond: done.eventsPerSecond, swapped: true }) + '\n');
    }
    return 0;
  } finally {
    await readStore.close();
    await events.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`replay failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
