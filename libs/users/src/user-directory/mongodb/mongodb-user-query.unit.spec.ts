import type { Document } from 'mongodb';
import type { UserFilter, UserListQuery } from '@lib/appwrite';
import { compareCodePoints } from '@lib/appwrite';
import { makeUser, referenceListUsers } from '@lib/users/testing';
import type { UserRecord } from '../user-directory.port';
import {
  compileSearch,
  compileUserFilter,
  compileUserList,
  escapeRegex,
  MATCH_NOTHING,
  sortKeys,
  strictlyAfter,
} from './mongodb-user-query';
import { userFields } from './user-directory.mongodb';

/*
 * The List Users compiler without a server: the query documents it produces, and (through a
 * small evaluator of exactly the operators it emits, with MongoDB's null and type-bracketing
 * rules) agreement with the reference on random queries. The contract suite then runs the
 * same against a real server.
 */

const q = (over: Partial<UserListQuery> = {}): UserListQuery => ({ filters: [], orders: [], limit: 25, offset: 0, ...over });

describe('compileUserFilter', () => {
  it.each<[string, UserFilter, Document]>([
    ['equal, one value, lower-cased', { method: 'equal', attribute: 'name', values: ['BoB'] }, { nameLc: 'bob' }],
    ['equal, values deduplicated', { method: 'equal', attribute: 'email', values: ['A', 'a', 'b'] }, { emailLc: { $in: ['a', 'b'] } }],
    ['equal, no value', { method: 'equal', attribute: 'name', values: [] }, MATCH_NOTHING],
    ['equal on a boolean', { method: 'equal', attribute: 'status', values: [false] }, { status: false }],
    ['equal on a datetime keeps case', { method: 'equal', attribute: 'registration', values: ['2023-01-01T00:00:00.000+00:00'] }, { registration: '2023-01-01T00:00:00.000+00:00' }],
    ['notEqual excludes nulls', { method: 'notEqual', attribute: 'email', values: ['X'] }, { emailLc: { $nin: ['x', null] } }],
    [
      'notEqual ORs its values',
      { method: 'notEqual', attribute: 'name', values: ['a', 'b'] },
      { $or: [{ nameLc: { $nin: ['a', null] } }, { nameLc: { $nin: ['b', null] } }] },
    ],
    ['lessThan', { method: 'lessThan', attribute: '$id', values: ['Z'] }, { idLc: { $lt: 'z' } }],
    ['greaterThanEqual on a boolean', { method: 'greaterThanEqual', attribute: 'status', values: [true] }, { status: { $gte: true } }],
    ['between', { method: 'between', attribute: 'name', values: ['B', 'D'] }, { nameLc: { $gte: 'b', $lte: 'd' } }],
    ['isNull', { method: 'isNull', attribute: 'phone' }, { phoneLc: null }],
    ['isNotNull', { method: 'isNotNull', attribute: 'passwordUpdate' }, { passwordUpdate: { $ne: null } }],
    ['startsWith is a range', { method: 'startsWith', attribute: 'email', values: ['D_'] }, { emailLc: { $gte: 'd_', $lt: 'd`' } }],
    ['startsWith empty is "not null"', { method: 'startsWith', attribute: 'email', values: [''] }, { emailLc: { $ne: null } }],
    ['startsWith ending in U+10FFFF is a regex', { method: 'startsWith', attribute: 'name', values: ['a\u{10FFFF}'] }, { nameLc: { $regex: '^a\u{10FFFF}' } }],
    ['endsWith is an escaped, \\z-anchored regex', { method: 'endsWith', attribute: 'name', values: ['% Sure'] }, { nameLc: { $regex: '\\%\\ sure\\z' } }],
    ['contains is an escaped regex', { method: 'contains', attribute: 'email', values: ['a.b'] }, { emailLc: { $regex: 'a\\.b' } }],
    ['startsWith on a boolean is equality', { method: 'startsWith', attribute: 'status', values: [true] }, { status: true }],
    ['and of nothing matches all', { method: 'and', queries: [] }, {}],
    ['or of nothing matches nothing', { method: 'or', queries: [] }, MATCH_NOTHING],
    [
      'nested and/or',
      {
        method: 'or',
        queries: [
          { method: 'equal', attribute: 'name', values: ['a'] },
          { method: 'and', queries: [{ method: 'isNull', attribute: 'email' }, { method: 'equal', attribute: 'status', values: [true] }] },
        ],
      },
      { $or: [{ nameLc: 'a' }, { emailLc: null, status: true }] },
    ],
  ])('%s', (_, filter, expected) => {
    expect(compileUserFilter(filter)).toEqual(expected);
  });
});

