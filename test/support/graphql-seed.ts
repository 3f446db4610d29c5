import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FieldNode, Kind, OperationDefinitionNode, parse, SelectionSetNode, valueFromASTUntyped } from 'graphql';

/**
 * The GraphQL examples of the reference page (`../shared/seed/users-api.txt`), read when the test
 * runs so that the suite runs the page's own documents, never a copy that could drift from it.
 */
export const SEED_PAGE = resolve(__dirname, '../../../shared/seed/users-api.txt');

export interface SeedExample {
  /** 1-based line of the page, to name the example in test titles and reports. */
  line: number;
  operation: 'query' | 'mutation';
  /** The root field, e.g. `usersCreate`. */
  field: string;
  /** The document exactly as the page prints it, placeholders included. */
  text: string;
  /** The REST route the same section documents, e.g. `PATCH /v1/users/{userId}/status`. */
  rest: { method: string; path: string };
}

const EXAMPLE_LINE = /^(query|mutation) \{/;
const REST_LINE = /^(GET|POST|PUT|PATCH|DELETE) (\/v1\/\S+) HTTP\/1\.1/;

export function readSeedExamples(page = SEED_PAGE): SeedExample[] {
  const lines = readFileSync(page, 'utf8').split('\n');
  const examples: SeedExample[] = [];
  lines.forEach((text, i) => {
    if (!EXAMPLE_LINE.test(text)) return;
    // Each GraphQL example is followed (after a `-` line) by the raw HTTP request of its route.
    const restLine = lines.slice(i + 1, i + 4).find((l) => REST_LINE.test(l));
    if (!restLine) throw new Error(`seed line ${i + 1}: no REST request follows the GraphQL example`);
    const [, method, path] = REST_LINE.exec(restLine)!;
    const { operation, field } = rootOf(text);
    examples.push({ line: i + 1, operation: operation.operation as 'query' | 'mutation', field: field.name.value, text, rest: { method, path } });
  });
  return examples;
}

/** The operation and its single root field: every seed example selects exactly one. */
export function rootOf(document: string): { operation: OperationDefinitionNode; field: FieldNode } {
  const operations = parse(document).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fields = operations.flatMap((o) => o.selectionSet.selections);
  if (operations.length !== 1 || fields.length !== 1 || fields[0].kind !== Kind.FIELD) throw new Error(`expected one operation with one root field: ${document}`);
  return { operation: operations[0], field: fields[0] };
}

/** Where an example stands in a run: its target must exist before it runs, and deletes remove targets. */
export function runOrder(field: string): number {
  if (field.startsWith('usersCreate')) return 0;
  if (field === 'usersDelete') return 5; // removes the user every other example works on
  if (field === 'usersDeleteSessions') return 4; // after the single-session delete needs its session
  if (field.startsWith('usersDelete')) return 3;
  if (field.startsWith('usersUpdate')) return 2;
  return 1;
}

export const inRunOrder = (examples: SeedExample[]): SeedExample[] => [...examples].sort((a, b) => runOrder(a.field) - runOrder(b.field) || a.line - b.line);

/** The hash-import examples: each makes its own user, so each needs its own id and email. */
export const isHashImport = (field: string): boolean => /^usersCreate.+User$/.test(field);

/** The values one SDK generation's run puts in place of the page's placeholders. */
export interface SeedValues {
  /** Prefix of every id and email of the run, so that two runs on one stack never collide. */
  prefix: string;
  /** The user `usersCreate` makes and every read, update and delete example works on. */
  userId: string;
  sessionId?: string;
  name: string;
  phone: string;
  /** Put in place of the page's `prefs: "{}"`, so that the update writes something visible. */
  prefs: Record<string, unknown>;
}

export function seedValues(prefix: string, phone: string): SeedValues {
  // No `data` key in prefs: the comparison tells a free-form model by its missing `data` key.
  return { prefix, userId: `${prefix}-user`, name: `Seed ${prefix}`, phone, prefs: { theme: 'dark', run: prefix } };
}

const slug = (field: string) => field.replace(/^users/, '').toLowerCase();
export const userIdFor = (field: string, v: SeedValues): string => (isHashImport(field) ? `${v.prefix}-${slug(field)}` : v.userId);
const emailFor = (field: string, v: SeedValues): string => `${userIdFor(field, v)}@example.com`;

/** Fixed values of the scrypt examples' placeholders; the page's integers (0) stay as printed. */
const HASH_PARAMS: Record<string, string> = {
  '[PASSWORD_SALT]': 'c2VlZC1zYWx0',
  '[PASSWORD_SALT_SEPARATOR]': 'Bw==',
  '[PASSWORD_SIGNER_KEY]': 'c2VlZC1zaWduZXIta2V5',
};

/**
 * The example with the run's values in place of its placeholders and every other character as
 * printed (`password: ""` of usersUpdatePassword included: REST refuses it, so GraphQL must too).
 */
export function fillExample(example: SeedExample, v: SeedValues): string {
  let text = example.text
    .replaceAll('"[USER_ID]"', JSON.stringify(userIdFor(example.field, v)))
    .replaceAll('email@example.com', emailFor(example.field, v))
    .replaceAll('[NAME]', v.name)
    .replaceAll('+12065550100', v.phone)
    // A JSON string is a valid GraphQL string literal for ASCII text.
    .replaceAll('prefs: "{}"', `prefs: ${JSON.stringify(JSON.stringify(v.prefs))}`);
  if (text.includes('[SESSION_ID]')) {
    if (!v.sessionId) throw new Error(`${example.field} needs a session id: create the session first`);
    text = text.replaceAll('[SESSION_ID]', v.sessionId);
  }
  for (const [placeholder, value] of Object.entries(HASH_PARAMS)) text = text.replaceAll(placeholder, value);
  const left = /\[[A-Z_]+\]/.exec(text);
  if (left) throw new Error(`seed line ${example.line}: no value for the placeholder ${left[0]}`);
  return text;
}

export interface RestCall {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

/** Arguments whose REST parameter is a JSON object: GraphQL's `Assoc` takes them as a JSON string. */
const JSON_OBJECT_ARGS = new Set(['prefs']);

/** The REST request for the same call: the section's route with the document's own arguments. */
export function restCallOf(example: SeedExample, document: string): RestCall {
  const args: Record<string, unknown> = {};
  for (const arg of rootOf(document).field.arguments ?? []) {
    const value = valueFromASTUntyped(arg.value);
    args[arg.name.value] = JSON_OBJECT_ARGS.has(arg.name.value) && typeof value === 'string' ? JSON.parse(value) : value;
  }
  const path = example.rest.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = args[name];
    delete args[name];
    if (typeof value !== 'string') throw new Error(`${example.field}: no argument for the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  if (example.rest.method === 'GET') {
    const query = new URLSearchParams(Object.entries(args).map(([k, val]): [string, string] => [k, String(val)])).toString();
    return { method: 'GET', path: query ? `${path}?${query}` : path };
  }
  return { method: example.rest.method, path, body: args };
}

/** The selection set of the document's root field. */
export const selectionOf = (document: string): SelectionSetNode | undefined => rootOf(document).field.selectionSet;

/**
 * A REST JSON answer as the GraphQL field with this selection set gives it (graphql.md §3):
 * only the selected fields, `_x` read from `$x`, a free-form model (`prefs`, Preferences) as
 * `{ data: <its JSON text> }`, absent values as null.
 */
export function asGraphqlValue(rest: unknown, selection: SelectionSetNode | undefined): unknown {
  if (rest === undefined || rest === null) return null;
  if (!selection) return rest;
  if (Array.isArray(rest)) return rest.map((item) => asGraphqlValue(item, selection));
  const object = rest as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const node of selection.selections) {
    if (node.kind !== Kind.FIELD) throw new Error('the seed examples use no fragments');
    const name = node.name.value;
    const key = node.alias?.value ?? name;
    // A model with a `data` field of its own would keep it; free-form ones have none.
    if (name === 'data' && !('data' in object)) out[key] = JSON.stringify(object);
    else out[key] = asGraphqlValue(object[name.startsWith('_') ? `$${name.slice(1)}` : name], node.selectionSet);
  }
  return out;
}

/** What a REST answer looks like as the whole GraphQL result of the document (graphql.md §3, §4). */
export function expectedGraphqlResult(document: string, rest: { status: number; body: any }): unknown {
  const field = rootOf(document).field;
  const key = field.alias?.value ?? field.name.value;
  if (rest.status >= 400) {
    return { data: { [key]: null }, errors: [expect.objectContaining({ message: rest.body?.message, path: [key] })] };
  }
  // A 204 route answers the None type, whose one field `status` is always "OK".
  const body = rest.status === 204 ? { status: 'OK' } : rest.body;
  return { data: { [key]: asGraphqlValue(body, field.selectionSet) } };
}
