/**
 * Holds every rule's OpenAPI fragment to its `check`: values at the limits the fragment states are
 * generated from the fragment itself and must be accepted (at the limit) or refused (one step
 * beyond) by both; random values must never satisfy a fragment yet fail the check.
 */
import * as listRules from './list-rules';
import * as rules from './rules';
import type { Rule, RuleSchema } from './rules';

type JsonType = 'string' | 'integer' | 'object' | 'array';

interface Case {
  name: string;
  rule: Rule;
  type: JsonType;
  /** A value of exactly `n` code points that is otherwise as valid as the rule allows. */
  fill?: (n: number) => string;
  /** For arrays: a valid element, and `fill` for elements. */
  item?: { sample: unknown; fill?: (n: number) => string };
  /** Accepted by both; typically samples of the pattern or format. */
  matches?: unknown[];
  /** Refused by both. */
  misses?: unknown[];
  /** Accepted by the check but outside the fragment: where the fragment is a subset (see the rule). */
  gaps?: unknown[];
  /** The fragment says exactly what the check accepts (of values of the right type). */
  exact: boolean;
}

const KNOWN_KEYWORDS = new Set(['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'enum', 'maxItems', 'items', 'not']);

/** RFC 5321 mailbox with a dot-atom local part and a host name: what `format: email` generators emit. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const TLD = '[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL_FORMAT = new RegExp(`^(?=[^@]{1,64}@)${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL}\\.)+${TLD}$`);

const codePoints = (s: string) => [...s].length;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(type: JsonType, v: unknown): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'integer') return typeof v === 'number' && Number.isInteger(v);
  if (type === 'array') return Array.isArray(v);
  return isPlainObject(v);
}

/** A JSON Schema validator for the keywords rules use, as a schema-driven client reads them. */
function conforms(type: JsonType, schema: RuleSchema, v: unknown): boolean {
  if (!hasType(type, v)) return false;
  if (typeof v === 'string') {
    if (schema.minLength !== undefined && codePoints(v) < schema.minLength) return false;
    if (schema.maxLength !== undefined && codePoints(v) > schema.maxLength) return false;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(v)) return false;
    if (schema.format === 'email' && !EMAIL_FORMAT.test(v)) return false;
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) return false;
    if (schema.maximum !== undefined && v > schema.maximum) return false;
  }
  if (schema.enum && !schema.enum.includes(v as string)) return false;
  if (Array.isArray(v)) {
    if (schema.maxItems !== undefined && v.length > schema.maxItems) return false;
    if (schema.items && !v.every((e) => conforms('string', schema.items!, e))) return false;
  }
  if (schema.not && isPlainObject(v) && schema.not.required.every((k) => Object.prototype.hasOwnProperty.call(v, k))) return false;
  return true;
}

/** The neighbouring integer, or the neighbouring double where integers are no longer exact. */
function beyond(x: number, direction: 1 | -1): number {
  if (Number.isSafeInteger(x + direction)) return x + direction;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += BigInt(x > 0 === direction > 0 ? 1 : -1);
  return new Float64Array(bits.buffer)[0];
}

/** Values at each limit the fragment states (inside) and one step past it (outside). */
function limitSamples(c: Case, schema: RuleSchema): { inside: unknown[]; outside: unknown[] } {
  const inside: unknown[] = [];
  const outside: unknown[] = [];
  if (schema.maxLength !== undefined) {
    inside.push(c.fill!(schema.maxLength));
    outside.push(c.fill!(schema.maxLength + 1));
  }
  if (schema.minLength !== undefined) {
    inside.push(c.fill!(schema.minLength));
    if (schema.minLength > 0) outside.push(c.fill!(schema.minLength - 1));
  }
  if (schema.minimum !== undefined) inside.push(schema.minimum), outside.push(beyond(schema.minimum, -1));
  if (schema.maximum !== undefined) inside.push(schema.maximum), outside.push(beyond(schema.maximum, 1));
  if (schema.enum) {
    inside.push(...schema.enum);
    outside.push(...schema.enum.map((m) => `${m}x`), '');
  }
  if (schema.maxItems !== undefined) {
    inside.push(Array(schema.maxItems).fill(c.item!.sample));
    outside.push(Array(schema.maxItems + 1).fill(c.item!.sample));
  }
  if (schema.items) {
    const items = limitSamples({ ...c, type: 'string', fill: c.item!.fill }, schema.items);
    inside.push(...items.inside.map((e) => [e]));
    outside.push(...items.outside.map((e) => [c.item!.sample, e]));
  }
  if (schema.not) {
    inside.push({});
    outside.push(Object.fromEntries(schema.not.required.map((k) => [k, 1])));
  }
  return { inside, outside };
}