describe('compileSearch', () => {
  it('any-word plan: whole words by $in, the last word as an anchored prefix', () => {
    expect(compileSearch('lionel ronaldo')).toEqual({ $or: [{ words: 'lionel' }, { words: { $regex: '^ronaldo' } }] });
    expect(compileSearch('jo')).toEqual({ words: { $regex: '^jo' } });
    expect(compileSearch('ann bob the')).toEqual({ words: { $in: ['ann', 'bob'] } });
  });
  it('phrase plan: the longest word through the index, adjacency on the padded text', () => {
    expect(compileSearch('"Cristiano Ronaldo"')).toEqual({ words: 'cristiano', searchText: { $regex: '\\ cristiano\\ ronaldo\\ ' } });
  });
  it('nothing to look for matches nothing', () => {
    expect(compileSearch('the')).toEqual(MATCH_NOTHING);
    expect(compileSearch('***')).toEqual(MATCH_NOTHING);
  });
});

describe('sortKeys / strictlyAfter / compileUserList', () => {
  it('adds sequence as tie-breaker, drops repeated fields, stops at insertion order', () => {
    expect(sortKeys({ orders: [] })).toEqual([{ field: 'sequence', desc: false, nullable: false }]);
    expect(sortKeys({ orders: [{ attribute: 'name', direction: 'asc' }, { attribute: 'name', direction: 'desc' }] })).toEqual([
      { field: 'nameLc', desc: false, nullable: false },
      { field: 'sequence', desc: false, nullable: false },
    ]);
    expect(
      sortKeys({ orders: [{ attribute: 'email', direction: 'desc' }, { attribute: null, direction: 'desc' }, { attribute: 'name', direction: 'asc' }] }),
    ).toEqual([
      { field: 'emailLc', desc: true, nullable: true },
      { field: 'sequence', desc: true, nullable: false },
    ]);
  });

  it('resolves null cursor values: nulls lead ascending and trail descending orders', () => {
    const keys = [{ field: 'emailLc', desc: false, nullable: true }, { field: 'sequence', desc: false, nullable: false }];
    expect(strictlyAfter(keys, { emailLc: null, sequence: 5 })).toEqual({
      $or: [{ emailLc: { $ne: null } }, { emailLc: null, sequence: { $gt: 5 } }],
    });
    const desc = [{ field: 'emailLc', desc: true, nullable: true }, { field: 'sequence', desc: false, nullable: false }];
    expect(strictlyAfter(desc, { emailLc: null, sequence: 5 })).toEqual({ emailLc: null, sequence: { $gt: 5 } });
    expect(strictlyAfter(desc, { emailLc: 'b', sequence: 5 })).toEqual({
      $or: [{ $or: [{ emailLc: { $lt: 'b' } }, { emailLc: null }] }, { emailLc: 'b', sequence: { $gt: 5 } }],
    });
    expect(strictlyAfter([{ field: 'sequence', desc: true, nullable: false }], { sequence: 1 })).toEqual({ sequence: { $lt: 1 } });
    expect(strictlyAfter([{ field: 'nameLc', desc: true, nullable: false }, { field: 'sequence', desc: false, nullable: false }], { nameLc: 'b', sequence: 1 })).toEqual({
      $or: [{ nameLc: { $lt: 'b' } }, { nameLc: 'b', sequence: { $gt: 1 } }],
    });
  });

  it('keeps the project a top-level equality, reverses cursorBefore, and has no page for limit 0', () => {
    const compiled = compileUserList('p1', q({ filters: [{ method: 'equal', attribute: 'status', values: [true] }], cursor: { direction: 'before', userId: 'x' } }), {
      sequence: 7,
    });
    expect(compiled.filter).toEqual({ projectId: 'p1', status: true });
    expect(compiled.reverse).toBe(true);
    expect(compiled.page).toEqual({
      filter: { projectId: 'p1', status: true, sequence: { $lt: 7 } },
      sort: [['sequence', -1]],
      skip: 0,
      limit: 25,
      random: false,
    });
    expect(compileUserList('p1', q({ limit: 0 }), null)).toEqual({ filter: { projectId: 'p1' }, count: true, page: null, reverse: false });
    expect(compileUserList('p1', q({ limit: 0, includeTotal: false }), null).count).toBe(false);
    expect(compileUserList('p1', q({ limit: 2 ** 40, offset: 2 ** 40 }), null).page).toMatchObject({ skip: 2 ** 31 - 1, limit: 2 ** 31 - 1 });
  });
});

