import type { Document } from 'mongodb';
import type { CollectionAttributeType, CollectionFilter, CollectionListQuery, QueryValue } from '@lib/appwrite';
import { prefixUpperBound } from '../prefix-upper-bound';
import { clampInt } from './mongodb-storage';

/*
 * A validated list query (List Users, Teams, Memberships) as MongoDB query documents: a filter,
 * a sort and a keyset condition, nothing else. Only plain `find` operators are used ($in, $nin,
 * $ne, $lt/$lte/$gt/$gte, $regex, $and, $or): no $expr, no collation, no aggregation, no
 * $not/$nor. That keeps the queries within what FerretDB 1.x implements and lets MongoDB turn
 * every one of them into index bounds.
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
 * (top-level scalar equalities) down into its SQL. The search parameter is the read model's own.
 */

export interface MongoField {
  /** The document field comparisons and sorting use (the lower-cased shadow for strings). */
  field: string;
  type: CollectionAttributeType;
  nullable: boolean;
}

/** Matches no document: `$in` over an empty list (an empty `$or` is an error in MongoDB). */
export const MATCH_NOTHING: Readonly<Document> = Object.freeze({ _id: { $in: [] } });

export interface MongoSortKey {
  field: string;
  desc: boolean;
  /** Whether the field can hold null (decides whether "after" in a descending order includes nulls). */
  nullable: boolean;
}

/** What the compiler reads of a validated list query (the cursor's id is the caller's). */
export type MongoListQuery<A extends string> = Pick<CollectionListQuery<A>, 'filters' | 'orders' | 'limit' | 'offset' | 'search'> & {
  cursor?: { direction: 'after' | 'before' };
};

/** The search parameter as a condition. */
export type MongoSearchCompiler = (term: string) => Document;

export interface CompiledMongoList {
  /** Everything that matches the filters and the search, for the total (no cursor). */
  filter: Document;
  /** The page; null when the limit is 0 (a MongoDB limit of 0 would mean "no limit"). */
  page: { filter: Document; sort: Array<[string, 1 | -1]>; skip: number; limit: number } | null;
  /** cursorBefore walks the order backwards from the cursor; the page must be reversed back. */
  reverse: boolean;
}

/**
 * `scope`: top-level equalities confining the documents (the project first), e.g.
 * `{ projectId, teamId }`; no compiled condition names them, so merging the keys is safe and
 * they stay top-level (matched against the leading fields of every index, pushed down by
 * FerretDB). `cursor`: the cursor's document (only the sort fields are read).
 */
