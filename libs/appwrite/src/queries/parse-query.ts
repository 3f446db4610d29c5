/**
 * Turns one query string into a `(method, attribute, values)` triple (queries.md §2–3).
 * Two syntaxes: Appwrite 1.x `method(params…)` strings, parsed exactly as the 1.3-era PHP
 * parser does (quirks included, since clients depend on what it accepts), and the JSON objects
 * SDKs for Appwrite 1.5+ send.
 */
import { isPhpNumeric, phpNumber, phpString, phpTrim } from '../php';
import { QueryError } from './query-error';
import { phpJsonDecode } from '../php';

export interface ParsedQuery {
  method: string;
  attribute: string;
  /** For `and` / `or` from JSON: nested ParsedQuery triples. */
  values: unknown[];
}

/** Methods of one attribute and a list of values, in both syntaxes. */
const ATTRIBUTE_AND_VALUES_METHODS: ReadonlySet<string> = new Set([
  'equal',
  'notEqual',
  'lessThan',
  'lessThanEqual',
  'greaterThan',
  'greaterThanEqual',
  'contains',
  'search',
  'isNull',
  'isNotNull',
  'startsWith',
  'endsWith',
  // Appwrite 1.8+ (utopia-php/database Query::TYPES); the 1.x string parser never had them,
  // but they read the same way, so the string syntax takes them too.
  'notContains',
  'notSearch',
  'notStartsWith',
  'notEndsWith',
  'containsAny',
  'containsAll',
  'regex',
]);

/**
 * The SDKs' date helpers (`Query.createdBefore(d)`, ...). Appwrite has no such methods: its SDKs
 * send `lessThan("$createdAt", d)` and so on. A client that sends the helper's name gets it
 * rewritten to that, so both spellings mean the same query.
 */
const DATE_HELPERS: Readonly<Record<string, { method: string; attribute: string }>> = {
  createdBefore: { method: 'lessThan', attribute: '$createdAt' },
  createdAfter: { method: 'greaterThan', attribute: '$createdAt' },
  createdBetween: { method: 'between', attribute: '$createdAt' },
  updatedBefore: { method: 'lessThan', attribute: '$updatedAt' },
  updatedAfter: { method: 'greaterThan', attribute: '$updatedAt' },
  updatedBetween: { method: 'between', attribute: '$updatedAt' },
};

// Own keys only: a method named `constructor` is no helper.
const isDateHelper = (method: unknown): method is string => typeof method === 'string' && Object.prototype.hasOwnProperty.call(DATE_HELPERS, method);

/** A date helper as the query the SDKs send for it (DATE_HELPERS). */
function rewriteDateHelper(name: string, values: unknown[]): ParsedQuery {
  const { method, attribute } = DATE_HELPERS[name];
  return { method, attribute, values };
}

/** Methods the JSON syntax knows; anything else is rejected at parse time (§3.2). */
export const QUERY_METHODS: ReadonlySet<string> = new Set([
  ...ATTRIBUTE_AND_VALUES_METHODS,
  'between',
  'notBetween',
  'exists',
  'notExists',
  'select',
  'orderAsc',
  'orderDesc',
  'orderRandom',
  'limit',
  'offset',
  'cursorAfter',
  'cursorBefore',
  'and',
  'or',
]);

const SINGLE_VALUE_METHODS: ReadonlySet<string> = new Set(['limit', 'offset', 'cursorAfter', 'cursorBefore']);