describe('escapeRegex', () => {
  it('escapes ASCII punctuation, hex-escapes control characters, keeps letters, digits and non-ASCII', () => {
    expect(escapeRegex('a.b*c+(d)[e]{f}|^$?\\/ -%_')).toBe('a\\.b\\*c\\+\\(d\\)\\[e\\]\\{f\\}\\|\\^\\$\\?\\\\\\/\\ \\-\\%\\_');
    expect(escapeRegex('x\ny\u0000z\u007f')).toBe('x\\x{a}y\\x{0}z\\x{7f}');
    expect(escapeRegex('Émile𝒜1')).toBe('Émile𝒜1');
  });
});

// ---------------------------------------------------------------------------------------------
// A tiny evaluator of the emitted operators, with MongoDB's semantics for what matters here:
// null equality also matches a missing field, range operators only compare values of the same
// type (booleans, numbers, strings by code point), an array field matches if any element does.

type Value = unknown;

function typeRank(v: Value): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  return 4;
}

function cmp(a: Value, b: Value): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (ta === 0) return 0;
  if (ta === 2) return compareCodePoints(a as string, b as string);
  return Number(a) - Number(b);
}

/** The patterns escapeRegex and the compiler produce, in JS syntax. */
function toJsRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = pattern[++i];
    if (next === 'z') out += '$';
    else if (next === 'x') {
      const end = pattern.indexOf('}', i);
      out += `\\u{${pattern.slice(i + 2, end)}}`;
      i = end;
    } else if ('^$\\.*+?()[]{}|/'.includes(next)) out += `\\${next}`;
    else out += next;
  }
  return new RegExp(out, 'u');
}

function matchesCondition(value: Value, cond: Value): boolean {
  if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) && Object.keys(cond).every((k) => k.startsWith('$'))) {
    return Object.entries(cond as Record<string, Value>).every(([op, operand]) => {
      const one = (v: Value): boolean => {
        switch (op) {
          case '$in':
            return (operand as Value[]).some((x) => cmp(v, x) === 0 && typeRank(v) === typeRank(x));
          case '$nin':
            return !(operand as Value[]).some((x) => cmp(v, x) === 0 && typeRank(v) === typeRank(x));
          case '$ne':
            return !(cmp(v, operand) === 0 && typeRank(v) === typeRank(operand));
          case '$lt':
            return typeRank(v) === typeRank(operand) && cmp(v, operand) < 0;
          case '$lte':
            return typeRank(v) === typeRank(operand) && cmp(v, operand) <= 0;
          case '$gt':
            return typeRank(v) === typeRank(operand) && cmp(v, operand) > 0;
          case '$gte':
            return typeRank(v) === typeRank(operand) && cmp(v, operand) >= 0;
          case '$regex':
            return typeof v === 'string' && toJsRegex(operand as string).test(v);
          default:
            throw new Error(`evaluator: unsupported ${op}`);
        }
      };
      // Negations hold only if no element matches the positive form; the rest need one element.
      if (Array.isArray(value)) return op === '$nin' || op === '$ne' ? value.every(one) : value.some(one);
      return one(value);
    });
  }
  if (Array.isArray(value)) return value.some((v) => cmp(v, cond) === 0 && typeRank(v) === typeRank(cond));
  return cmp(value, cond) === 0 && typeRank(value) === typeRank(cond);
}

function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$and') return (cond as Document[]).every((f) => matches(doc, f));
    if (key === '$or') return (cond as Document[]).some((f) => matches(doc, f));
    return matchesCondition(doc[key], cond);
  });
}

