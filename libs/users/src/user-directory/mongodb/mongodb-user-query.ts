import type { Document } from 'mongodb';
import { AttributeType, UserAttribute, UserFilter, UserListQuery } from '@lib/appwrite';
import { isIndexableWord, planSearch, prefixUpperBound } from '../search-plan';

/*
 * List Users as MongoDB query documents: a filter, a sort and a keyset condition, nothing else.
 * Only plain `find` operators are used ($in, $nin, $ne, $lt/$lte/$gt/$gte, $regex, $and, $or):
 * no $expr, no collation, no aggregation, no $not/$nor. That keeps the queries within what
 * FerretDB 1.x implements and lets MongoDB turn every one of them into index bounds.
 *
 * The rules of queries.md §5 map onto BSON comparison without any trick:
 * - Case-insensitivity: string attributes are compared through a lower-cased shadow field
 *   (JS toLowerCase, like the SQLite adapter), operands are lower-cased here.
 * - Code-point order: BSON strings compare as UTF-8 bytes (without a collation), which is
 *   code-point order, the order of SQLite's BINARY collation and of the reference.
 * - Nulls: comparison operators never match null thanks to type bracketing ($lt: "x" only
 *   considers strings), so only $ne needs care: it matches null, hence $nin: [value, null].
 *   A sort puts null below every value, so nulls lead an ascending order and trail a
 *   descending one, as §5 asks.
 *
 * Conditions on distinct fields are merged into one document rather than nested in $and, so
 * scalar equalities (the project, a boolean, a single value) stay top-level: MongoDB plans
 * them onto the (projectId, field, sequence) indexes, and FerretDB 1.x pushes exactly those
 * (top-level scalar equalities) down into its SQL.
 */

export interface UserFieldInfo {
  /** The document field comparisons and sorting use (the lower-cased shadow for strings). */
  field: string;
  type: AttributeType;
  nullable: boolean;
}

export const USER_FIELDS: Record<UserAttribute, UserFieldInfo> = {
  $id: { field: 'idLc', type: 'string', nullable: false },
  $createdAt: { field: 'createdAt', type: 'datetime', nullable: false },
  $updatedAt: { field: 'updatedAt', type: 'datetime', nullable: false },
  name: { field: 'nameLc', type: 'string', nullable: false },
  email: { field: 'emailLc', type: 'string', nullable: true },
  phone: { field: 'phoneLc', type: 'string', nullable: true },
  status: { field: 'status', type: 'boolean', nullable: false },
  emailVerification: { field: 'emailVerification', type: 'boolean', nullable: false },
  phoneVerification: { field: 'phoneVerification', type: 'boolean', nullable: false },
  passwordUpdate: { field: 'passwordUpdate', type: 'datetime', nullable: true },
  registration: { field: 'registration', type: 'datetime', nullable: false },
};

/** Matches no document: `$in` over an empty list (an empty `$or` is an error in MongoDB). */
export const MATCH_NOTHING: Readonly<Document> = Object.freeze({ _id: { $in: [] } });

type Scalar = string | boolean | number;

export interface SortKey {
  field: string;
  desc: boolean;
  /** Whether the field can hold null (decides whether "after" in a descending order includes nulls). */
  nullable: boolean;
}

export interface CompiledUserList {
  /** Everything that matches the filters and the search, for the total (no cursor). */
  filter: Document;
  /** The page; null when the limit is 0 (a MongoDB limit of 0 would mean "no limit"). */
  page: { filter: Document; sort: Array<[string, 1 | -1]>; skip: number; limit: number } | null;
  /** cursorBefore walks the order backwards from the cursor; the page must be reversed back. */
  reverse: boolean;
}

/** The cursor user's document (only the sort fields are read). */
export type CursorDoc = Readonly<Record<string, unknown>>;

/** Largest skip/limit sent: MongoDB and FerretDB take 64-bit values, but JS numbers above 2^31 serialise as doubles. */
const MAX_INT32 = 2 ** 31 - 1;

