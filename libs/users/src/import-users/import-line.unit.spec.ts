import { AppwriteException, parseResponseFormat, validateParams } from '@lib/appwrite';
import { DEFAULT_HASH_OPTIONS } from '@lib/passwords';
import { HASH_VECTORS } from '@lib/passwords/testing';
import { CREATE_USER, HASH_IMPORTS } from '../create-user/create-user.endpoints';
import { UPDATE_LABELS } from '../update-labels/update-labels';
import { claimWithinFile, ImportFailure, ImportLine, readImportFile, readImportLine } from './import-line';

const NEWEST = parseResponseFormat(undefined);
const read = (line: unknown, n = 1) => readImportLine(Buffer.from(typeof line === 'string' ? line : JSON.stringify(line)), n, NEWEST);
const user = (line: unknown) => read(line) as ImportLine;
const failure = (line: unknown) => read(line) as ImportFailure;

/** What the route itself answers for these params (its declaration, validated in its order). */
function routeError(params: readonly Parameters<typeof validateParams>[0][number][], body: Record<string, unknown>): { type: string; message: string } | null {
  try {
    validateParams(params, { path: {}, body, query: {} }, NEWEST);
    return null;
  } catch (err) {
    return { type: (err as AppwriteException).type, message: (err as AppwriteException).message };
  }
}

describe('an import line', () => {
  it('without hash is Create User: a plain password, or none', () => {
    expect(user({ userId: 'u1', email: 'Ann@X.io', phone: '+15550001111', name: 'Ann', password: 'correct horse' })).toEqual({
      line: 1,
      user: { userId: 'u1', email: 'Ann@X.io', phone: '+15550001111', name: 'Ann', password: { kind: 'plain', plain: 'correct horse' } },
      fields: {},
    });
    expect(user({ userId: 'unique()', password: null }).user).toEqual({ userId: 'unique()', email: null, phone: null, name: '', password: { kind: 'none' } });
  });

  it('with a hash of every algorithm of the vectors keeps it and records the options as its route does', () => {
    const algorithms = new Set<string>();
    for (const v of HASH_VECTORS) {
      const read = user({ userId: 'u1', email: 'ann@x.io', password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions });
      expect(read.user.password).toEqual({ kind: 'hashed', stored: { password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions } });
      // Key order too: stored options come back verbatim.
      expect(JSON.stringify((read.user.password as { stored: object }).stored)).toBe(JSON.stringify({ password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions }));
      algorithms.add(v.algorithm);
    }
    expect([...algorithms].sort()).toEqual(Object.keys(HASH_IMPORTS).sort());
  });

  it('keeps the argon2 options this service records for the passwords it hashes (the user had a plain one)', () => {
    const hash = '$argon2id$v=19$m=65536,t=4,p=3$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
    expect(user({ userId: 'u1', password: hash, hash: 'argon2', hashOptions: DEFAULT_HASH_OPTIONS }).user.password).toEqual({ kind: 'hashed', stored: { password: hash, hash: 'argon2', hashOptions: DEFAULT_HASH_OPTIONS } });
    expect(user({ userId: 'u1', password: hash, hash: 'argon2' }).user.password).toEqual({ kind: 'hashed', stored: { password: hash, hash: 'argon2', hashOptions: { type: 'argon2' } } });
    expect(failure({ userId: 'u1', password: hash, hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 1 } })).toMatchObject({ type: 'general_argument_invalid', message: expect.stringMatching(/^Invalid hashOptions: /) });
  });

  it('fails as the create route fails, with its message, in its order', () => {
    const cases: Array<[Record<string, unknown>, readonly Parameters<typeof validateParams>[0][number][]]> = [
      [{ email: 'ann@x.io' }, CREATE_USER.params],
      [{ userId: '-bad', email: 'nope' }, CREATE_USER.params],
      [{ userId: 'u1', email: 'nope' }, CREATE_USER.params],
      [{ userId: 'u1', phone: '5550001111' }, CREATE_USER.params],
      [{ userId: 'u1', password: 'short' }, CREATE_USER.params],
      [{ userId: 'u1', name: 'x'.repeat(129) }, CREATE_USER.params],
      [{ userId: 'u1', email: 'ann@x.io', hash: 'bcrypt' }, HASH_IMPORTS.bcrypt.endpoint.params],
      [{ userId: 'u1', email: 'ann@x.io', password: 'x'.repeat(60), hash: 'scrypt', passwordSalt: 's' }, HASH_IMPORTS.scrypt.endpoint.params],
      [{ userId: 'u1', email: 'ann@x.io', password: 'x'.repeat(60), hash: 'sha', passwordVersion: 'sha2' }, HASH_IMPORTS.sha.endpoint.params],
    ];
    for (const [body, params] of cases) {
      const { hash: _hash, ...rest } = body;
      const expected = routeError(params, rest);
      expect(expected).not.toBeNull();
      expect([body, failure({ ...body, ...(body.hash === 'sha' ? { hashOptions: { version: body.passwordVersion } } : {}) })]).toEqual([body, { line: 1, ...expected }]);
    }
  });

  it('reads hash options under the route params they came from', () => {
    const scrypt = failure({ userId: 'u1', password: 'x'.repeat(60), hash: 'scrypt', hashOptions: { salt: 's', costCpu: 'many', costMemory: 8, costParallel: 1, length: 64 } });
    expect(scrypt.message).toBe(routeError(HASH_IMPORTS.scrypt.endpoint.params, { userId: 'u1', email: 'a@x.io', password: 'x'.repeat(60), passwordSalt: 's', passwordCpu: 'many', passwordMemory: 8, passwordParallel: 1, passwordLength: 64 })!.message);
    expect(failure({ userId: 'u1', password: 'x'.repeat(60), hash: 'scryptMod', hashOptions: { salt: 's', saltSeparator: 'Bw==' } }).message).toBe('Param "passwordSignerKey" is not optional.');
  });

  it('validates what the update routes would set with their rules, and coerces as they do', () => {
    expect(user({ userId: 'u1', labels: ['vip', 'beta'], prefs: { theme: 'dark' }, status: 'false', emailVerification: true, phoneVerification: false, mfa: true, impersonator: false }).fields).toEqual({
      labels: ['vip', 'beta'],
      prefs: { theme: 'dark' },
      status: false,
      emailVerification: true,
      phoneVerification: false,
      mfa: true,
      impersonator: false,
    });
    expect(failure({ userId: 'u1', labels: ['no spaces'] })).toMatchObject({ type: 'general_argument_invalid', message: routeError(UPDATE_LABELS.params.slice(1), { labels: ['no spaces'] })!.message });
    expect(failure({ userId: 'u1', prefs: [1, 2] }).message).toBe('Invalid prefs: Value must be a valid object.');
    expect(failure({ userId: 'u1', emailVerification: 'yes' }).message).toMatch(/^Invalid emailVerification: /);
  });

  it('may be a hashed user with a phone and without an email (an export of one imports as is)', () => {
    expect(user({ userId: 'u1', phone: '+15550001111', password: '5f4dcc3b5aa765d61d8327deb882cf99', hash: 'md5' }).user).toMatchObject({ email: null, phone: '+15550001111' });
  });

  it('refuses an unknown hash, options of another hash, and options without a hash', () => {
    expect(failure({ userId: 'u1', password: 'x'.repeat(60), hash: 'BCRYPT' }).message).toBe('Invalid hash: Value must be one of (bcrypt, md5, argon2, sha, phpass, scrypt, scryptMod)');
    expect(failure({ userId: 'u1', password: 'x'.repeat(60), hash: 'bcrypt', hashOptions: { type: 'md5' } }).message).toMatch(/^Invalid hashOptions: /);
    expect(failure({ userId: 'u1', password: 'x'.repeat(60), hash: 'md5', hashOptions: { salt: 'x' } }).message).toMatch(/^Invalid hashOptions: /);
    expect(failure({ userId: 'u1', password: 'correct horse', hashOptions: { type: 'bcrypt' } }).message).toMatch(/^Invalid hashOptions: .*with a hash/);
  });

  it('that is not a JSON object fails; a blank one and an export trailer hold no user', () => {
    for (const text of ['not json', '[1,2]', '"text"', '{"userId":"u1"', '{"userId":"\\ud800"}']) expect([text, failure(text).type]).toEqual([text, 'general_argument_invalid']);
    expect(readImportLine(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 1, NEWEST)).toMatchObject({ type: 'general_argument_invalid' });
    for (const text of ['', '   ', '\r', '{"$position":"42","total":3}']) expect(read(text)).toBeNull();
  });
});

