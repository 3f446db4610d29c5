import { AppwriteException, Client, ID, Query, Users } from 'node-appwrite';
import { HASH_VECTORS } from '@lib/passwords/testing';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
const USER_KEYS = ['$id', '$createdAt', '$updatedAt', 'name', 'password', 'hash', 'hashOptions', 'registration', 'status', 'passwordUpdate', 'email', 'phone', 'emailVerification', 'phoneVerification', 'prefs'];

let gw: TestStack;
let users: Users;

beforeAll(async () => {
  gw = await startTestStack();
  users = new Users(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
});
afterAll(() => gw.close());

/** node-appwrite 9's typings omit `type`, which its AppwriteException does carry. */
type SdkError = AppwriteException & { type: string };

async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppwriteException) return err as SdkError;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

describe('node-appwrite 9.0.0 against the gateway', () => {
  it('creates a user with a plain password: Argon2id PHC hash, Appwrite hashOptions, exact model', async () => {
    const u: any = await users.create(ID.unique(), 'Lionel.Messi@PSG.fr', undefined, 'password', 'Lionel Messi');
    expect(Object.keys(u)).toEqual(USER_KEYS);
    expect(u.$id).toMatch(/^[0-9a-f]{20}$/);
    expect(u.email).toBe('lionel.messi@psg.fr');
    expect(u.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(u.hash).toBe('argon2');
    expect(u.hashOptions).toEqual({ type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 });
    expect(u.$createdAt).toMatch(DATE);
    expect(u.registration).toBe(u.$createdAt);
    expect(u.passwordUpdate).toBe(u.$createdAt);
    expect(u).toMatchObject({ name: 'Lionel Messi', phone: '', status: true, emailVerification: false, phoneVerification: false, prefs: {} });
    expect(await users.get(u.$id)).toEqual(u);
  });

  it('creates a phone-only user without password', async () => {
    const u: any = await users.create('phone-only', undefined, '+123456789012');
    expect(u).toMatchObject({ $id: 'phone-only', email: '', password: null, passwordUpdate: '', hash: 'argon2', phone: '+123456789012' });
    expect(u.hashOptions).toEqual({ type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 });
  });

  it('refuses a duplicate email, id or phone with user_already_exists', async () => {
    await users.create('dup-a', 'dup@example.com', '+123456789099');
    const attempts = [
      () => users.create('dup-b', 'DUP@example.com'),
      () => users.create('dup-a', 'other@example.com'),
      () => users.create('dup-c', undefined, '+123456789099'),
    ];
    for (const attempt of attempts) {
      const err = await sdkError(attempt());
      expect([err.code, err.type, err.message]).toEqual([409, 'user_already_exists', 'A user with the same id, email, or phone already exists in your project.']);
    }
  });

  it('imports each hashed-password kind verbatim with the options Appwrite stores', async () => {
    const bc: any = await users.createBcryptUser('bcrypt-user', 'bcrypt@appwrite.io', '$2a$15$xX/myGbFU.ZSKHSi6EHdBOySTdYm8QxBLXmOPHrYMwV0mHRBBSBOq', 'Bcrypt User');
    expect(bc).toMatchObject({ hash: 'bcrypt', hashOptions: { type: 'bcrypt' }, password: '$2a$15$xX/myGbFU.ZSKHSi6EHdBOySTdYm8QxBLXmOPHrYMwV0mHRBBSBOq', name: 'Bcrypt User' });
    expect(bc.passwordUpdate).toMatch(DATE);
    expect(await users.createMD5User('md5-user', 'md5@appwrite.io', '144fa7eaa4904e8ee120651997f70dcc')).toMatchObject({ hash: 'md5', hashOptions: { type: 'md5' } });
    expect(await users.createArgon2User('argon2-user', 'argon2@appwrite.io', '$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI')).toMatchObject({ hash: 'argon2', hashOptions: { type: 'argon2' } });
    const sha: any = await users.createSHAUser('sha512', 'sha512@appwrite.io', '4243da0a694e8a2f727c8060fe0507c8fa01ca68146c76d2c190805b638c20c6bf6ba04e21f11ae138785d0bff63c416e6f87badbffad37f6dee50094cc38c70', 'sha512');
    expect(sha.hash).toBe('sha');
    expect(sha.hashOptions).toEqual({ version: 'sha512', type: 'sha' });
    expect(Object.keys(sha.hashOptions)).toEqual(['version', 'type']);
    expect(await users.createSHAUser('sha-default', 'shad@appwrite.io', '4243da0a694e8a2f727c8060fe0507c8fa01ca68146c76d2c190805b638c20c6')).toMatchObject({ hashOptions: { type: 'sha' } });
    expect(await users.createPHPassUser('phpass-user', 'phpass@appwrite.io', '$P$Br387rwferoKN7uwHZqNMu98q3U8RO.')).toMatchObject({ hash: 'phpass', hashOptions: { type: 'phpass' } });
    const scrypt: any = await users.createScryptUser('scrypt-user', 'scrypt@appwrite.io', '3fdef49701bc4cfaacd551fe017283513284b4731e6945c263246ef948d3cf63b5d269c31fd697246085111a428245e24a4ddc6b64c687bc60a8910dbafc1d5b', 'appwrite', 16384, 13, 2, 64, 'Scrypt User');
    expect(scrypt.hash).toBe('scrypt');
    expect(scrypt.hashOptions).toEqual({ salt: 'appwrite', costCpu: 16384, costMemory: 13, costParallel: 2, length: 64, type: 'scrypt' });
    expect(Object.keys(scrypt.hashOptions)).toEqual(['salt', 'costCpu', 'costMemory', 'costParallel', 'length', 'type']);
    const mod: any = await users.createScryptModifiedUser(
      'scrypt-modified',
      'scrypt-modified@appwrite.io',
      'UlM7JiXRcQhzAGlaonpSqNSLIz475WMddOgLjej5De9vxTy48K6WtqlEzrRFeK4t0COfMhWCb8wuMHgxOFCHFQ==',
      'UxLMreBr6tYyjQ==',
      'Bw==',
      'XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ==',
      'Scrypt Modified User',
    );
    expect(Object.keys(mod.hashOptions)).toEqual(['signerKey', 'saltSeparator', 'salt', 'type']);
    expect(mod.hashOptions.type).toBe('scryptMod');
    expect(mod.hash).toBe('scryptMod');
  });

  it('stores every import vector verbatim (hash and options round-trip)', async () => {
    let i = 0;
    for (const v of HASH_VECTORS.filter((x) => x.expected && ['bcrypt', 'md5', 'phpass'].includes(x.algorithm))) {
      const id = `vec-${i++}`;
      const created: any = await (v.algorithm === 'bcrypt' ? users.createBcryptUser : v.algorithm === 'md5' ? users.createMD5User : users.createPHPassUser).call(users, id, `${id}@vectors.io`, v.hash);
      expect(created.password).toBe(v.hash);
      expect(created.hashOptions).toEqual(v.hashOptions);
    }
  });

  it('lists with queries (string syntax), search, cursors and totals', async () => {
    const base = 'list-' + Date.now().toString(36);
    for (const n of ['1', '2', '3', '4']) await users.create(`${base}-u${n}`, `${base}-u${n}@list.io`, undefined, undefined, `List ${n}`);
    const mine = Query.startsWith('$id', base);
    const all: any = await users.list([mine]);
    expect(all.total).toBe(4);
    expect(all.users.map((u: any) => u.$id)).toEqual([1, 2, 3, 4].map((n) => `${base}-u${n}`));
    expect((await users.list([mine, Query.limit(2), Query.offset(1)]) as any).users.map((u: any) => u.$id)).toEqual([`${base}-u2`, `${base}-u3`]);
    expect((await users.list([mine, Query.cursorAfter(`${base}-u2`)]) as any).users.map((u: any) => u.$id)).toEqual([`${base}-u3`, `${base}-u4`]);
    expect((await users.list([mine, Query.cursorBefore(`${base}-u4`), Query.limit(1)]) as any).users.map((u: any) => u.$id)).toEqual([`${base}-u3`]);
    expect((await users.list([mine, Query.orderDesc(''), Query.cursorAfter(`${base}-u3`)]) as any).users.map((u: any) => u.$id)).toEqual([`${base}-u2`, `${base}-u1`]);
    const zero: any = await users.list([mine, Query.limit(0)]);
    expect([zero.total, zero.users.length]).toEqual([4, 0]);
    const searched: any = await users.list(undefined, `${base}-u3@list.io`);
    expect(searched.users.map((u: any) => u.$id)).toContain(`${base}-u3`);
    const err = await sdkError(users.list([Query.cursorAfter('unknown')]));
    expect([err.code, err.type, err.message]).toEqual([400, 'general_cursor_not_found', "User 'unknown' for the 'cursor' value not found."]);
    const bad = await sdkError(users.list([Query.equal('password', 'x')]));
    expect([bad.code, bad.type, bad.message]).toEqual([400, 'general_argument_invalid', 'Invalid queries: Query not valid: Attribute not found in schema: password']);
  });

  it('updates every field and reflects it on the next read', async () => {
    const u: any = await users.create('upd-user', 'upd@example.com', '+15550000001', 'password123', 'Before');
    const status: any = await users.updateStatus(u.$id, false);
    expect(status.status).toBe(false);
    expect(status.$updatedAt >= u.$updatedAt).toBe(true);
    expect((await users.updateName(u.$id, 'After') as any).name).toBe('After');
    expect((await users.updateEmailVerification(u.$id, true) as any).emailVerification).toBe(true);
    const email: any = await users.updateEmail(u.$id, 'New@Mail.com');
    expect([email.email, email.emailVerification]).toEqual(['new@mail.com', false]);
    expect((await users.updatePhoneVerification(u.$id, true) as any).phoneVerification).toBe(true);
    const phone: any = await users.updatePhone(u.$id, '+15550000002');
    expect([phone.phone, phone.phoneVerification]).toEqual(['+15550000002', false]);
    const pw: any = await users.updatePassword(u.$id, 'another-password');
    expect(pw.password).not.toBe(u.password);
    expect(pw.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$/);
    expect(await users.updatePrefs(u.$id, { theme: 'dark', nested: { a: [1, 2] } })).toEqual({ theme: 'dark', nested: { a: [1, 2] } });
    expect(await users.getPrefs(u.$id)).toEqual({ theme: 'dark', nested: { a: [1, 2] } });
    expect(await users.updatePrefs(u.$id, {})).toEqual({});
    const got: any = await users.get(u.$id);
    expect(got).toMatchObject({ name: 'After', email: 'new@mail.com', phone: '+15550000002', status: false, prefs: {} });
    // The old email and phone are free again; the new ones are taken.
    await users.create('upd-other', 'upd@example.com', '+15550000001');
    expect((await sdkError(users.updateEmail('upd-other', 'new@mail.com'))).type).toBe('user_email_already_exists');
    expect((await sdkError(users.updatePhone('upd-other', '+15550000002'))).type).toBe('user_phone_already_exists');
    // The same email on the same user is fine and resets verification.
    expect((await users.updateEmail(u.$id, 'new@mail.com') as any).email).toBe('new@mail.com');
  });

  it('keeps an audit log of every change, newest first, with limit/offset and the actor (an API key: admin mode)', async () => {
    const u: any = await users.create('logged-user', 'logged@example.com');
    await users.updateName(u.$id, 'One');
    await users.updatePrefs(u.$id, { a: 1 });
    await users.updateEmailVerification(u.$id, true);
    await users.updateStatus(u.$id, false);
    const logs: any = await users.listLogs(u.$id);
    expect(logs.total).toBe(5);
    expect(logs.logs.map((l: any) => l.event)).toEqual(['user.update', 'verification.update', 'user.update', 'user.update', 'user.create']);
    expect(logs.logs[0]).toMatchObject({ userId: '', userEmail: '', userName: '', mode: 'admin', ip: expect.any(String), countryCode: '--', countryName: 'Unknown' });
    expect(logs.logs[0].time).toMatch(DATE);
    expect((await users.listLogs(u.$id, [Query.limit(1), Query.offset(1)]) as any).logs.map((l: any) => l.event)).toEqual(['verification.update']);
    const err = await sdkError(users.listLogs(u.$id, [Query.equal('$id', 'asdf')]));
    expect([err.code, err.message]).toEqual([400, 'Invalid queries: Query method not valid: equal']);
  });

  it('lists, deletes one and deletes all sessions', async () => {
    const u: any = await users.create('session-user', 'session@example.com');
    const other: any = await users.create('session-other', 'session-other@example.com');
    const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
    const session = { provider: 'email', providerUid: 'session@example.com', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '8.8.8.8', userAgent };
    const s1 = await gw.createSession(u.$id, session);
    const s2 = await gw.createSession(u.$id, session);
    const s3 = await gw.createSession(other.$id, session);
    const listed: any = await users.listSessions(u.$id);
    expect(listed.total).toBe(2);
    expect(listed.sessions.map((s: any) => s.$id)).toEqual([s1, s2]);
    expect(listed.sessions[0]).toMatchObject({ userId: u.$id, provider: 'email', ip: '8.8.8.8', countryCode: 'us', countryName: 'United States', current: false, expire: '', osName: 'Mac', clientName: 'Chrome' });
    // Blocking keeps sessions.
    await users.updateStatus(u.$id, false);
    expect((await users.listSessions(u.$id) as any).total).toBe(2);
    // A session of another user is not this user's.
    const foreign = await sdkError(users.deleteSession(u.$id, s3));
    expect([foreign.code, foreign.type]).toEqual([404, 'user_session_not_found']);
    await users.deleteSession(u.$id, s1);
    expect((await users.listSessions(u.$id) as any).sessions.map((s: any) => s.$id)).toEqual([s2]);
    const again = await sdkError(users.deleteSession(u.$id, s1));
    expect(again.type).toBe('user_session_not_found');
    await users.deleteSessions(u.$id);
    expect(await users.listSessions(u.$id)).toEqual({ total: 0, sessions: [] });
    await users.deleteSessions(u.$id);
  });

  it('lists memberships (none until teams exist)', async () => {
    await users.create('member-user');
    expect(await users.listMemberships('member-user')).toEqual({ total: 0, memberships: [] });
  });

  it('deletes a user: 404 afterwards, id/email/phone free for reuse, logs of the old user not inherited', async () => {
    await users.create('deleted-user', 'deleted@example.com', '+15550000099', undefined, 'Gone');
    await users.updateName('deleted-user', 'Gone Again');
    await users.delete('deleted-user');
    const calls = [() => users.get('deleted-user'), () => users.delete('deleted-user'), () => users.updateName('deleted-user', 'x'), () => users.listSessions('deleted-user'), () => users.listLogs('deleted-user')];
    for (const call of calls) {
      const err = await sdkError(call());
      expect([err.code, err.type, err.message]).toEqual([404, 'user_not_found', 'User with the requested ID could not be found.']);
    }
    const again: any = await users.create('deleted-user', 'deleted@example.com', '+15550000099');
    expect(again.name).toBe('');
    // Only the new user's own creation: the old user's rows are not inherited.
    expect((await users.listLogs('deleted-user') as any).total).toBe(1);
  });
});
