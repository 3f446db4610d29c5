import type { Run } from './drive';
import type { Operation } from './sides';

/** One interleaved pair: our run and the Keycloak run right after it. */
export interface Round {
  op: Operation;
  connections: number;
  round: number;
  ours: Run;
  keycloak: Run;
}

export const LABELS: Record<Operation, string> = {
  create: 'create user',
  get: 'get user by id',
  search: 'search users (one word)',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => '| ' + r.map((v, c) => v.padEnd(widths[c])).join(' | ') + ' |';
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const ratio = (r: Round) => r.ours.rate / Math.max(r.keycloak.rate, 1e-9);

export function roundsTable(rounds: Round[]): string {
  const header = ['operation', 'conns', 'round', 'ours req/s', 'Keycloak req/s', 'ours/KC', 'ours p99/max ms', 'KC p99/max ms', 'failed ours / KC'];
  const rows = rounds.map((r) => [
    LABELS[r.op],
    String(r.connections),
    String(r.round),
    r.ours.rate.toFixed(0),
    r.keycloak.rate.toFixed(0),
    ratio(r).toFixed(2),
    `${r.ours.p99}/${r.ours.max}`,
    `${r.keycloak.p99}/${r.keycloak.max}`,
    `${r.ours.failures || '-'} / ${r.keycloak.failures || '-'}`,
  ]);
  return table(header, rows);
}

/**
 * Per operation and connection count: the median of each side's rates, and the median of the
 * per-round ratios (each pair ran back to back, so a slow spell of the machine hits both).
 */
export function summaryTable(rounds: Round[]): string {
  const groups = new Map<string, Round[]>();
  for (const r of rounds) groups.set(`${r.op} ${r.connections}`, [...(groups.get(`${r.op} ${r.connections}`) ?? []), r]);
  const rows = [...groups.values()].map((g) => [
    LABELS[g[0].op],
    String(g[0].connections),
    median(g.map((r) => r.ours.rate)).toFixed(0),
    median(g.map((r) => r.keycloak.rate)).toFixed(0),
    `${median(g.map(ratio)).toFixed(2)}×`,
  ]);
  return table(['operation', 'conns', 'ours median req/s', 'Keycloak median req/s', 'median ratio ours/Keycloak'], rows);
}