function evaluate(docs: Document[], projectId: string, query: UserListQuery): { total: number; ids: string[] } {
  const cursor = query.cursor ? (docs.find((d) => d.projectId === projectId && d.id === query.cursor!.userId) ?? null) : null;
  const compiled = compileUserList(projectId, query, cursor);
  const total = Math.min(docs.filter((d) => matches(d, compiled.filter)).length, 5000);
  if (compiled.page === null) return { total, ids: [] };
  const { filter, sort, skip, limit } = compiled.page;
  const page = docs
    .filter((d) => matches(d, filter))
    .sort((a, b) => {
      for (const [field, dir] of sort) {
        const d = cmp(a[field], b[field]);
        if (d !== 0) return dir * d;
      }
      return 0;
    })
    .slice(skip, skip + limit);
  if (compiled.reverse) page.reverse();
  return { total, ids: page.map((d) => d.id as string) };
}

describe('compiled queries agree with the reference List Users (in-memory evaluation)', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const NAMES = ['Ann', 'ann', 'Bob', 'Émile', '', '100%', 'a_b', '𝒜lpha', '\uE000x', 'ß', 'a\u{10FFFF}'];
  const EMAILS = [null, 'ann@example.com', 'ANN@x.io', 'b.c@d.e'];
  const DATES = ['2023-01-01T00:00:00.000+00:00', '2023-06-15T12:30:00.000+00:00', '2024-02-29T23:59:59.999+00:00'];
  const users: UserRecord[] = Array.from({ length: 40 }, (_, i) =>
    makeUser('p', `${pick(['u', 'U'])}${i}`, 3 + i * 2, {
      name: pick(NAMES),
      email: pick(EMAILS),
      phone: pick([null, '+14155550001', '+3361']),
      status: rnd() < 0.5,
      createdAt: pick(DATES),
      passwordUpdate: pick([null, ...DATES]),
    }),
  );
  const docs = [...users.map((u) => ({ ...userFields(u), _id: u.id })), { ...userFields(makeUser('other', 'o1', 1)), _id: 'o1' }];
  const attrs = ['$id', 'name', 'email', 'phone', 'status', '$createdAt', 'passwordUpdate'] as const;
  const value = (a: (typeof attrs)[number]): string | boolean =>
    a === 'status' ? rnd() < 0.5 : a === '$createdAt' || a === 'passwordUpdate' ? pick(DATES) : pick(['a', 'ANN', 'b', '%', '_', '', '𝒜', '@x', '+1', 'u1', 'a\u{10FFFF}']);
  const filter = (depth: number): UserFilter => {
    if (depth < 2 && rnd() < 0.2) return { method: pick(['and', 'or'] as const), queries: [filter(depth + 1), filter(depth + 1)] };
    const attribute = pick(attrs);
    if (rnd() < 0.2) return { method: pick(['isNull', 'isNotNull'] as const), attribute };
    const method = pick(['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'between', 'startsWith', 'endsWith', 'contains'] as const);
    if (method === 'between') return { method, attribute, values: [value(attribute), value(attribute)] };
    if (method === 'contains' && attribute === 'status') return { method: 'equal', attribute, values: [value(attribute)] };
    return { method, attribute, values: [value(attribute), ...(rnd() < 0.3 ? [value(attribute)] : [])] };
  };

  it('on 400 random queries', () => {
    for (let i = 0; i < 400; i++) {
      const query = q({
        filters: Array.from({ length: Math.floor(rnd() * 3) }, () => filter(0)),
        orders: Array.from({ length: Math.floor(rnd() * 3) }, () => ({ attribute: rnd() < 0.15 ? null : pick(attrs), direction: pick(['asc', 'desc'] as const) })),
        limit: pick([0, 1, 3, 25]),
        offset: pick([0, 0, 2]),
      });
      if (rnd() < 0.4) query.cursor = { direction: pick(['after', 'before'] as const), userId: pick(users).id };
      if (rnd() < 0.2) query.search = pick(['ann', 'ann example', '"ann example"', 'émile', 'u1', 'x the', '𝒜lpha']);
      const want = referenceListUsers(users, query);
      const got = evaluate(docs, 'p', query);
      expect({ i, ...got }).toEqual({ i, total: want.total, ids: want.items.map((u) => u.id) });
    }
  });
});
