import type { Document } from 'mongodb';
import type { CollectionAttributeType, CollectionFilter, QueryValue } from '@lib/appwrite';
import { prefixUpperBound } from '../prefix-upper-bound';
import { mongoRegexPattern } from './mongodb-regex';

/*
 * One validated filter as a MongoDB query document (see mongodb-list-query.ts for the mapping
 * of queries.md §5). Only `find` operators that FerretDB 1.x implements are used. The positive
 * methods stick to index-friendly ones ($in, $lt..., anchored or range prefixes); the negated
 * methods of Appwrite 1.8 cannot use an index anyway and take `$nor`, always next to an explicit
 * `$ne: null`, since a negation would otherwise match the nulls SQL keeps out.
 */

export interface MongoField {
  /** The document field comparisons use (the lower-cased shadow for strings; an array's elements). */
  field: string;
  type: CollectionAttributeType;
  nullable: boolean;
  /** The field sorts use when it is not `field`: an array sorts by its JSON text, as Appwrite's MariaDB sorts a JSON column. */
  sortField?: string;
}

/** Matches no document: `$in` over an empty list (an empty `$or` is an error in MongoDB). */
export const MATCH_NOTHING: Readonly<Document> = Object.freeze({ _id: { $in: [] } });

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
  const f = info.field;
  if (info.type === 'string[]') return compileArrayFilter(f, filter);
  const values = () => distinct((filter as { values: QueryValue[] }).values.map((v) => operand(info.type, v)));
  const texts = () => values().map(String);
  switch (filter.method) {
    case 'isNull':
      // Fields are always written, null included, so this never matches a missing field by accident.
      return { [f]: null };
    case 'isNotNull':
      return { [f]: { $ne: null } };
    case 'between':
      return { [f]: { $gte: operand(info.type, filter.values[0]), $lte: operand(info.type, filter.values[1]) } };
    case 'notBetween':
      // Type bracketing keeps nulls out of $lt/$gt.
      return { $or: [{ [f]: { $lt: operand(info.type, filter.values[0]) } }, { [f]: { $gt: operand(info.type, filter.values[1]) } }] };
    case 'equal': {
      const vs = values();
      if (vs.length === 0) return { ...MATCH_NOTHING };
      return { [f]: vs.length === 1 ? vs[0] : { $in: vs } };
    }
    case 'notEqual':
      // $ne alone would match null; Appwrite ORs the values, as for every comparison.
      return mongoAnyOf(values().map((v) => ({ [f]: { $nin: [v, null] } })));
    case 'regex':
      return { [f]: { $regex: mongoRegexPattern(String(filter.values[0])) } };
    default:
      break;
  }
  if (info.type === 'boolean') {
    // "true" starts and ends with "true" only (the reference compares the texts, SQLite the
    // 1/0 it stores): on a boolean the affix methods are (in)equality. The contains family is refused upstream.
    const vs = values();
    if (filter.method === 'startsWith' || filter.method === 'endsWith') return { [f]: vs.length === 1 ? vs[0] : { $in: vs } };
    if (filter.method === 'notStartsWith' || filter.method === 'notEndsWith') return { [f]: { $nin: [...vs, null] } };
    if (filter.method in COMPARISON_OPERATORS) return mongoAnyOf(vs.map((v) => ({ [f]: { [COMPARISON_OPERATORS[filter.method]]: v } })));
    return { ...MATCH_NOTHING };
  }
  switch (filter.method) {
    case 'startsWith':
    case 'endsWith':
    case 'contains':
    case 'containsAny': {
      const method = filter.method === 'containsAny' ? 'contains' : filter.method;
      return mongoAnyOf(texts().map((v) => textMatch(f, method, v)));
    }
    case 'containsAll':
      return mongoAnd(texts().map((v) => textMatch(f, 'contains', v)));
    case 'notStartsWith':
      return mongoAnd(texts().map((v) => notPrefix(f, v)));
    case 'notEndsWith':
    case 'notContains': {
      const method = filter.method === 'notEndsWith' ? 'endsWith' : 'contains';
      return { [f]: { $ne: null }, $nor: texts().map((v) => textMatch(f, method, v)) };
    }
    default: {
      const op = COMPARISON_OPERATORS[filter.method];
      if (op === undefined) throw new Error(`No MongoDB filter for ${filter.method}`);
      return mongoAnyOf(values().map((v) => ({ [f]: { [op]: v } })));
    }
  }
}

/** An array: "has any of" is $in, "has all of" $all, "has none of" $nin (matching on elements, exactly). An array is never null. */
function compileArrayFilter(f: string, filter: Exclude<CollectionFilter, { queries: unknown }>): Document {
  if (filter.method === 'isNull') return { ...MATCH_NOTHING };
  if (filter.method === 'isNotNull') return {};
  const vs = distinct((filter as { values: QueryValue[] }).values.map(String));
  switch (filter.method) {
    case 'contains':
    case 'containsAny':
      return vs.length === 1 ? { [f]: vs[0] } : { [f]: { $in: vs } };
    case 'containsAll':
      return { [f]: { $all: vs } };
    case 'notContains':
      return { [f]: { $nin: vs } };
    default:
      throw new Error(`No MongoDB filter for ${filter.method} on an array`);
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

/** Outside the prefix's range; type bracketing keeps nulls out. Every value starts with "". */
function notPrefix(field: string, literal: string): Document {
  if (literal === '') return { ...MATCH_NOTHING };
  const upper = prefixUpperBound(literal);
  if (upper !== null) return { $or: [{ [field]: { $lt: literal } }, { [field]: { $gte: upper } }] };
  return { [field]: { $ne: null }, $nor: [textMatch(field, 'startsWith', literal)] };
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

/** The operand as stored: lower-cased for string attributes (their shadow fields are), booleans as booleans, array elements as they are. */
export function operand(type: CollectionAttributeType, value: QueryValue): QueryValue {
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
