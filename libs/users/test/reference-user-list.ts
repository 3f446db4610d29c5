import { compareCodePoints, LIST_TOTAL_CAP, USER_ATTRIBUTE_TYPES, UserAttribute, UserFilter, UserListQuery } from '@lib/appwrite';
import type { ListResult } from '@lib/read-models';
import { matchesSearch, planSearch, searchableWords } from '../src/user-directory/search-plan';
import type { UserRecord } from '../src/user-directory/user-directory.port';

/**
 * A deliberately naive, in-memory List Users (queries.md §5, §6): the contract suite compares
 * adapters against it on random queries. It shares nothing with any adapter but the search plan.
 * `sequence` is a fixed-width sort key (text order = insertion order), never a number.
 */
export function referenceListUsers(users: UserRecord[], query: UserListQuery): ListResult<UserRecord> {
  const matches = users.filter(
    (u) =>
      query.filters.every((f) => evaluate(f, u)) &&
      (query.search === undefined || matchesSearch(planSearch(query.search), searchableWords(u))),
  );
  const total = query.includeTotal === false ? 0 : Math.min(matches.length, LIST_TOTAL_CAP);
  const compare = comparator(query);
  let candidates = [...matches].sort(compare);
  if (query.cursor) {
    const cursorUser = users.find((u) => u.id === query.cursor!.userId);
    if (!cursorUser) return { total, items: [] };
    const after = query.cursor.direction === 'after';
    candidates = candidates.filter((u) => u !== cursorUser && (compare(u, cursorUser) > 0) === after);
    if (!after) {
      const page = candidates.reverse().slice(query.offset, query.offset + query.limit);
      return { total, items: page.reverse() };
    }
  }
  return { total, items: candidates.slice(query.offset, query.offset + query.limit) };
}

type Value = string | boolean | null;

function valueOf(u: UserRecord, attribute: Exclude<UserAttribute, 'labels'>): Value {
  const raw: Record<Exclude<UserAttribute, 'labels'>, Value> = {
    $id: u.id,
    $createdAt: u.createdAt,
    $updatedAt: u.updatedAt,
    name: u.name,
    email: u.email,
    phone: u.phone,
    status: u.status,
    emailVerification: u.emailVerification,
    phoneVerification: u.phoneVerification,
    passwordUpdate: u.passwordUpdate,
    registration: u.registration,
    impersonator: u.impersonator,
    accessedAt: u.accessedAt,
  };
  const v = raw[attribute];
  return typeof v === 'string' && USER_ATTRIBUTE_TYPES[attribute] === 'string' ? v.toLowerCase() : v;
}

function norm(attribute: UserAttribute, v: string | boolean): Value {
  return typeof v === 'string' && USER_ATTRIBUTE_TYPES[attribute] === 'string' ? v.toLowerCase() : v;
}

/** Orders values like SQL/BSON binary comparison: booleans false < true, strings by code point. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return compareCodePoints(a, b);
}

/** Labels: elements compared exactly; an array is never null. */
function evaluateLabels(f: Exclude<UserFilter, { queries: unknown }>, labels: string[]): boolean {
  if (f.method === 'isNull') return false;
  if (f.method === 'isNotNull') return true;
  const values = (f as { values: unknown[] }).values.map(String);
  switch (f.method) {
    case 'contains':
    case 'containsAny':
      return values.some((x) => labels.includes(x));
    case 'containsAll':
      return values.every((x) => labels.includes(x));
    case 'notContains':
      return !values.some((x) => labels.includes(x));
    default:
      throw new Error(`the reference has no ${f.method} on labels`);
  }
}

/**
 * A pattern of the tests' list (plain enough that JS RegExp reads it as the query syntax does),
 * matched case-insensitively the way the stores do: lower-cased pattern on lower-cased text.
 */
function referenceRegex(pattern: string, text: string): boolean {
  return new RegExp(pattern.toLowerCase(), 'u').test(text);
}

function evaluate(f: UserFilter, u: UserRecord): boolean {
  switch (f.method) {
    case 'and':
      return f.queries.every((q) => evaluate(q, u));
    case 'or':
      return f.queries.some((q) => evaluate(q, u));
  }
  if (f.attribute === 'labels') return evaluateLabels(f, u.labels);
  const attribute = f.attribute;
  if (f.method === 'isNull') return valueOf(u, attribute) === null;
  if (f.method === 'isNotNull') return valueOf(u, attribute) !== null;
  const v = valueOf(u, attribute);
  if (v === null) return false;
  // The attribute check above keeps TS from narrowing on the method: the filter has values here.
  const values = (f as { values: Array<string | boolean> }).values.map((x) => norm(attribute, x));
  const any = (test: (x: Value) => boolean) => values.some(test);
  const all = (test: (x: Value) => boolean) => values.every(test);
  switch (f.method) {
    case 'equal':
      return any((x) => compareValues(v, x) === 0);
    case 'notEqual':
      return any((x) => compareValues(v, x) !== 0);
    case 'lessThan':
      return any((x) => compareValues(v, x) < 0);
    case 'lessThanEqual':
      return any((x) => compareValues(v, x) <= 0);
    case 'greaterThan':
      return any((x) => compareValues(v, x) > 0);
    case 'greaterThanEqual':
      return any((x) => compareValues(v, x) >= 0);
    case 'between':
      return compareValues(v, values[0]) >= 0 && compareValues(v, values[1]) <= 0;
    case 'notBetween':
      return !(compareValues(v, values[0]) >= 0 && compareValues(v, values[1]) <= 0);
    case 'startsWith':
      return any((x) => String(v).startsWith(String(x)));
    case 'notStartsWith':
      return all((x) => !String(v).startsWith(String(x)));
    case 'endsWith':
      return any((x) => String(v).endsWith(String(x)));
    case 'notEndsWith':
      return all((x) => !String(v).endsWith(String(x)));
    case 'contains':
    case 'containsAny':
      return any((x) => String(v).includes(String(x)));
    case 'containsAll':
      return all((x) => String(v).includes(String(x)));
    case 'notContains':
      return all((x) => !String(v).includes(String(x)));
    case 'regex':
      return referenceRegex(String(values[0]), String(v));
  }
}

function comparator(query: UserListQuery): (a: UserRecord, b: UserRecord) => number {
  return (a, b) => {
    for (const order of query.orders) {
      if (order.direction === 'random') throw new Error('the reference has no random order');
      const sign = order.direction === 'desc' ? -1 : 1;
      const d = order.attribute === null ? compareSequences(a, b) : compareValues(sortValueOf(a, order.attribute), sortValueOf(b, order.attribute));
      if (d !== 0) return sign * d;
    }
    return compareSequences(a, b);
  };
}

/** Labels sort by their JSON text (Appwrite's MariaDB sorts the JSON column). */
function sortValueOf(u: UserRecord, attribute: UserAttribute): Value {
  return attribute === 'labels' ? JSON.stringify(u.labels) : valueOf(u, attribute);
}

/** Sequences are fixed-width sort keys: their plain text order is insertion order. */
function compareSequences(a: UserRecord, b: UserRecord): number {
  if (a.sequence.length !== b.sequence.length) throw new Error(`sequences of different widths: ${a.sequence} / ${b.sequence}`);
  return a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0;
}