const letters = (n: number) => 'a'.repeat(n);
const emoji = (n: number) => '😀'.repeat(n);

/** A host name of exactly `n` characters: labels of 63 letters, a shorter one, then `.co`. */
function domainOfLength(n: number): string {
  const head = Array.from({ length: n - 3 }, (_, i) => ((i + 1) % 64 === 0 ? '.' : 'a')).join('');
  if (head.endsWith('.')) throw new Error(`no host name of ${n} characters in this shape`);
  return `${head}.co`;
}
const emailOfLength = (n: number) => `${letters(Math.min(64, n - 5))}@${domainOfLength(n - Math.min(64, n - 5) - 1)}`;
const phoneOfLength = (n: number) => `+1${'0'.repeat(Math.max(0, n - 2))}`.slice(0, n);

const SHA = ['sha1', 'sha512/224', 'sha3-256'];
const KEY_MISSES = ['_a', '.a', '-a', 'a b', 'é', 'a/b', 'a\n', ' a', 'unique( )', 17, null];

const CASES: Case[] = [
  { name: 'Key', rule: rules.Key, type: 'string', fill: letters, exact: true, matches: ['', '0', 'A.b-c_d', `Z${letters(35)}`], misses: KEY_MISSES },
  { name: 'UID', rule: rules.UID, type: 'string', fill: letters, exact: true, matches: ['', 'current', '9.9'], misses: KEY_MISSES },
  {
    name: 'CustomId',
    rule: rules.CustomId,
    type: 'string',
    fill: letters,
    exact: true,
    matches: ['unique()', '', 'a.b'],
    misses: [...KEY_MISSES, 'UNIQUE()', 'unique(', 'unique()x'],
  },
  {
    name: 'Email',
    rule: rules.Email,
    type: 'string',
    fill: emailOfLength,
    exact: false,
    matches: ['email@example.com', "a.b!#$%&'*+/=?^_`{|}~-@x-y.example.co", `${letters(64)}@b.co`, 'A@B.XN--P1AI', 'a@1.co'],
    misses: ['', 'a', 'a@b', '@b.co', 'a@@b.co', 'a..b@c.co', `${letters(65)}@b.co`, `a@${letters(64)}.co`, 'a@b.co ', 'é@b.co', 'a@b.1co'],
    gaps: ['"a"@c.co', 'a@[127.0.0.1]'],
  },
  {
    name: 'Phone',
    rule: rules.Phone,
    type: 'string',
    fill: phoneOfLength,
    exact: true,
    matches: ['+12065550100', '+10', '+999999999999999'],
    misses: ['+0123', '12065550100', '+1206555010a', '+١٢٣', '+12\n', '+1 206', '+', 1234],
  },
  { name: 'Password', rule: rules.Password, type: 'string', fill: letters, exact: false, matches: ['correct horse', ' '.repeat(8), emoji(8)], misses: [12345678], gaps: ['éééé', '😀😀'] },
  { name: 'PasswordDictionary()', rule: rules.PasswordDictionary(), type: 'string', fill: letters, exact: false, gaps: ['éééé'] },
  ...[1, 128, 256].map((max): Case => ({ name: `Text(${max})`, rule: rules.Text(max), type: 'string', fill: emoji, exact: true, matches: ['é', '\n'], misses: [1, null] })),
  {
    name: 'IntegerStrict',
    rule: rules.IntegerStrict,
    type: 'integer',
    exact: true,
    matches: [0, -1, Number.MAX_SAFE_INTEGER],
    misses: [1.5, '1', 2 ** 64],
  },
  ...[
    [0, 3600],
    [4, 128],
    [60, 31536000],
  ].map(([min, max]): Case => ({ name: `Range(${min}, ${max})`, rule: rules.Range(min, max), type: 'integer', exact: true, misses: [1.5, null] })),
  { name: 'WhiteList(sha)', rule: rules.WhiteList(SHA, true), type: 'string', exact: false, misses: ['sha2', 'sha1 '], gaps: ['SHA1', 'Sha3-256'] },
  { name: 'WhiteList(sha, strict)', rule: rules.WhiteList(SHA, false), type: 'string', exact: true, misses: ['SHA1'] },
  {
    name: 'Assoc',
    rule: rules.Assoc,
    type: 'object',
    exact: false,
    matches: [{ a: 1 }, { '1': 'x' }, { a: { '0': [1, 2] } }],
    misses: [{ '0': 1, '1': 2 }, { '1': 1, '0': 2 }, 'x', null],
    gaps: [{ '0': 1, a: 2 }],
  },
  {
    name: 'ArrayList(Key, 100)',
    rule: listRules.ArrayList(rules.Key, 100),
    type: 'array',
    item: { sample: letters(36), fill: letters },
    exact: true,
    matches: [[], [''], ['a', 'b.c']],
    misses: [['_a'], [1], 'a', { '0': 'a' }],
  },
  { name: 'ArrayList(Key)', rule: listRules.ArrayList(rules.Key), type: 'array', item: { sample: 'a', fill: letters }, exact: true, matches: [Array(500).fill('a')] },
  {
    name: 'Url',
    rule: listRules.Url,
    type: 'string',
    exact: false,
    matches: ['https://example.com', 'foo+bar.baz://a.b/x?y#z\\%', 'HTTP://A.B/'],
    misses: ['example.com', 'http://', 'http://a.b c', 'file://a.b:80', 'https://exämple.com', 'http://a.b\n'],
    gaps: ['http://localhost', 'http://1.2.3.4/', 'https://example.com:8080', 'https://my-site.com'],
  },
  {
    name: 'IsoDate',
    rule: rules.IsoDate,
    type: 'string',
    exact: false,
    matches: ['2024-01-15T10:00:00Z', '2024-01-15T10:00:00.123+00:00', '1970-01-01T00:00:00-05:30', '9999-12-28T23:59:59.999999999Z'],
    misses: ['', 'yesterday', '2024-13-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-01-15T24:00:00Z', '2024-01-15T10:00:60Z', '2024-01-15T10:00:00+24:00', '0000-01-01T00:00:00+01:00', '2024-01-15T10:00:00Zx'],
    gaps: ['2024-01-31T00:00:00Z', '2024-01-15', '2024-01-15T10:00Z', '2024-01-15 10:00:00', '2024-01-15T10:00:00 00:00', '2024-01-15t10:00:00z'],
  },
];