export function compileMongoList<A extends string>(
  fields: Readonly<Record<A, MongoField>>,
  scope: Document,
  query: MongoListQuery<A>,
  cursor: Readonly<Record<string, unknown>> | null,
  search?: MongoSearchCompiler,
): CompiledMongoList {
  const conditions = compileMongoConditions(fields, query, search);
  const filter = { ...scope, ...conditions };
  const limit = clampInt(query.limit);
  if (limit === 0) return { filter, page: null, reverse: false };
  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = mongoSortKeys(fields, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  return {
    filter,
    page: {
      filter: cursor === null ? filter : { ...scope, ...mongoAnd([conditions, mongoStrictlyAfter(keys, cursor)]) },
      sort: keys.map((k): [string, 1 | -1] => [k.field, k.desc ? -1 : 1]),
      // clampInt caps at 2^31 - 1: JS numbers above it would serialise as doubles.
      skip: clampInt(query.offset),
      limit,
    },
    reverse,
  };
}

/** The filters (AND-ed) and the search term as one condition, without the scope. */
export function compileMongoConditions<A extends string>(
  fields: Readonly<Record<A, MongoField>>,
  query: Pick<MongoListQuery<A>, 'filters' | 'search'>,
  search?: MongoSearchCompiler,
): Document {
  const parts = query.filters.map((f) => compileMongoFilter(fields, f));
  if (query.search !== undefined) {
    if (search === undefined) throw new Error('this list has no search');
    parts.push(search(query.search));
  }
  return mongoAnd(parts);
}

/**
 * The requested orders, then insertion order ascending as the tie-breaker that makes the order
 * total. A field already sorted on cannot order anything again, so repeats are dropped (a sort
 * document cannot hold one key twice anyway).
 */
export function mongoSortKeys<A extends string>(fields: Readonly<Record<A, MongoField>>, query: Pick<MongoListQuery<A>, 'orders'>): MongoSortKey[] {
  const keys: MongoSortKey[] = [];
  const seen = new Set<string>();
  for (const order of query.orders) {
    const info = order.attribute === null ? SEQUENCE : fields[order.attribute];
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
export function mongoStrictlyAfter(keys: MongoSortKey[], cursor: Readonly<Record<string, unknown>>): Document {
  const alternatives: Document[] = [];
  const equalSoFar: Document = {};
  for (const key of keys) {
    const c = cursor[key.field] as QueryValue | null | undefined;
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
    if (after !== null) alternatives.push(mongoAnd([{ ...equalSoFar }, after]));
    equalSoFar[key.field] = c ?? null;
  }
  if (alternatives.length === 0) return { ...MATCH_NOTHING };
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

const COMPARISON_OPERATORS: Record<string, string> = { lessThan: '$lt', lessThanEqual: '$lte', greaterThan: '$gt', greaterThanEqual: '$gte' };

export function compileMongoFilter<A extends string>(fields: Readonly<Record<A, MongoField>>, any: CollectionFilter<A>): Document {
  if (any.method === 'and' || any.method === 'or') {
    const logical = any as Extract<CollectionFilter<A>, { queries: unknown }>;
    const parts = logical.queries.map((q) => compileMongoFilter(fields, q));
    if (logical.method === 'and') return parts.length === 0 ? {} : mongoAnd(parts);
    return parts.length === 0 ? { ...MATCH_NOTHING } : mongoAnyOf(parts);
  }
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = fields[filter.attribute];
  const values = () => distinct((filter as { values: QueryValue[] }).values.map((v) => operand(info.type, v)));
  switch (filter.method) {
    case 'isNull':
      // Fields are always written, null included, so this never matches a missing field by accident.
      return { [info.field]: null };
    case 'isNotNull':
      return { [info.field]: { $ne: null } };
    case 'between':
      return { [info.field]: { $gte: operand(info.type, filter.values[0]), $lte: operand(info.type, filter.values[1]) } };
    case 'equal': {
      const vs = values();
      if (vs.length === 0) return { ...MATCH_NOTHING };
      return { [info.field]: vs.length === 1 ? vs[0] : { $in: vs } };
    }
    case 'notEqual':
      // $ne alone would match null; Appwrite ORs the values, as for every comparison.
      return mongoAnyOf(values().map((v) => ({ [info.field]: { $nin: [v, null] } })));
    case 'startsWith':
    case 'endsWith':
    case 'contains': {
      if (info.type === 'boolean') {
        // "true" starts and ends with "true" only (the reference compares the texts, SQLite the
        // 1/0 it stores): on a boolean these are equality. `contains` is refused for booleans upstream.
        const vs = values();
        return filter.method === 'contains' ? { ...MATCH_NOTHING } : { [info.field]: vs.length === 1 ? vs[0] : { $in: vs } };
      }
      const method = filter.method;
      return mongoAnyOf(filter.values.map((v) => textMatch(info.field, method, String(operand(info.type, v)))));
    }
    default:
      return mongoAnyOf(values().map((v) => ({ [info.field]: { [COMPARISON_OPERATORS[filter.method]]: v } })));
  }
}

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
function operand(type: CollectionAttributeType, value: QueryValue): QueryValue {
  if (type === 'boolean') return value === true;
  if (type === 'integer') return Number(value);
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

const isMatchAll = (doc: Document): boolean => Object.keys(doc).length === 0;

/** AND of filters: nested $and flattened, match-all parts dropped, distinct fields merged into one document. */
export function mongoAnd(parts: Document[]): Document {
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
export function mongoAnyOf(parts: Document[]): Document {
  if (parts.length === 0) return { ...MATCH_NOTHING };
  if (parts.some(isMatchAll)) return {};
  return parts.length === 1 ? parts[0] : { $or: parts };
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];