export function compileUserList(projectId: string, query: UserListQuery, cursor: CursorDoc | null): CompiledUserList {
  const conditions = compileConditions(query);
  const filter = inProject(projectId, conditions);
  const limit = clampInt(query.limit);
  if (limit === 0) return { filter, page: null, reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  return {
    filter,
    page: {
      filter: cursor === null ? filter : inProject(projectId, and([conditions, strictlyAfter(keys, cursor)])),
      sort: keys.map((k): [string, 1 | -1] => [k.field, k.desc ? -1 : 1]),
      skip: clampInt(query.offset),
      limit,
    },
    reverse,
  };
}

/** The filters (AND-ed) and the search term as one condition, without the project. */
export function compileConditions(query: Pick<UserListQuery, 'filters' | 'search'>): Document {
  const parts: Document[] = query.filters.map(compileUserFilter);
  if (query.search !== undefined) parts.push(compileSearch(query.search));
  return and(parts);
}

/**
 * Confines a condition to a project. The project stays a top-level equality, which MongoDB
 * matches against the leading field of every users index and FerretDB pushes down to SQL.
 * No compiled condition names `projectId`, so merging the keys is safe.
 */
function inProject(projectId: string, conditions: Document): Document {
  return { projectId, ...conditions };
}

/**
 * The requested orders, then insertion order ascending as the tie-breaker that makes the order
 * total. A field already sorted on cannot order anything again, so repeats are dropped (a sort
 * document cannot hold one key twice anyway).
 */
export function sortKeys(query: Pick<UserListQuery, 'orders'>): SortKey[] {
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const order of query.orders) {
    const info = order.attribute === null ? SEQUENCE : USER_FIELDS[order.attribute];
    if (seen.has(info.field)) continue;
    seen.add(info.field);
    keys.push({ field: info.field, desc: order.direction === 'desc', nullable: info.nullable });
    // Sequences are unique: nothing after an insertion-order key can change the order.
    if (info.field === SEQUENCE.field) return keys;
  }
  keys.push({ field: SEQUENCE.field, desc: false, nullable: false });
  return keys;
}

const SEQUENCE = { field: 'sequence', nullable: false } as const;

/**
 * Keyset condition "document comes strictly after the cursor document in this order":
 * k1 > c1 OR (k1 = c1 AND k2 > c2) OR ..., where "after" and "equal" follow the null placement
 * of each key (null is the smallest value). The cursor's values are known, so null cases are
 * resolved here rather than in the query.
 */
export function strictlyAfter(keys: SortKey[], cursor: CursorDoc): Document {
  const alternatives: Document[] = [];
  const equalSoFar: Document = {};
  for (const key of keys) {
    const c = cursor[key.field] as Scalar | null | undefined;
    let after: Document | null;
    if (c === null || c === undefined) {
      // Nulls lead an ascending order and trail a descending one.
      after = key.desc ? null : { [key.field]: { $ne: null } };
    } else if (key.desc) {
      // Values below the cursor's, and the nulls that trail them.
      after = key.nullable ? { $or: [{ [key.field]: { $lt: c } }, { [key.field]: null }] } : { [key.field]: { $lt: c } };
    } else {
      // Type bracketing keeps nulls out of $gt.
      after = { [key.field]: { $gt: c } };
    }
    if (after !== null) alternatives.push(and([{ ...equalSoFar }, after]));
    equalSoFar[key.field] = c ?? null;
  }
  if (alternatives.length === 0) return { ...MATCH_NOTHING };
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

export function compileUserFilter(filter: UserFilter): Document {
  switch (filter.method) {
    case 'and': {
      if (filter.queries.length === 0) return {};
      return and(filter.queries.map(compileUserFilter));
    }
    case 'or': {
      if (filter.queries.length === 0) return { ...MATCH_NOTHING };
      return anyOf(filter.queries.map(compileUserFilter));
    }
    case 'isNull':
      // Fields are always written, null included, so this never matches a missing field by accident.
      return { [USER_FIELDS[filter.attribute].field]: null };
    case 'isNotNull':
      return { [USER_FIELDS[filter.attribute].field]: { $ne: null } };
    case 'between': {
      const info = USER_FIELDS[filter.attribute];
      return { [info.field]: { $gte: operand(info.type, filter.values[0]), $lte: operand(info.type, filter.values[1]) } };
    }
    case 'equal': {
      const info = USER_FIELDS[filter.attribute];
      if (filter.values.length === 0) return { ...MATCH_NOTHING };
      const values = distinct(filter.values.map((v) => operand(info.type, v)));
      return { [info.field]: values.length === 1 ? values[0] : { $in: values } };
    }
    case 'notEqual': {
      const info = USER_FIELDS[filter.attribute];
      // $ne alone would match null; Appwrite ORs the values, as for every comparison.
      return anyOf(distinct(filter.values.map((v) => operand(info.type, v))).map((v) => ({ [info.field]: { $nin: [v, null] } })));
    }
    case 'lessThan':
    case 'lessThanEqual':
    case 'greaterThan':
    case 'greaterThanEqual': {
      const info = USER_FIELDS[filter.attribute];
      const op = COMPARISON_OPERATORS[filter.method];
      return anyOf(distinct(filter.values.map((v) => operand(info.type, v))).map((v) => ({ [info.field]: { [op]: v } })));
    }
    case 'startsWith':
    case 'endsWith':
    case 'contains': {
      const info = USER_FIELDS[filter.attribute];
      const method = filter.method;
      if (info.type === 'boolean') {
        // "true" starts and ends with "true" only (the reference compares the texts, SQLite the
        // 1/0 it stores): on a boolean these are equality. `contains` is refused for booleans upstream.
        const values = distinct(filter.values.map((v) => v === true));
        return method === 'contains' ? { ...MATCH_NOTHING } : { [info.field]: values.length === 1 ? values[0] : { $in: values } };
      }
      return anyOf(filter.values.map((v) => textMatch(info.field, method, String(operand(info.type, v)))));
    }
    default: {
      const unknown: never = filter;
      throw new Error(`Unknown filter method ${(unknown as { method: string }).method}`);
    }
  }
}

const COMPARISON_OPERATORS = {
  lessThan: '$lt',
  lessThanEqual: '$lte',
  greaterThan: '$gt',
  greaterThanEqual: '$gte',
} as const;

/** Literal prefix / suffix / substring: a range for prefixes (index-friendly), an escaped regex otherwise. */
function textMatch(field: string, method: 'startsWith' | 'endsWith' | 'contains', literal: string): Document {
  if (method === 'startsWith') {
    if (literal === '') return { [field]: { $ne: null } };
    const upper = prefixUpperBound(literal);
    if (upper !== null) return { [field]: { $gte: literal, $lt: upper } };
    return { [field]: { $regex: `^${escapeRegex(literal)}` } };
  }
  // $regex only ever matches strings, so nulls stay out. \z (not $, which also matches before
  // a final newline) anchors at the very end, in PCRE (MongoDB) and RE2 (FerretDB) alike.
  return { [field]: { $regex: method === 'endsWith' ? `${escapeRegex(literal)}\\z` : escapeRegex(literal) } };
}

/**
 * The search parameter (queries.md §6) over the `words` array (the distinct searchable words of
 * the user, multikey-indexed) and `searchText` (all its words, in order, space-separated and
 * space-padded), exactly as planned by search-plan.ts.
 */
export function compileSearch(term: string): Document {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return { ...MATCH_NOTHING };
    case 'any': {
      const parts: Document[] = [];
      if (plan.words.length > 0) parts.push({ words: plan.words.length === 1 ? plan.words[0] : { $in: plan.words } });
      // An anchored regex on an array matches if any element matches, and MongoDB bounds the
      // index scan with it (a $gte/$lt pair on an array field could be met by two different elements).
      if (plan.prefix !== null) parts.push({ words: { $regex: `^${escapeRegex(plan.prefix)}` } });
      return anyOf(parts);
    }
    case 'phrase': {
      // The longest indexable word is the likeliest to be rare: look it up, then check adjacency.
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      return { words: anchor, searchText: { $regex: escapeRegex(` ${plan.words.join(' ')} `) } };
    }
  }
}

