/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for the metrics tests: every
 * line is a `# HELP`, a `# TYPE` or a sample of a family declared above it, or reading fails.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`, `x_count` for a histogram `x`). */
  name: string;
  /** The family it belongs to. */
  family: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, MetricType>;
  help: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
const SUFFIXES: Record<MetricType, string[]> = { counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  // prom-client writes `Nan`; Prometheus reads NaN in any case, as Go's ParseFloat does.
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value "${text}"`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = LABEL.exec(rest);
    if (!m) throw new Error(`line ${line}: bad labels "{${text}}"`);
    if (m[1] in labels) throw new Error(`line ${line}: label ${m[1]} twice`);
    labels[m[1]] = m[2].replace(/\\(["\\n])/g, (_e, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

export function parseExposition(text: string): Exposition {
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const familyOf = (name: string): string | undefined => {
    for (const [family, type] of types) if (SUFFIXES[type].some((suffix) => family + suffix === name)) return family;
    return undefined;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    const comment = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(raw);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (kind === 'HELP') help.set(name, rest);
      else {
        if (!(rest in SUFFIXES)) throw new Error(`line ${line}: unknown type "${rest}"`);
        if (types.has(name)) throw new Error(`line ${line}: ${name} typed twice`);
        types.set(name, rest as MetricType);
      }
      return;
    }
    if (raw.startsWith('#')) throw new Error(`line ${line}: unexpected comment "${raw}"`);
    const sample = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`).exec(raw);
    if (!sample) throw new Error(`line ${line}: not a sample "${raw}"`);
    const [, name, labelText, valueText] = sample;
    const family = familyOf(name);
    if (!family) throw new Error(`line ${line}: ${name} belongs to no declared metric`);
    samples.push({ name, family, labels: parseLabels(labelText ?? '', line), value: parseValue(valueText, line) });
  });
  return { types, help, samples };
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels[k] === v);

/** The samples of a name whose labels include `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && matches(s.labels, labels));
}

/** The one sample of a name with exactly these labels (0 when the series does not exist yet). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = exposition.samples.filter((s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && matches(s.labels, labels));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} series`);
  return found[0]?.value ?? 0;
}
