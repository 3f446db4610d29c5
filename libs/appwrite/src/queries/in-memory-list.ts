import { compareCodePoints } from '../code-point-order';
import { AppwriteException } from '../errors/appwrite-exception';
import { assertServable } from './collection-queries';
import type { CollectionFilter, CollectionListQuery, QueryValue } from './collection-queries';

/*
 * A validated list query run over items already in memory (a user's targets): the same
 * semantics as the SQL and MongoDB compilers (libs/read-models), for lists too small to index.
 * Strings compare case-insensitively; null matches no comparison; ascending orders put nulls
 * first; the items' own order (creation) breaks ties.
 */

export type FieldOf<T, A extends string> = (item: T, attribute: A) => QueryValue | null;

const folded = (v: QueryValue | null) => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(a: QueryValue | null, b: QueryValue | null): number {
  const x = folded(a);
  const y = folded(b);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === 'string' && typeof y === 'string') return compareCodePoints(x, y);
  return x < y ? -1 : 1;
}

/** The filter's parts, read without narrowing (methods beyond these are refused below). */
type AnyFilter<A extends string> = { method: string; attribute: A; values: QueryValue[]; queries: CollectionFilter<A>[] };

function matches<T, A extends string>(item: T, query: CollectionFilter<A>, field: FieldOf<T, A>): boolean {
  const filter = query as unknown as AnyFilter<A>;
  if (filter.method === 'and') return filter.queries.every((f) => matches(item, f, field));
  if (filter.method === 'or') return filter.queries.some((f) => matches(item, f, field));
  const value = field(item, filter.attribute);
  if (filter.method === 'isNull') return value === null;
  if (filter.method === 'isNotNull') return value !== null;
  if (value === null) return false;
  const text = String(folded(value));
  const values = filter.values;
  switch (filter.method) {
    case 'equal':
      return values.some((v) => compare(value, v) === 0);
    case 'notEqual':
      return values.every((v) => compare(value, v) !== 0);
    case 'lessThan':
      return values.some((v) => compare(value, v) < 0);
    case 'lessThanEqual':
      return values.some((v) => compare(value, v) <= 0);
    case 'greaterThan':
      return values.some((v) => compare(value, v) > 0);
    case 'greaterThanEqual':
      return values.some((v) => compare(value, v) >= 0);
    case 'between':
      return compare(value, values[0]) >= 0 && compare(value, values[1]) <= 0;
    case 'startsWith':
      return values.some((v) => text.startsWith(String(folded(v))));
    case 'endsWith':
      return values.some((v) => text.endsWith(String(folded(v))));
    case 'contains':
      return values.some((v) => text.includes(String(folded(v))));
    default:
      throw new AppwriteException('general_query_invalid', `Invalid query: Query method not supported on this route: ${filter.method}`);
  }
}

/**
 * The page and the total of `query` over `items` (in creation order). The cursor's item must be
 * among the matches' candidates (the caller checks it exists).
 */
export function listInMemory<T, A extends string>(items: readonly T[], query: CollectionListQuery<A>, field: FieldOf<T, A>, idOf: (item: T) => string): { total: number; items: T[] } {
  // A refused query (search on an attribute, exists...) holds a match-all stand-in: answer its 400 instead.
  assertServable(query);
  const indexed = items.map((item, index) => ({ item, index }));
  const matching = indexed.filter(({ item }) => query.filters.every((f) => matches(item, f, field)));
  const orders = query.orders.filter((o) => o.attribute !== null);
  const byOrder = (a: { item: T; index: number }, b: { item: T; index: number }) => {
    for (const o of orders) {
      const d = compare(field(a.item, o.attribute!), field(b.item, o.attribute!));
      if (d !== 0) return o.direction === 'asc' ? d : -d;
    }
    const insertion = query.orders.find((o) => o.attribute === null);
    return insertion?.direction === 'desc' ? b.index - a.index : a.index - b.index;
  };
  const sorted = matching.sort(byOrder).map(({ item }) => item);
  const total = matching.length;
  if (!query.cursor) return { total, items: sorted.slice(query.offset, query.offset + query.limit) };
  const at = sorted.findIndex((item) => idOf(item) === query.cursor!.id);
  if (at < 0) return { total, items: [] };
  if (query.cursor.direction === 'after') return { total, items: sorted.slice(at + 1).slice(query.offset, query.offset + query.limit) };
  // Before the cursor: the `limit` items just before it, once `offset` of the nearest are skipped.
  const end = Math.max(at - query.offset, 0);
  return { total, items: sorted.slice(Math.max(end - query.limit, 0), end) };
}
