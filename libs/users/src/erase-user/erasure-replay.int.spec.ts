import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@lib/event-store';
import { scanFiles } from '@lib/event-store/testing';
import { CommandContext, toEventsToAppend, withoutClient } from '@lib/event-sourcing';
import { DataKeys, PersonalDataEventStore, SqliteDataKeyStore } from '@lib/personal-data';
import { ProjectionRebuilder, SqliteReadModels } from '@lib/read-models';
import { queriesOf } from '@lib/read-models/testing';
import { LOGS } from '../logs/logs.read-model';
import { SESSIONS } from '../sessions/sessions.read-model';
import { userStreamId } from '../user';
import { USER_EVENT_SCHEMA, type UserEvent } from '../user.events';
import { USER_DIRECTORY } from '../user-directory/user-directory.read-model';
import { USER_PERSONAL_DATA } from '../user-personal-data';

/*
 * A replay after an erasure, on real SQLite files: every read model is rebuilt from the sealed
 * log, and comes out without the erased user and without any of its personal values (the
 * replay reads "[erased]" where they were), while another user comes out whole.
 */
const P = 'erasure';
const MODELS = [USER_DIRECTORY, SESSIONS, LOGS];
const AT = '2024-05-01T10:00:00.000+00:00';
const ctx: CommandContext = { actor: { type: 'apiKey', id: 'key' }, requestId: 'r1', ip: '203.0.113.42', userAgent: 'ReplayProbe/4.2 (erasure)' };

const lifeOf = (userId: string, who: { name: string; email: string; phone: string; marker: string }): UserEvent[] => [
  { type: 'UserCreated', occurredAt: AT, data: { userId, name: who.name, email: who.email, phone: who.phone, password: null, hash: 'argon2', hashOptions: {} } },
  { type: 'TargetCreated', occurredAt: AT, data: { targetId: `${userId}-email`, providerType: 'email', identifier: who.email, providerId: null, name: null } },
  { type: 'UserPrefsReplaced', occurredAt: AT, data: { prefs: { note: who.marker } } },
  {
    type: 'SessionCreated',
    occurredAt: AT,
    data: { sessionId: `${userId}-s`, provider: 'email', providerUid: who.email, providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: ctx.ip, userAgent: ctx.userAgent },
  },
];

describe('replay after an erasure', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'erasure-replay-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds read models without the erased user and without any of its personal values', async () => {
    const events = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.sqlite')), new DataKeys(new SqliteDataKeyStore(join(dir, 'data-keys.sqlite')), randomBytes(32)), USER_PERSONAL_DATA);
    const gone = { name: 'Quentin Erasable', email: 'quentin.erasable@replay.example', phone: '+15555550199', marker: 'marker-gone-91f2' };
    const kept = { name: 'Kept Keeper', email: 'kept.keeper@replay.example', phone: '+15555550142', marker: 'marker-kept-91f2' };
    const append = (userId: string, list: UserEvent[], c = ctx) => events.append(userStreamId(P, userId), toEventsToAppend(list, c, USER_EVENT_SCHEMA as never), 'any');
    await append('gone', lifeOf('gone', gone));
    await append('kept', lifeOf('kept', kept));
    await append('gone', [{ type: 'UserDeleted', occurredAt: AT, data: {} }]);
    await events.destroyKeysOf(userStreamId(P, 'gone'));
    await append('gone', [{ type: 'UserErased', occurredAt: AT, data: {} }], withoutClient(ctx));

    const file = join(dir, 'read-model.sqlite');
    const live = new SqliteReadModels(file, Object.fromEntries(MODELS.map((m) => [m.projection.name, m.sqlite.storage])));
    await new ProjectionRebuilder(events, live).rebuildAll(MODELS.map((m) => m.projection));

    expect(await queriesOf(live, USER_DIRECTORY).get(P, 'gone')).toBeNull();
    expect(await queriesOf(live, SESSIONS).ofUser(P, 'gone')).toEqual([]);
    expect((await queriesOf(live, LOGS).list(P, 'gone', '', 100, 0)).total).toBe(0);
    expect(await queriesOf(live, USER_DIRECTORY).get(P, 'kept')).toMatchObject({ name: kept.name, email: kept.email, phone: kept.phone, prefs: { note: kept.marker } });
    expect((await queriesOf(live, LOGS).list(P, 'kept', '', 100, 0)).items[0]).toMatchObject({ ip: ctx.ip });

    const files = ['', '-wal', '-shm'].map((s) => file + s);
    // Lower-cased copies and search words count too (the scan ignores case); the other user's values prove the scan finds what is there.
    expect(scanFiles(files, [gone.name, gone.email, gone.phone, gone.marker, 'quentin', 'erasable'])).toEqual([]);
    const found = new Set(scanFiles(files, [kept.email, kept.phone, kept.marker, 'keeper']).map((hit) => hit.slice(hit.lastIndexOf(': ') + 2)));
    expect([...found].sort()).toEqual([kept.email, kept.phone, kept.marker, 'keeper'].sort());
    await live.close();
    await events.close();
  });
});
