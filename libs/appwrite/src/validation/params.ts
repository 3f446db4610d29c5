/**
 * Declarative endpoint parameters. One definition drives both request validation (Appwrite
 * 1.3's framework rules, users-api.md §3.1) and the generated OpenAPI document, so the two can
 * never disagree.
 */
import { AppwriteException } from '../errors/appwrite-exception';
import { checkQueryStrings, queryFailure, toQueryList } from '../queries/common';
import { hasLoneSurrogate } from '../php';
import { isBelow, ResponseFormat } from '../formats/response-format';
import { Rule } from './rules';

export interface ParamDef {
  name: string;
  in: 'path' | 'body' | 'query';
  required: boolean;
  /** Value used when an optional parameter is absent or null (not validated). */
  default?: unknown;
  rule: Rule;
  /** The rule of an older release, for clients asking for a format below `format`. */
  ruleBelow?: { format: string; rule: Rule };
  openapi: {
    type: 'string' | 'integer' | 'boolean' | 'object' | 'array';
    items?: { type: string };
    description: string;
    example?: unknown;
  };
}

export interface ParamInput {
  path: Record<string, unknown>;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(source: Record<string, unknown>, key: string): unknown {
  // Own properties only: a param named like an Object.prototype member must not see it.
  return Object.prototype.hasOwnProperty.call(source, key) ? source[key] : undefined;
}

function cloneDefault(v: unknown): unknown {
  // Defaults such as `[]` are shared by every request; hand out copies.
  return typeof v === 'object' && v !== null ? structuredClone(v) : v;
}

function rawValue(def: ParamDef, input: ParamInput): unknown {
  const source = isRecord(input[def.in]) ? input[def.in] : {};
  if (def.in === 'query') {
    if (def.openapi.type === 'array') return collectArrayParam(source, def.name);
    const v = own(source, def.name);
    // PHP keeps the last of repeated plain keys (`search=a&search=b` → "b").
    return Array.isArray(v) ? v[v.length - 1] : v;
  }
  return own(source, def.name);
}

/**
 * Validates and normalises the parameters in definition order; the first failure is thrown as
 * 400 `general_argument_invalid`. Returns every defined parameter by name (defaults filled in,
 * `coerce` applied).
 */
export function validateParams(defs: readonly ParamDef[], input: ParamInput, format?: ResponseFormat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const declared of defs) {
    const def = declared.ruleBelow && format && isBelow(format, declared.ruleBelow.format) ? { ...declared, rule: declared.ruleBelow.rule } : declared;
    const value = rawValue(def, input);
    // Appwrite 1.3 crashes on an explicit null for string optionals; treating null as absent
    // is the spec's recommendation (§3.1 rule 4). A required null is validated (and fails).
    if (value === undefined || (value === null && !def.required)) {
      if (def.required) {
        throw new AppwriteException('general_argument_invalid', `Param "${def.name}" is not optional.`);
      }
      out[def.name] = cloneDefault(def.default);
      continue;
    }
    // A lone UTF-16 surrogate is not text: PHP's json_decode refuses it, and stored it would read
    // back as U+FFFD. The body parser already drops such bodies; this covers every other source.
    if (hasLoneSurrogate(value) || !def.rule.check(value)) {
      const description = def.rule.explain ? def.rule.explain(value) : def.rule.description;
      throw new AppwriteException('general_argument_invalid', `Invalid ${def.name}: ${description}`);
    }
    out[def.name] = def.rule.coerce ? def.rule.coerce(value) : value;
  }
  return out;
}

function pushAll(out: unknown[], v: unknown): void {
  if (Array.isArray(v)) out.push(...v);
  else if (isRecord(v)) out.push(...Object.values(v));
  else out.push(v);
}

/**
 * Reassembles an array parameter from a parsed query string, whatever the SDK's encoding:
 * `name[]=a&name[]=b` (axios), `name[0]=a&name[1]=b` (most SDKs), repeated `name=a&name=b`,
 * a nested object from qs-style parsers, or a single `name=x` (→ ["x"]). Keys are taken in
 * their order of appearance, as PHP does. Returns undefined when the parameter is absent.
 */
export function collectArrayParam(query: Record<string, unknown>, name: string): unknown {
  if (!isRecord(query)) return undefined;
  const out: unknown[] = [];
  let found = false;
  const prefix = `${name}[`;
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (key === name) {
      found = true;
      pushAll(out, value);
    } else if (key.startsWith(prefix) && key.endsWith(']') && !key.slice(prefix.length, -1).includes(']')) {
      found = true;
      const index = key.slice(prefix.length, -1);
      // `name[0]=a&name[0]=b`: an explicit index is assigned, so PHP keeps the last value.
      if (index !== '' && Array.isArray(value)) out.push(value[value.length - 1]);
      else pushAll(out, value);
    }
  }
  return found ? out : undefined;
}

/**
 * The array-level checks of a `queries` parameter (a list of at most 100 strings of at most
 * 4096 characters each), for endpoints that parse the queries themselves afterwards. Endpoints
 * that want query errors reported in parameter order should use UserQueries / LogQueries.
 */
export const QueryStrings: Rule = {
  description: 'Queries must be an array',
  check: (value) => queryFailure(() => checkQueryStrings(value)) === null,
  explain: (value) => queryFailure(() => checkQueryStrings(value)) ?? 'Queries must be an array',
  coerce: (value) => toQueryList(value),
};