describe('each rule agrees with its OpenAPI fragment', () => {
  it('covers every rule that states a fragment, and every rule factory', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    const stated = [...Object.values(rules), ...Object.values(listRules)].filter((v): v is Rule => typeof v === 'object' && v !== null && 'check' in v && 'schema' in v);
    expect(stated.filter((r) => !covered.has(r))).toEqual([]);
    const factories = [...Object.entries(rules), ...Object.entries(listRules)].filter(([name, v]) => typeof v === 'function' && /^[A-Z]/.test(name)).map(([name]) => name);
    expect(factories.filter((f) => !CASES.some((c) => c.name.startsWith(`${f}(`)))).toEqual([]);
  });

  describe.each(CASES)('$name', (c) => {
    const schema = c.rule.schema!;

    it('states a fragment in keywords a client understands, with portable patterns', () => {
      expect(schema).toBeDefined();
      const keywords = [...Object.keys(schema), ...Object.keys(schema.items ?? {})];
      expect(keywords.filter((k) => !KNOWN_KEYWORDS.has(k))).toEqual([]);
      // \d, \w and \s take Unicode in some regex engines (Python's), so they are spelt out.
      for (const pattern of [schema.pattern, schema.items?.pattern]) if (pattern) expect(pattern).not.toMatch(/\\[dws]/i);
    });

    it('accepts each stated limit and refuses one step beyond it', () => {
      const { inside, outside } = limitSamples(c, schema);
      // A fragment of a pattern alone has no limits; its samples are below.
      expect(inside.length + outside.length + (c.matches?.length ?? 0)).toBeGreaterThan(0);
      for (const v of inside) expect([v, conforms(c.type, schema, v), c.rule.check(v)]).toEqual([v, true, true]);
      for (const v of outside) expect([v, conforms(c.type, schema, v), c.rule.check(v)]).toEqual([v, false, false]);
    });

    it('agrees on samples of its grammar', () => {
      for (const v of c.matches ?? []) expect([v, conforms(c.type, schema, v), c.rule.check(v)]).toEqual([v, true, true]);
      for (const v of c.misses ?? []) expect([v, conforms(c.type, schema, v), c.rule.check(v)]).toEqual([v, false, false]);
      // Documented approximations: accepted, yet left out of the fragment, so never sent as valid.
      for (const v of c.gaps ?? []) expect([v, conforms(c.type, schema, v), c.rule.check(v)]).toEqual([v, false, true]);
    });
  });
});

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const ALPHABET = ['a', 'Z', '0', '9', '1', '.', '-', '_', '+', '@', 'é', '😀', ' ', '(', ')', '\n', '/', ':', '"', '['];

