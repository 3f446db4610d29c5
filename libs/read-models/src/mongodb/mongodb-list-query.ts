import type { Document } from 'mongodb';
import type { CollectionListQuery, QueryValue } from '@lib/appwrite';
import { compileMongoFilter, MATCH_NOTHING, MongoField, mongoAnd } from './mongodb-list-filter';
import { clampInt } from './mongodb-storage';

export { compileMongoFilter, escapeRegex, MATCH_NOTHING, mongoAnd, mongoAnyOf } from './mongodb-list-filter';
export type { MongoField } from './mongodb-list-filter';

/*
 * A validated list query (List Users, Teams, Memberships) as MongoDB query documents: a filter
 * (mongodb-list-filter.ts), a sort and a keyset condition, nothing else. Only plain `find`
 * operators are used ($in, $nin, $all, $ne, $lt/$lte/$gt/$gte, $regex, $and, $or, and $nor for
 * the negated methods): no $expr, no collation, no aggregation. That keeps the queries within
 * what FerretDB 1.x implements and lets MongoDB turn the positive ones into index bounds. A
 * random order (orderRandom) has no `find` form: the page is drawn by runMongoList.
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

export interface MongoSortKey {
  field: string;
  desc: boolean;
  /** Whether the field can hold null (decides whether "after" in a descending order includes nulls). */
  nullable: boolean;
}

/** What the compiler reads of a validated list query (the cursor's id is the caller's). */
export type MongoListQuery<A extends string> = Pick<CollectionListQuery<A>, 'filters' | 'orders' | 'limit' | 'offset' | 'search' | 'includeTotal' | 'cannotServe'> & {
  cursor?: { direction: 'after' | 'before' };
};

/** The search parameter as a condition. */
export type MongoSearchCompiler = (term: string) => Document;

export interface CompiledMongoList {
  /** Everything that matches the filters and the search, for the total (no cursor). */
  filter: Document;
  /** Whether to count `filter` (the `total` parameter). */
  count: boolean;
  /**
   * The page; null when the limit is 0 (a MongoDB limit of 0 would mean "no limit"). `random`:
   * the order ends in a random key, which `sort` (the keys before it) cannot express.
   */
  page: { filter: Document; sort: Array<[string, 1 | -1]>; skip: number; limit: number; random: boolean } | null;
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
  // The handler answers these (assertServable); reaching a store would be a bug, not a query.
  if (query.cannotServe !== undefined) throw new Error(`A query no store can serve reached MongoDB: ${query.cannotServe}`);
  const conditions = compileMongoConditions(fields, query, search);
  const filter = { ...scope, ...conditions };
  const count = query.includeTotal !== false;
  const limit = clampInt(query.limit);
  if (limit === 0) return { filter, count, page: null, reverse: false };
  const random = query.orders.some((o) => o.direction === 'random');
  // Validation refuses a cursor with orderRandom (RANDOM_CURSOR_REFUSAL).
  if (random && cursor !== null) throw new Error('No cursor condition on a random order');
  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = mongoSortKeys(fields, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  return {
    filter,
    count,
    page: {
      filter: cursor === null ? filter : { ...scope, ...mongoAnd([conditions, mongoStrictlyAfter(keys, cursor)]) },
      sort: keys.map((k): [string, 1 | -1] => [k.field, k.desc ? -1 : 1]),
      // clampInt caps at 2^31 - 1: JS numbers above it would serialise as doubles.
      skip: clampInt(query.offset),
      limit,
      random,
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
 * document cannot hold one key twice anyway). A random order ends the keys: what follows it
 * cannot change the order, and the random key itself is runMongoList's to draw.
 */
export function mongoSortKeys<A extends string>(fields: Readonly<Record<A, MongoField>>, query: Pick<MongoListQuery<A>, 'orders'>): MongoSortKey[] {
  const keys: MongoSortKey[] = [];
  const seen = new Set<string>();
  for (const order of query.orders) {
    if (order.direction === 'random') return keys;
    const info: MongoField = order.attribute === null ? SEQUENCE : fields[order.attribute];
    const field = info.sortField ?? info.field;
    if (seen.has(field)) continue;
    seen.add(field);
    keys.push({ field, desc: order.direction === 'desc', nullable: info.nullable });
    // Sequences are unique: nothing after an insertion-order key can change the order.
    if (info.field === SEQUENCE.field) return keys;
  }
  keys.push({ field: SEQUENCE.field, desc: false, nullable: false });
  return keys;
}

const SEQUENCE: MongoField = { field: 'sequence', type: 'string', nullable: false };

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
