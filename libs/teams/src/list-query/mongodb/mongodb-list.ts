import type { Document } from 'mongodb';
import { CollectionAttributeType, CollectionFilter, CollectionListQuery, QueryValue } from '@lib/appwrite';
import { isIndexableWord, planSearch, prefixUpperBound } from '@lib/users';

/*
 * A validated list query (teams, memberships) as plain MongoDB `find` documents, the way List
 * Users compiles (libs/users mongodb-user-query.ts): lower-cased shadow fields for strings,
 * type bracketing keeps nulls out of comparisons ($ne gets `$nin: [v, null]`), `sequence` breaks
 * every tie, the search parameter looks into `words` (multikey) and `searchText`. Only operators
 * FerretDB 1.x implements.
 */

export interface MongoField {
  field: string;
  type: CollectionAttributeType;
  nullable: boolean;
}

export interface CompiledMongoList {
  filter: Document;
  page: { filter: Document; sort: Array<[string, 1 | -1]>; skip: number; limit: number } | null;
  reverse: boolean;
}

interface SortKey {
  field: string;
  desc: boolean;
  nullable: boolean;
}

const MATCH_NOTHING: Readonly<Document> = Object.freeze({ _id: { $in: [] } });
const MAX_INT32 = 2 ** 31 - 1;

/** `scope`: top-level equalities confining the documents (the project first), e.g. `{ projectId, teamId }`. */
export function compileMongoList<A extends string>(fields: Readonly<Record<A, MongoField>>, scope: Document, query: CollectionListQuery<A>, cursor: Document | null): CompiledMongoList {
  const parts = query.filters.map((f) => compileFilter(fields, f));
  if (query.search !== undefined) parts.push(compileSearch(query.search));
  const conditions = and(parts);
  const filter = { ...scope, ...conditions };
  const limit = clampInt(query.limit);
  if (limit === 0) return { filter, page: null, reverse: false };
  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(fields, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  return {
    filter,
    page: {
      filter: cursor === null ? filter : { ...scope, ...and([conditions, strictlyAfter(keys, cursor)]) },
      sort: keys.map((k): [string, 1 | -1] => [k.field, k.desc ? -1 : 1]),
      skip: clampInt(query.offset),
      limit,
    },
    reverse,
  };
}

function sortKeys<A extends string>(fields: Readonly<Record<A, MongoField>>, query: CollectionListQuery<A>): SortKey[] {
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const order of query.orders) {
    const info = order.attribute === null ? { field: 'sequence', nullable: false } : fields[order.attribute];
    if (seen.has(info.field)) continue;
    seen.add(info.field);
    keys.push({ field: info.field, desc: order.direction === 'desc', nullable: info.nullable });
    if (info.field === 'sequence') return keys;
  }
  keys.push({ field: 'sequence', desc: false, nullable: false });
  return keys;
}

