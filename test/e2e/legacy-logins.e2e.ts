import { HASH_VECTORS, type HashVector } from '@lib/passwords/testing';
import { startTestStack, TestStack } from '../support/test-stack';

/*
 * Imported hashes really log in: for every algorithm of hash-vectors.json (all of Appwrite 1.3's
 * imports, argon2 variants and sha versions included), import a user through its endpoint, log
 * in with the right password (201) and a wrong one (401), see the stored hash upgraded to our
 * Argon2id default, and the same password still logging in.
 */

type Vector = HashVector;

const ALL = HASH_VECTORS.filter((v) => v.expected);
/** Appwrite's login takes passwords of at least 8 characters (the Password rule): shorter imports cannot log in there either. */
const VECTORS = ALL.filter((v) => [...v.password].length >= 8);
const SHORT = ALL.filter((v) => [...v.password].length < 8);
const GUEST = { 'x-appwrite-key': '' };

/** The import route and body of a vector, as an SDK's createXUser sends it. */
function importRequest(v: Vector, userId: string, email: string): [string, Record<string, unknown>] {
  const o = v.hashOptions;
  const base = { userId, email, password: v.hash, name: v.id };
  switch (v.algorithm) {
    case 'sha':
      return ['/v1/users/sha', { ...base, ...(o.version ? { passwordVersion: o.version } : {}) }];
    case 'scrypt':
      return ['/v1/users/scrypt', { ...base, passwordSalt: o.salt, passwordCpu: o.costCpu, passwordMemory: o.costMemory, passwordParallel: o.costParallel, passwordLength: o.length }];
    case 'scryptMod':
      return ['/v1/users/scrypt-modified', { ...base, passwordSalt: o.salt, passwordSaltSeparator: o.saltSeparator, passwordSignerKey: o.signerKey }];
    default:
      return [`/v1/users/${v.algorithm}`, base];
  }
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('imported password hashes log in and are upgraded to Argon2id', () => {
  it('covers every import algorithm', () => {
    expect(new Set(VECTORS.map((v) => v.algorithm))).toEqual(new Set(['argon2', 'bcrypt', 'md5', 'sha', 'phpass', 'scrypt', 'scryptMod']));
  });

  it('refuses a password under 8 characters before looking at any hash, as Appwrite does', async () => {
    expect(SHORT.length).toBeGreaterThan(0);
    for (const v of SHORT) {
      const res = await stack.http('POST', '/v1/account/sessions/email', { email: 'short@legacy.io', password: v.password }, { 'x-appwrite-key': '' });
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 400, type: 'general_argument_invalid' });
    }
  });

  it.each(VECTORS.map((v) => [v.id, v] as const))('%s', async (_id, v) => {
    const userId = `legacy-${v.id}`.replace(/[^a-zA-Z0-9._-]/g, '-');
    const email = `${userId.toLowerCase()}@legacy.io`;
    const [path, body] = importRequest(v, userId, email);
    const created = await stack.http('POST', path, body);
    expect(created.status).toBe(201);
    expect(created.body.hash).toBe(v.algorithm);

    const wrong = await stack.http('POST', '/v1/account/sessions/email', { email, password: `${v.password}-not` }, GUEST);
    expect({ status: wrong.status, type: wrong.body.type }).toEqual({ status: 401, type: 'user_invalid_credentials' });

    const login = await stack.http('POST', '/v1/account/sessions/email', { email, password: v.password }, GUEST);
    expect({ status: login.status, provider: login.body.provider, userId: login.body.userId }).toEqual({ status: 201, provider: 'email', userId });

    const after = await stack.http('GET', `/v1/users/${userId}`);
    expect(after.body.hash).toBe('argon2');
    expect(after.body.hashOptions).toEqual({ type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 });
    expect(after.body.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$/);
    // An upgrade is not a password change.
    expect(after.body.passwordUpdate).toBe(created.body.passwordUpdate);

    const again = await stack.http('POST', '/v1/account/sessions/email', { email, password: v.password }, GUEST);
    expect(again.status).toBe(201);
  });
});
