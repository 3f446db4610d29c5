import { Clock } from '@lib/appwrite';
import { EventStore, openEventStoreDb } from '@lib/event-store';
import { FakeEventStoreDbClient } from '@lib/event-store/testing';
import { toEventsToAppend } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { HashingPort, type PasswordHash } from '@lib/passwords';
import type { AccessDirectory, ProjectRecord } from '@lib/projects';
import { randomBytes } from 'node:crypto';
import { ReservationNames, UNIQUE_VALUE, USER_EVENT_SCHEMA, USER_STREAM, userStreamId, type UserEvent } from '@lib/users';
import { loadStream } from '@lib/event-sourcing';
import { hashSessionSecret } from '../session-secret';
import { DUMMY_STORED_PASSWORD, LoginRefusedError } from './email-login';
import { CreateEmailSessionCommand, CreateEmailSessionHandler } from './email-login.handler';

const AT = '2024-06-01T00:00:00.000+00:00';
const names = ReservationNames.fromMasterKey(randomBytes(32));
const ctx: RequestContext = { projectId: 'p', actor: { type: 'system', id: 'guest' }, requestId: 'r1', ip: '8.8.8.8', userAgent: '' };
const DEFAULT_OPTIONS = { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 };
const DEFAULT_PHC = (plain: string) => `$argon2id$v=19$m=65536,t=4,p=3$c2FsdA$${Buffer.from(plain).toString('base64')}`;

/** Hashing without cost: a "hash" that names its password; every call is recorded. */
class FakeHashing extends HashingPort {
  readonly verified: Array<{ plain: string; password: string | null }> = [];
  async hash(plain: string): Promise<PasswordHash> {
    return { password: DEFAULT_PHC(plain), hash: 'argon2', hashOptions: { ...DEFAULT_OPTIONS } };
  }
  async verify(plain: string, stored: { password: string | null; hash: string }): Promise<boolean> {
    this.verified.push({ plain, password: stored.password });
    return stored.password === DEFAULT_PHC(plain) || stored.password === `legacy:${plain}`;
  }
  async close() {}
}