/** Deterministic, so a failure can be replayed: free strings, integers near the limits, lists and objects. */
function* randomValues(next: () => number, count: number): Generator<unknown> {
  const string = () => Array.from({ length: Math.floor(next() * 40) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
  const limits = [0, 1, 3, 4, 60, 128, 3600, 31536000, 2 ** 53, 2 ** 63];
  for (let i = 0; i < count; i++) {
    const kind = next();
    if (kind < 0.55) yield string();
    else if (kind < 0.7) yield limits[Math.floor(next() * limits.length)] * (next() < 0.3 ? -1 : 1) + Math.floor(next() * 3) - 1;
    else if (kind < 0.85) yield Array.from({ length: Math.floor(next() * 4) }, string);
    else yield Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, () => [next() < 0.4 ? String(Math.floor(next() * 2)) : string(), string()]));
  }
}

/** One-character edits of a valid string: where grammars and their fragments tend to part. */
function* mutations(next: () => number, s: string, count: number): Generator<string> {
  const chars = [...s];
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (chars.length + 1));
    const c = ALPHABET[Math.floor(next() * ALPHABET.length)];
    const edit = next();
    const out = [...chars];
    if (edit < 0.4 || out.length === 0) out.splice(at, 0, c);
    else if (edit < 0.7) out.splice(Math.min(at, out.length - 1), 1);
    else out[Math.min(at, out.length - 1)] = c;
    yield out.join('');
  }
}

describe('no value satisfies a fragment yet fails its check', () => {
  const next = random(20240509);
  const samples = CASES.flatMap((c) => [...(c.matches ?? []), ...(c.misses ?? []), ...(c.gaps ?? []), ...limitSamples(c, c.rule.schema!).inside]);
  const pool = [...randomValues(next, 4000), ...samples, ...samples.filter((v): v is string => typeof v === 'string').flatMap((v) => [...mutations(next, v, 30)])];

  it.each(CASES)('$name', (c) => {
    const disagreeing = pool.filter((v) => hasType(c.type, v) && conforms(c.type, c.rule.schema!, v) !== c.rule.check(v));
    // An inexact fragment may leave accepted values out, never let a refused one in.
    expect(c.exact ? disagreeing : disagreeing.filter((v) => conforms(c.type, c.rule.schema!, v))).toEqual([]);
  });

  it('reaches both sides of every exact string rule', () => {
    for (const c of CASES.filter((x) => x.exact && x.type === 'string')) {
      const strings = pool.filter((v): v is string => typeof v === 'string');
      expect([c.name, strings.filter((v) => c.rule.check(v)).length > 2, strings.some((v) => !c.rule.check(v))]).toEqual([c.name, true, true]);
    }
  });
});

describe('rules without a fragment', () => {
  it('are only the booleans, whose parameter type says all', () => {
    const bare = Object.entries(rules).filter(([, v]) => typeof v === 'object' && v !== null && 'check' in v && !('schema' in v));
    expect(bare.map(([name]) => name).sort()).toEqual(['BooleanLoose', 'BooleanStrict']);
  });
});