describe('an import file', () => {
  it('numbers lines from 1, counting blank ones, with \\n or \\r\\n', () => {
    const file = Buffer.from(['{"userId":"a"}', '', 'oops', '{"userId":"b"}\r', '{"$position":"9","total":2}', ''].join('\n'));
    expect(readImportFile(file, NEWEST).map((r) => [r.line, 'type' in r ? r.type : (r as ImportLine).user.userId])).toEqual([
      [1, 'a'],
      [3, 'general_argument_invalid'],
      [4, 'b'],
    ]);
    expect(readImportFile(Buffer.alloc(0), NEWEST)).toEqual([]);
  });
});

describe('uniqueness within a file', () => {
  const line = (n: number, userId: string, email: string | null = null, phone: string | null = null): ImportLine => ({ line: n, user: { userId, email, phone, name: '', password: { kind: 'none' } }, fields: {} });

  it('gives an id, an email (in any case) or a phone to the first line that names it', () => {
    const { accepted, failed } = claimWithinFile([
      line(1, 'a', 'Ann@x.io', '+15550001111'),
      line(2, 'a', 'other@x.io'),
      line(3, 'b', 'ann@X.IO'),
      line(4, 'c', null, '+15550001111'),
      line(5, 'unique()', 'u1@x.io'),
      line(6, 'unique()', 'u2@x.io'),
      line(7, 'd', 'other@x.io'),
    ]);
    expect(accepted.map((l) => l.line)).toEqual([1, 5, 6, 7]);
    expect(failed).toEqual([
      { line: 2, type: 'user_already_exists', message: 'A user with the same id is already in this import (line 1).' },
      { line: 3, type: 'user_email_already_exists', message: 'A user with the same email is already in this import (line 1).' },
      { line: 4, type: 'user_phone_already_exists', message: 'A user with the same phone is already in this import (line 1).' },
    ]);
  });

  it('leaves a refused line\'s values to the next line', () => {
    const { accepted } = claimWithinFile([line(1, 'a', 'ann@x.io'), line(2, 'a', 'bob@x.io'), line(3, 'b', 'bob@x.io')]);
    expect(accepted.map((l) => l.line)).toEqual([1, 3]);
  });
});