describe('CreateEmailSessionHandler', () => {
  let events: EventStore;
  let hashing: FakeHashing;
  let project: ProjectRecord;
  let handler: CreateEmailSessionHandler;

  beforeEach(() => {
    events = openEventStoreDb(new FakeEventStoreDbClient() as never);
    hashing = new FakeHashing();
    project = { id: 'p', name: 'p', createdAt: AT };
    const access = { getProject: async () => project, listApiKeys: async () => [] } as unknown as AccessDirectory;
    const clock = { now: () => AT } as Clock;
    handler = new CreateEmailSessionHandler({ events, sync: null }, clock, hashing, access, names);
  });
  afterEach(() => events.close());

  async function seed(userId: string, email: string, password: string | null, hash = 'argon2', extra: UserEvent[] = []) {
    const created: UserEvent = { type: 'UserCreated', occurredAt: AT, data: { userId, name: '', email, phone: null, password, hash, hashOptions: hash === 'argon2' ? DEFAULT_OPTIONS : { type: hash } } };
    await events.append(userStreamId('p', userId), toEventsToAppend([created, ...extra], ctx, USER_EVENT_SCHEMA as never), 'no_stream');
    await events.append(names.streamIdOf('p', 'email', email), toEventsToAppend([{ type: 'UniqueValueClaimed', occurredAt: AT, data: { owner: userId, claimedAt: AT } }], ctx, UNIQUE_VALUE.schema as never), 'no_stream');
  }
  const login = (email: string, password: string) => handler.execute(new CreateEmailSessionCommand(ctx, email, password));
  const refusal = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof LoginRefusedError ? [e.type, e.reason] : e));
  const userState = async (userId: string) => (await loadStream(events, userStreamId('p', userId), USER_STREAM)).state;

  it('logs in: a session of a year with the secret’s hash, the password factor and the client; the secret only in the answer', async () => {
    await seed('u1', 'ann@x.io', DEFAULT_PHC('correct horse'));
    const created = await login('ann@x.io', 'correct horse');
    expect(created).toEqual({ userId: 'u1', sessionId: expect.stringMatching(/^[0-9a-f]{20}$/), secret: expect.stringMatching(/^[0-9a-f]{256}$/), expire: '2025-06-01T00:00:00.000+00:00' });
    const stored = await events.readStream(userStreamId('p', 'u1'));
    const sessionEvent = stored[stored.length - 1];
    expect(sessionEvent.type).toBe('SessionCreated');
    expect(sessionEvent.data).toEqual({
      sessionId: created.sessionId, provider: 'email', providerUid: 'ann@x.io', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '',
      expire: created.expire, ip: '8.8.8.8', userAgent: 'UNKNOWN', secretHash: hashSessionSecret(created.secret), factors: ['password'],
    });
    expect(sessionEvent.metadata.actor).toEqual({ type: 'user', id: 'u1' });
    expect(JSON.stringify(stored)).not.toContain(created.secret);
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(stored.map((e) => e.type)).toEqual(['UserCreated', 'SessionCreated']);
  });

  it('refuses a wrong password, an unknown email and a user without password alike, each after one verification', async () => {
    await seed('u1', 'ann@x.io', DEFAULT_PHC('correct horse'));
    await seed('u2', 'nopass@x.io', null);
    expect(await refusal(login('ann@x.io', 'wrong horse'))).toEqual(['user_invalid_credentials', 'wrong_password']);
    expect(await refusal(login('nobody@x.io', 'correct horse'))).toEqual(['user_invalid_credentials', 'unknown_email']);
    expect(await refusal(login('nopass@x.io', 'correct horse'))).toEqual(['user_invalid_credentials', 'no_password']);
    expect(hashing.verified.map((v) => v.password)).toEqual([DEFAULT_PHC('correct horse'), DUMMY_STORED_PASSWORD.password, DUMMY_STORED_PASSWORD.password]);
    expect((await events.readStream(userStreamId('p', 'u1'))).map((e) => e.type)).toEqual(['UserCreated']);
  });

  it('tells a blocked user so, but only once the password matched', async () => {
    await seed('u1', 'ann@x.io', DEFAULT_PHC('correct horse'), 'argon2', [{ type: 'UserStatusChanged', occurredAt: AT, data: { status: false } }]);
    expect(await refusal(login('ann@x.io', 'wrong horse'))).toEqual(['user_invalid_credentials', 'wrong_password']);
    expect(await refusal(login('ann@x.io', 'correct horse'))).toEqual(['user_blocked', 'blocked']);
  });

  it('does not follow a stale claim: the owner must still hold the email', async () => {
    await seed('u1', 'ann@x.io', DEFAULT_PHC('correct horse'), 'argon2', [{ type: 'UserEmailChanged', occurredAt: AT, data: { email: 'new@x.io' } }]);
    expect(await refusal(login('ann@x.io', 'correct horse'))).toEqual(['user_invalid_credentials', 'unknown_email']);
  });

  it('re-hashes a legacy hash to the default on login, leaving passwordUpdate alone', async () => {
    await seed('u1', 'old@x.io', 'legacy:correct horse', 'md5');
    const before = (await userState('u1')).user!;
    await login('old@x.io', 'correct horse');
    const types = (await events.readStream(userStreamId('p', 'u1'))).map((e) => e.type);
    expect(types).toEqual(['UserCreated', 'UserPasswordRehashed', 'SessionCreated']);
    const after = (await userState('u1')).user!;
    expect(after).toMatchObject({ password: DEFAULT_PHC('correct horse'), hash: 'argon2', hashOptions: DEFAULT_OPTIONS, passwordUpdate: before.passwordUpdate });
    // The next login verifies the new hash and has nothing to re-hash.
    await login('old@x.io', 'correct horse');
    expect((await events.readStream(userStreamId('p', 'u1'))).map((e) => e.type)).toEqual([...types, 'SessionCreated']);
  });

  it('keeps the legacy hash when the project turned the re-hash off', async () => {
    project = { ...project, loginRehash: false };
    await seed('u1', 'old@x.io', 'legacy:correct horse', 'bcrypt');
    await login('old@x.io', 'correct horse');
    expect((await events.readStream(userStreamId('p', 'u1'))).map((e) => e.type)).toEqual(['UserCreated', 'SessionCreated']);
    expect((await userState('u1')).user).toMatchObject({ password: 'legacy:correct horse', hash: 'bcrypt' });
  });
});
