import { signJwt, type JwtKey } from '@lib/http';
import type { SessionList, SessionRecord, UserDirectory, UserRecord } from '@lib/users';
import { makeSession, makeUser } from '@lib/users/testing';
import { AccountSessionResolver } from './account-session-resolver';
import { encodeSession, hashSessionSecret } from './session-secret';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const KEY: JwtKey = { secret: Buffer.alloc(32, 7) };
const SECRET = 'c'.repeat(256);

function setup(users: UserRecord[], sessions: SessionRecord[], recordAccess?: (projectId: string, userId: string) => Promise<void>) {
  const sessionList: SessionList = {
    ofUser: async (p, u) => sessions.filter((s) => s.projectId === p && s.userId === u),
    get: async (p, id) => sessions.find((s) => s.projectId === p && s.id === id) ?? null,
  };
  const directory = { get: async (p: string, id: string) => users.find((u) => u.projectId === p && u.id === id) ?? null } as unknown as UserDirectory;
  return new AccountSessionResolver(sessionList, directory, KEY, () => NOW, recordAccess);
}

const session = (id: string, over: Partial<SessionRecord> = {}): SessionRecord => ({ ...makeSession('p', 'u1', id, '2024-05-01T00:00:00.000+00:00'), secretHash: hashSessionSecret(SECRET), expire: '2025-05-01T00:00:00.000+00:00', ...over });
const ann = makeUser('p', 'u1', 1, { email: 'ann@x.io' });
const jwt = (claims: { userId: string; sessionId: string; exp?: number }, key = KEY.secret) => signJwt({ exp: NOW / 1000 + 900, ...claims }, key);
const jwtInvalid = expect.objectContaining({ type: 'user_jwt_invalid', code: 401 });

describe('AccountSessionResolver', () => {
  it('resolves a session by its user id and secret', async () => {
    const resolver = setup([ann], [session('s0', { secretHash: hashSessionSecret('other') }), session('s1')]);
    expect(await resolver.resolve('p', { session: encodeSession('u1', SECRET), jwt: undefined })).toEqual({ userId: 'u1', sessionId: 's1', email: 'ann@x.io', blocked: false });
  });

  it('says when the user is blocked (the authenticator refuses it after the scope check)', async () => {
    const resolver = setup([{ ...ann, status: false }], [session('s1')]);
    expect(await resolver.resolve('p', { session: encodeSession('u1', SECRET), jwt: undefined })).toMatchObject({ userId: 'u1', blocked: true });
  });

  it('makes a guest of a wrong secret, an expired or hash-less session, another project, a gone user, a malformed value', async () => {
    const cases: Array<[UserRecord[], SessionRecord[], string, string]> = [
      [[ann], [session('s1')], 'p', encodeSession('u1', SECRET + '0')],
      [[ann], [session('s1', { expire: '2024-05-31T23:59:59.000+00:00' })], 'p', encodeSession('u1', SECRET)],
      [[ann], [session('s1', { secretHash: null })], 'p', encodeSession('u1', SECRET)],
      [[ann], [session('s1')], 'q', encodeSession('u1', SECRET)],
      [[], [session('s1')], 'p', encodeSession('u1', SECRET)],
      [[ann], [session('s1')], 'p', encodeSession('u2', SECRET)],
      [[ann], [session('s1')], 'p', 'garbage'],
    ];
    for (const [users, sessions, projectId, value] of cases) {
      expect(await setup(users, sessions).resolve(projectId, { session: value, jwt: undefined })).toBeNull();
    }
    expect(await setup([ann], [session('s1')]).resolve('p', { session: undefined, jwt: undefined })).toBeNull();
  });

  it('a session without expiry does not expire', async () => {
    const resolver = setup([ann], [session('s1', { expire: null })]);
    expect(await resolver.resolve('p', { session: encodeSession('u1', SECRET), jwt: undefined })).toMatchObject({ sessionId: 's1' });
  });

  it('resolves a JWT of a live session, and prefers it to a session', async () => {
    const resolver = setup([ann, makeUser('p', 'u2', 2)], [session('s1'), session('s2', { userId: 'u2' })]);
    const token = jwt({ userId: 'u2', sessionId: 's2' });
    expect(await resolver.resolve('p', { session: encodeSession('u1', SECRET), jwt: token })).toEqual({ userId: 'u2', sessionId: 's2', email: 'u2@example.com', blocked: false });
    // A JWT made without a session names only its user.
    expect(await resolver.resolve('p', { session: undefined, jwt: jwt({ userId: 'u1', sessionId: '' }) })).toMatchObject({ userId: 'u1', sessionId: '' });
  });

  it('refuses with user_jwt_invalid a bad signature, an expired JWT, a deleted session or one of another user, a gone user', async () => {
    const resolver = setup([ann], [session('s1'), session('s9', { userId: 'u9' })]);
    const bad = [
      jwt({ userId: 'u1', sessionId: 's1' }, Buffer.alloc(32, 8)),
      jwt({ userId: 'u1', sessionId: 's1', exp: NOW / 1000 - 1 }),
      jwt({ userId: 'u1', sessionId: 'gone' }),
      jwt({ userId: 'u1', sessionId: 's9' }),
      jwt({ userId: 'u9', sessionId: '' }),
      'not.a.jwt',
    ];
    for (const token of bad) await expect(resolver.resolve('p', { session: undefined, jwt: token })).rejects.toEqual(jwtInvalid);
  });

  it('records the user\'s access when none was recorded in the last day, never for a blocked user, and never fails on it', async () => {
    const recorded: string[] = [];
    const record = async (projectId: string, userId: string) => void recorded.push(`${projectId}/${userId}`);
    const value = encodeSession('u1', SECRET);
    await setup([ann], [session('s1')], record).resolve('p', { session: value, jwt: undefined });
    await setup([{ ...ann, accessedAt: '2024-05-31T00:00:00.000+00:00' }], [session('s1')], record).resolve('p', { session: undefined, jwt: jwt({ userId: 'u1', sessionId: 's1' }) });
    await setup([{ ...ann, accessedAt: '2024-05-31T12:00:00.000+00:00' }], [session('s1')], record).resolve('p', { session: value, jwt: undefined });
    await setup([{ ...ann, status: false }], [session('s1')], record).resolve('p', { session: value, jwt: undefined });
    expect(recorded).toEqual(['p/u1', 'p/u1']);
    const failing = setup([ann], [session('s1')], async () => Promise.reject(new Error('store down')));
    expect(await failing.resolve('p', { session: value, jwt: undefined })).toMatchObject({ userId: 'u1' });
  });
});
