import { parseResponseFormat } from '@lib/appwrite';
import { HASH_VECTORS } from '@lib/passwords/testing';
import { decideCreateUser, NewUser } from '../create-user/create-user';
import { readImportLine, type ImportLine } from '../import-users/import-line';
import { decideImportUser } from '../import-users/import-user';
import { foldUser, UserFields } from '../user';
import type { UserEvent } from '../user.events';
import { EXPORT_TRAILER_KEY, exportTrailer, toExportLine } from './export-line';

const NEWEST = parseResponseFormat(undefined);
const T0 = '2024-01-01T00:00:00.000+00:00';
const ARGON = { hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };

const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
const newUser = (over: Partial<NewUser> = {}): NewUser => ({
  userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: { password: PHC, ...ARGON }, defaultHash: ARGON, targetIds: { email: 'te', phone: 'tp' }, at: T0, ...over,
});
/** A user as Create User and then `events` leave it. */
const userOf = (over: Partial<NewUser>, ...events: UserEvent[]): UserFields => foldUser([...decideCreateUser(newUser(over), foldUser([])), ...events]).user!;

/** The user an exported line imports as: the line read back, then decided on an empty stream, as the import does. */
function imported(user: UserFields): UserFields {
  const read = readImportLine(Buffer.from(JSON.stringify(toExportLine(user))), 1, NEWEST) as ImportLine;
  expect(read).toHaveProperty('user');
  const { userId, name, email, phone, password } = read.user;
  const stored = password.kind === 'hashed' ? password.stored : null;
  expect(password.kind).not.toBe('plain');
  const command: NewUser = { userId, name, email, phone, password: stored, defaultHash: ARGON, targetIds: { email: 'te', phone: 'tp' }, at: T0 };
  return foldUser(decideImportUser(read.fields)(command, foldUser([]))).user!;
}

/** What an export must carry over: everything but times, target ids and what the line does not hold. */
const carried = (u: UserFields) => ({
  id: u.id, name: u.name, email: u.email, phone: u.phone, password: u.password, hash: u.hash, hashOptions: u.hashOptions,
  labels: u.labels, prefs: u.prefs, status: u.status, emailVerification: u.emailVerification, phoneVerification: u.phoneVerification, mfa: u.mfa, impersonator: u.impersonator,
  targets: u.targets.map((t) => [t.providerType, t.identifier]),
});

describe('an export line', () => {
  it('imports as the same user: profile, flags, labels, prefs, targets and the stored hash', () => {
    const users = [
      userOf({}),
      userOf(
        { phone: '+15550001111' },
        { type: 'UserLabelsReplaced', occurredAt: T0, data: { labels: ['vip', 'beta'] } },
        { type: 'UserPrefsReplaced', occurredAt: T0, data: { prefs: { theme: 'dark', nested: { a: [1, 2] } } } },
        { type: 'UserStatusChanged', occurredAt: T0, data: { status: false } },
        { type: 'UserEmailVerificationChanged', occurredAt: T0, data: { emailVerification: true } },
        { type: 'UserPhoneVerificationChanged', occurredAt: T0, data: { phoneVerification: true } },
        { type: 'UserMfaChanged', occurredAt: T0, data: { mfa: true } },
        { type: 'UserImpersonatorChanged', occurredAt: T0, data: { impersonator: true } },
      ),
      userOf({ password: null, name: '', email: null }),
      userOf({ email: null, phone: '+15550001111', password: { password: 'b'.repeat(60), hash: 'bcrypt', hashOptions: { type: 'bcrypt' } } }),
      ...HASH_VECTORS.map((v) => userOf({ password: { password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions } })),
    ];
    for (const user of users) expect(carried(imported(user))).toEqual(carried(user));
  });

  it('of a user without password has no hash (an import records the default one again)', () => {
    const line = toExportLine(userOf({ password: null }));
    expect(line).toMatchObject({ password: null });
    expect(line).not.toHaveProperty('hash');
    expect(line).not.toHaveProperty('hashOptions');
  });

  it('ends an export with a trailer that no import takes for a user', () => {
    const trailer = exportTrailer('1234', 2);
    expect(trailer).toEqual({ [EXPORT_TRAILER_KEY]: '1234', total: 2 });
    expect(readImportLine(Buffer.from(JSON.stringify(trailer)), 3, NEWEST)).toBeNull();
  });
});