function strictlyAfter(keys: SortKey[], cursor: Document): Document {
  const alternatives: Document[] = [];
  const equalSoFar: Document = {};
  for (const key of keys) {
    const c = cursor[key.field] as QueryValue | null | undefined;
    let after: Document | null;
    if (c === null || c === undefined) after = key.desc ? null : { [key.field]: { $ne: null } };
    else if (key.desc) after = key.nullable ? { $or: [{ [key.field]: { $lt: c } }, { [key.field]: null }] } : { [key.field]: { $lt: c } };
    else after = { [key.field]: { $gt: c } };
    if (after !== null) alternatives.push(and([{ ...equalSoFar }, after]));
    equalSoFar[key.field] = c ?? null;
  }
  if (alternatives.length === 0) return { ...MATCH_NOTHING };
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

const COMPARISON_OPERATORS: Record<string, string> = { lessThan: '$lt', lessThanEqual: '$lte', greaterThan: '$gt', greaterThanEqual: '$gte' };

function compileFilter<A extends string>(fields: Readonly<Record<A, MongoField>>, any: CollectionFilter<A>): Document {
  if (any.method === 'and' || any.method === 'or') {
    const logical = any as Extract<CollectionFilter<A>, { queries: unknown }>;
    const parts = logical.queries.map((q) => compileFilter(fields, q));
    if (logical.method === 'and') return parts.length === 0 ? {} : and(parts);
    return parts.length === 0 ? { ...MATCH_NOTHING } : anyOf(parts);
  }
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = fields[filter.attribute];
  const values = () => distinct((filter as { values: QueryValue[] }).values.map((v) => operand(info.type, v)));
  switch (filter.method) {
    case 'isNull':
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
      return anyOf(values().map((v) => ({ [info.field]: { $nin: [v, null] } })));
    case 'startsWith':
    case 'endsWith':
    case 'contains': {
      if (info.type === 'boolean') {
        const vs = values();
        return filter.method === 'contains' ? { ...MATCH_NOTHING } : { [info.field]: vs.length === 1 ? vs[0] : { $in: vs } };
      }
      const method = filter.method;
      return anyOf(filter.values.map((v) => textMatch(info.field, method, String(operand(info.type, v)))));
    }
    default:
      return anyOf(values().map((v) => ({ [info.field]: { [COMPARISON_OPERATORS[filter.method]]: v } })));
  }
}

function textMatch(field: string, method: 'startsWith' | 'endsWith' | 'contains', literal: string): Document {
  if (method === 'startsWith') {
    if (literal === '') return { [field]: { $ne: null } };
    const upper = prefixUpperBound(literal);
    if (upper !== null) return { [field]: { $gte: literal, $lt: upper } };
    return { [field]: { $regex: `^${escapeRegex(literal)}` } };
  }
  return { [field]: { $regex: method === 'endsWith' ? `${escapeRegex(literal)}\\z` : escapeRegex(literal) } };
}

function compileSearch(term: string): Document {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return { ...MATCH_NOTHING };
    case 'any': {
      const parts: Document[] = [];
      if (plan.words.length > 0) parts.push({ words: plan.words.length === 1 ? plan.words[0] : { $in: plan.words } });
      if (plan.prefix !== null) parts.push({ words: { $regex: `^${escapeRegex(plan.prefix)}` } });
      return anyOf(parts);
    }
    case 'phrase': {
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      return { words: anchor, searchText: { $regex: escapeRegex(` ${plan.words.join(' ')} `) } };
    }
  }
}

/** The padded word string phrase searches look into. */
export const searchTextOf = (words: readonly string[]): string => ` ${words.join(' ')} `;

/** A literal PCRE (MongoDB) and RE2 (FerretDB) read alike (see mongodb-user-query.ts). */
function escapeRegex(literal: string): string {
  let out = '';
  for (const ch of literal) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x80 || /[A-Za-z0-9]/.test(ch)) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else out += `\\${ch}`;
  }
  return out;
}

function operand(type: CollectionAttributeType, value: QueryValue): QueryValue {
  if (type === 'boolean') return value === true;
  if (type === 'integer') return Number(value);
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

const isMatchAll = (doc: Document) => Object.keys(doc).length === 0;

function and(parts: Document[]): Document {
  const flat: Document[] = [];
  for (const part of parts) {
    if (isMatchAll(part)) continue;
    if (Object.keys(part).length === 1 && Array.isArray(part.$and)) flat.push(...(part.$and as Document[]));
    else flat.push(part);
  }
  if (flat.length === 0) return {};
  if (flat.length === 1) return flat[0];
  const keys = flat.flatMap((part) => Object.keys(part));
  if (new Set(keys).size === keys.length) return Object.assign({}, ...flat) as Document;
  return { $and: flat };
}

function anyOf(parts: Document[]): Document {
  if (parts.length === 0) return { ...MATCH_NOTHING };
  if (parts.some(isMatchAll)) return {};
  return parts.length === 1 ? parts[0] : { $or: parts };
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];
const clampInt = (n: number): number => Math.max(0, Math.min(Math.floor(n), MAX_INT32));