export function parseQuery(s: string): ParsedQuery {
  return /^[ \t\n\r]*\{/.test(s) ? parseJsonQuery(s) : parseStringQuery(s);
}

// ---------------------------------------------------------------------------------------------
// String syntax

type RawParam = string | string[];
type Scalar = string | number | boolean | null;

/** Step 5: PHP `Query::parseValue`. */
function parseValue(raw: string): Scalar {
  const value = phpTrim(raw);
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (value === 'null') return null;
  if (isPhpNumeric(value)) return phpNumber(value);
  if (value.startsWith('"') || value.startsWith("'")) {
    // PHP substr($v, 1, -1): drops the first and the last character, whatever they are.
    const cps = Array.from(value);
    return cps.slice(1, -1).join('');
  }
  return value;
}

const SPECIAL_AFTER_BACKSLASH = new Set([',', '[', ']', '"', "'"]);

/**
 * Coerces a parsed parameter to the `string $attribute` of PHP's Query constructor (coercive
 * typing: scalars convert, arrays and null throw a TypeError, which Appwrite reports as an
 * invalid query).
 */
function attributeFrom(param: unknown, s: string): string {
  if (param === null || param === undefined || Array.isArray(param)) {
    throw new QueryError(`Invalid query: ${s}`);
  }
  return phpString(param);
}

function parseStringQuery(s: string): ParsedQuery {
  // Work on code points: PHP walks bytes, but every syntactic character is ASCII, so this only
  // differs for malformed multi-byte input at the very end of the string.
  const chars = Array.from(s);
  const open = chars.indexOf('(');
  if (open < 0) throw new QueryError(`Invalid query: ${s}`);
  const method = chars.slice(0, open).join('');
  // The pre-1.0 `attr.equal(…)` form.
  if (method.includes('.')) throw new QueryError(`Invalid query: ${s}`);

  // The last character is assumed to be ")" and never inspected.
  const end = chars.length - 1;
  const params: RawParam[] = [];
  let token = '';
  let array: string[] = [];
  let depth = 0;
  let quote: string | null = null;

  // Spaces and commas outside strings are dropped, also when they arrive escaped.
  const append = (c: string, inString: boolean): void => {
    if ((c === ' ' || c === ',') && !inString) return;
    token += c;
  };

  for (let i = open + 1; i < end; i++) {
    const c = chars[i];
    const inString = quote !== null;
    const inArray = !inString && depth > 0;

    if (c === '\\') {
      // May peek at the final ")" and swallow it — PHP does the same.
      const next = chars[i + 1];
      if (!SPECIAL_AFTER_BACKSLASH.has(next)) append(c, inString);
      append(next, inString);
      i++;
      continue;
    }

    // PHP additionally checks that the quote is not preceded by an unescaped backslash; the
    // backslash branch above already consumed any such quote, so that check never fires.
    if (c === '"' || c === "'") {
      if (inString) {
        if (c === quote) quote = null;
      } else {
        quote = c;
      }
      append(c, inString);
      continue;
    }

    if (!inString) {
      if (c === '[') {
        depth++;
        continue;
      }
      if (c === ']') {
        depth--;
        if (token.length > 0) array.push(token);
        params.push(array);
        array = [];
        token = '';
        continue;
      }
      if (c === ',') {
        if (inArray) {
          array.push(token);
          token = '';
        } else if (array.length === 0) {
          if (token.length > 0) params.push(token);
          token = '';
        }
        continue;
      }
    }

    append(c, inString);
  }
  if (token.length > 0) params.push(token);

  // PHP collects array elements into one `$arr` that is never reset, so a second array
  // parameter also contains the elements of the first. Reproduced for fidelity; only
  // observable in malformed queries such as `between("a", [1], [2])`.
  const accumulated: Scalar[] = [];
  const parsed: Array<Scalar | Scalar[]> = params.map((p) => {
    if (Array.isArray(p)) {
      for (const el of p) accumulated.push(parseValue(el));
      return [...accumulated];
    }
    return parseValue(p);
  });

  if (ATTRIBUTE_AND_VALUES_METHODS.has(method)) {
    // `$params[0] ?? ''`: a missing or null attribute becomes "".
    const attribute = parsed[0] === undefined || parsed[0] === null ? '' : attributeFrom(parsed[0], s);
    if (parsed.length < 2) return { method, attribute, values: [] };
    const second = parsed[1];
    return { method, attribute, values: Array.isArray(second) ? second : [second] };
  }
  if (method === 'between' || method === 'notBetween') {
    // No `??` here in PHP: a missing attribute is a TypeError; missing bounds become null.
    const attribute = attributeFrom(parsed[0], s);
    return { method, attribute, values: [parsed[1] ?? null, parsed[2] ?? null] };
  }
  if (method === 'select') {
    const first = parsed[0];
    if (!Array.isArray(first)) throw new QueryError(`Invalid query: ${s}`);
    return { method, attribute: '', values: first };
  }
  if (method === 'exists' || method === 'notExists') {
    // The attribute names are the values, as the SDKs send them: `exists(["name"])` or `exists("name")`.
    const first = parsed[0];
    return { method, attribute: '', values: first === undefined ? [] : Array.isArray(first) ? first : [first] };
  }
  if (method === 'orderRandom') return { method, attribute: '', values: [] };
  if (isDateHelper(method)) return rewriteDateHelper(method, parsed.flatMap((p) => (Array.isArray(p) ? p : [p])));
  if (method === 'orderAsc' || method === 'orderDesc') {
    const attribute = parsed[0] === undefined || parsed[0] === null ? '' : attributeFrom(parsed[0], s);
    return { method, attribute, values: [] };
  }
  if (SINGLE_VALUE_METHODS.has(method)) {
    return { method, attribute: '', values: parsed.length > 0 ? [parsed[0]] : [] };
  }
  return { method, attribute: '', values: [] };
}

// ---------------------------------------------------------------------------------------------
// JSON syntax

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromJsonObject(obj: unknown, s: string): ParsedQuery {
  if (!isJsonObject(obj)) throw new QueryError(`Invalid query: ${s}`);
  // Like PHP's `??`, an explicit null counts as absent.
  const method = obj.method ?? '';
  const isHelper = isDateHelper(method);
  if (typeof method !== 'string' || !(QUERY_METHODS.has(method) || isHelper)) {
    throw new QueryError(`Query method not valid: ${phpString(method)}`);
  }
  const attribute = obj.attribute ?? '';
  if (typeof attribute !== 'string') throw new QueryError(`Invalid query: ${s}`);
  const values = obj.values ?? [];
  if (!Array.isArray(values)) throw new QueryError(`Invalid query: ${s}`);
  if (method === 'and' || method === 'or') {
    return { method, attribute, values: values.map((v) => fromJsonObject(v, s)) };
  }
  if (isHelper) return rewriteDateHelper(method, values);
  return { method, attribute, values };
}

function parseJsonQuery(s: string): ParsedQuery {
  // json_decode, as Appwrite's Query::parse: nesting beyond 512 or a lone surrogate fails too.
  const decoded = phpJsonDecode(s);
  if (!decoded.ok) throw new QueryError(`Invalid query: ${s}`);
  return fromJsonObject(decoded.value, s);
}