/** The padded word string `searchText` that phrase searches look into. */
export function searchTextOf(words: readonly string[]): string {
  return ` ${words.join(' ')} `;
}

/**
 * Escapes a literal for a regex that PCRE (MongoDB) and RE2 (FerretDB) read the same way: ASCII
 * letters, digits and every non-ASCII character stand for themselves; other printable ASCII is
 * backslash-escaped (both engines take a backslash before punctuation literally); control
 * characters become \x{..}, so the pattern never contains a NUL or a raw line break.
 */
export function escapeRegex(literal: string): string {
  let out = '';
  for (const ch of literal) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x80 || /[A-Za-z0-9]/.test(ch)) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else out += `\\${ch}`;
  }
  return out;
}

/** The operand as stored: lower-cased for string attributes (their shadow fields are), booleans as booleans. */
function operand(type: AttributeType, value: string | boolean): Scalar {
  if (type === 'boolean') return value === true;
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

function isMatchAll(doc: Document): boolean {
  return Object.keys(doc).length === 0;
}

/** AND of filters: nested $and flattened, match-all parts dropped, distinct fields merged into one document. */
export function and(parts: Document[]): Document {
  const flat: Document[] = [];
  for (const part of parts) {
    if (isMatchAll(part)) continue;
    if (Object.keys(part).length === 1 && Array.isArray(part.$and)) flat.push(...(part.$and as Document[]));
    else flat.push(part);
  }
  if (flat.length === 0) return {};
  if (flat.length === 1) return flat[0];
  // Conditions on distinct fields read best (and plan best) as one document.
  const keys = flat.flatMap((part) => Object.keys(part));
  if (new Set(keys).size === keys.length) return Object.assign({}, ...flat) as Document;
  return { $and: flat };
}

/** OR of filters; an empty list matches nothing. */
function anyOf(parts: Document[]): Document {
  if (parts.length === 0) return { ...MATCH_NOTHING };
  if (parts.some(isMatchAll)) return {};
  return parts.length === 1 ? parts[0] : { $or: parts };
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), MAX_INT32));
}
