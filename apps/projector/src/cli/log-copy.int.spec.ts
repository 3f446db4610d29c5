import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, EventToAppend, openEventStoreDb, RecordedEvent, SqliteEventStore } from '@lib/event-store';
import { FakeEventStoreDbClient } from '@lib/event-store/testing';
import { DataKeys, ERASED, holdsUnsealedPersonalData, PersonalDataEventStore, SqliteDataKeyStore } from '@lib/personal-data';
import { ReservationNames, USER_PERSONAL_DATA } from '@lib/users';
import { copyLog, LogCopyOptions, LogCopyRefusedError } from './log-copy';

/**
 * The copy behind `npm run migrate-log` on real parts: the fixture log the previous version wrote
 * (SQLite), EventStoreDB's adapter over the client double, SQLite key stores.
 */
const FIXTURE = join(__dirname, '../../../../test/fixtures/pre-seal-log/events.sqlite');
const PROJECT = 'pre-seal';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-copy-'));
  dirs.push(dir);
  return dir;
};
const closing: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const c of closing) await c.close().catch(() => undefined);
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const track = <T extends { close(): Promise<void> }>(c: T): T => (closing.push(c), c);

const fixtureLog = () => {
  const dir = freshDir();
  copyFileSync(FIXTURE, join(dir, 'events.sqlite'));
  return track(new SqliteEventStore(join(dir, 'events.sqlite')));
};
const esdbLog = () => track(openEventStoreDb(new FakeEventStoreDbClient().asClient() as never));
/** One process's seal over a stored log, with the key store of `keysDir`. */
const sealedOver = (log: EventStore, keysDir: string, master: Buffer) => new PersonalDataEventStore(log, new DataKeys(new SqliteDataKeyStore(join(keysDir, 'data-keys.sqlite')), master), USER_PERSONAL_DATA);
const all = (log: EventStore) => log.readAll(null, 1_000_000);
const options = (source: EventStore, targetLog: EventStore, target: PersonalDataEventStore, master: Buffer): LogCopyOptions => ({
  source,
  targetLog,
  target,
  names: ReservationNames.fromMasterKey(master),
  policy: USER_PERSONAL_DATA,
  openSealedSource: () => Promise.reject(new Error('this log holds no sealed event')),
});
const projectEvent = (): EventToAppend => {
  const id = randomUUID();
  return { id, type: 'ProjectCreated', data: {}, metadata: { eventId: id, occurredAt: '2025-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'system', id: 's' }, requestId: 'r', ip: '', userAgent: '' } };
};
// Only a person's own stream keeps the request's ip and agent (reservations, teams and memberships are sealed with no one's key).
const withoutClient = (e: RecordedEvent) => (USER_PERSONAL_DATA.subjectOf(e.streamId) === null ? { ...e.metadata, ip: '', userAgent: '' } : e.metadata);

describe('copyLog', () => {
  it('copies the previous version\'s log into EventStoreDB: every event, its id, type, data, metadata and order, sealed; reservations renamed', async () => {
    const source = fixtureLog();
    const before = await all(source);
    const master = randomBytes(32);
    const targetLog = esdbLog();
    const keysDir = freshDir();
    const summary = await copyLog(options(source, targetLog, track(sealedOver(targetLog, keysDir, master)), master));
    expect(summary).toMatchObject({ events: before.length, copied: before.length - 2, left: 2, usersSealed: 3, reopened: 0 });

    const stored = await all(targetLog);
    expect(stored.filter((e) => holdsUnsealedPersonalData(e, USER_PERSONAL_DATA))).toEqual([]);
    expect(stored.filter((e) => e.metadata.sealed).length).toBeGreaterThan(10);
    // Opened by another process (nothing cached): what the old log held, under the new names.
    const opened = await all(sealedOver(targetLog, keysDir, master));
    const names = ReservationNames.fromMasterKey(master);
    const unmapped = summary.reservations.unmapped.map((u) => u.stream);
    const kept = before.filter((e) => !unmapped.includes(e.streamId));
    expect(opened.map((e) => e.id)).toEqual(kept.map((e) => e.id));
    opened.forEach((e, i) => {
      const old = kept[i];
      expect({ type: e.type, data: e.data, metadata: { ...e.metadata, sealed: undefined } }).toEqual({ type: old.type, data: old.data, metadata: { ...withoutClient(old), sealed: undefined } });
      expect(e.streamId === old.streamId || /^unique-[^:]+:(email|phone|push):/.test(old.streamId)).toBe(true);
    });
    const ada = opened.filter((e) => e.streamId === `user-${PROJECT}:ada`);
    expect(ada.map((e) => e.revision)).toEqual(ada.map((_, i) => i));
    const adaEmail = String(ada.find((e) => e.type === 'UserEmailChanged')!.data.email);
    expect(opened.filter((e) => e.streamId === names.streamIdOf(PROJECT, 'email', adaEmail)).map((e) => e.type)).toEqual(['UniqueValueClaimed']);
  });

  it('copies a log an upgraded version wrote into: its sealed events opened with its keys and sealed anew, an erasure kept, keyed claims renamed and merged', async () => {
    const source = esdbLog();
    for (const e of await all(fixtureLog())) await source.append(e.streamId, [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }], 'any');
    const oldMaster = randomBytes(32);
    const oldKeys = freshDir();
    const oldNames = ReservationNames.fromMasterKey(oldMaster);
    const upgraded = sealedOver(source, oldKeys, oldMaster);
    const event = (type: string, data: Record<string, unknown>): EventToAppend => {
      const id = randomUUID();
      return { id, type, data, metadata: { eventId: id, occurredAt: '2025-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ip: '203.0.113.99', userAgent: 'Upgraded/1' } };
    };
    const claim = (owner: string) => event('UniqueValueClaimed', { owner, claimedAt: '2025-01-01T00:00:00.000+00:00' });
    await source.append(oldNames.streamIdOf(PROJECT, 'email', 'yan@example.com'), [claim('yan')], 'no_stream');
    await upgraded.append(`user-${PROJECT}:yan`, [event('UserCreated', { userId: 'yan', name: 'Yan Upgraded', email: 'yan@example.com', phone: null, password: null, hash: 'argon2', hashOptions: {} })], 'no_stream');
    // The upgraded version did not see the old claim on Ada's email: a second stream for one value.
    const adaEmail = String((await all(source)).find((e) => e.type === 'UserEmailChanged')!.data.email);
    await source.append(oldNames.streamIdOf(PROJECT, 'email', adaEmail), [claim('yan')], 'no_stream');
    await upgraded.append(`user-${PROJECT}:zed`, [event('UserCreated', { userId: 'zed', name: 'Zed Erased', email: null, phone: null, password: null, hash: 'argon2', hashOptions: {} })], 'no_stream');
    await upgraded.destroyKeysOf(`user-${PROJECT}:zed`);
    await upgraded.append(`user-${PROJECT}:zed`, [{ ...event('UserErased', {}), metadata: { ...event('UserErased', {}).metadata, ip: '', userAgent: '' } }], 'stream_exists');
    await upgraded.keys.close();

    const master = randomBytes(32);
    const targetDir = freshDir();
    const targetLog = track(new SqliteEventStore(join(targetDir, 'events.sqlite')));
    const names = ReservationNames.fromMasterKey(master);
    const summary = await copyLog({
      ...options(source, targetLog, track(sealedOver(targetLog, targetDir, master)), master),
      openSealedSource: async () => ({ events: track(sealedOver(source, oldKeys, oldMaster)), names: oldNames }),
    });
    expect(summary).toMatchObject({ reopened: 2, usersSealed: 5, reservations: { merged: [names.streamIdOf(PROJECT, 'email', adaEmail)] } });
    const zedKey = (await all(targetLog)).find((e) => e.streamId === `user-${PROJECT}:zed`)!.metadata.sealed!.keyId;
    const opened = await all(sealedOver(targetLog, targetDir, master));
    expect(opened.find((e) => e.streamId === `user-${PROJECT}:yan`)).toMatchObject({ data: { name: 'Yan Upgraded', email: 'yan@example.com' }, metadata: { ip: '203.0.113.99', userAgent: 'Upgraded/1' } });
    expect(opened.filter((e) => e.streamId === names.streamIdOf(PROJECT, 'email', 'yan@example.com')).map((e) => e.data.owner)).toEqual(['yan']);
    expect(opened.filter((e) => e.streamId === names.streamIdOf(PROJECT, 'email', adaEmail)).map((e) => [e.revision, e.data.owner])).toEqual([
      [0, 'ada'],
      [1, 'yan'],
    ]);
    // Erased in the old log, erased in the new one: its new keys destroyed too, not merely unreadable.
    const zed = opened.filter((e) => e.streamId === `user-${PROJECT}:zed`);
    expect(zed.map((e) => [e.type, e.data.name ?? null])).toEqual([
      ['UserCreated', ERASED],
      ['UserErased', null],
    ]);
    const keyStore = track(new SqliteDataKeyStore(join(targetDir, 'data-keys.sqlite')));
    expect((await keyStore.byIds([zedKey])).get(zedKey)).toEqual({ keyId: zedKey, wrapped: null });
  });

  it('refuses a non-empty new log; --resume goes on after an interrupted copy, and refuses a log that is not its start', async () => {
    const source = fixtureLog();
    const total = (await all(source)).length;
    const master = randomBytes(32);
    const targetDir = freshDir();
    const targetLog = track(new SqliteEventStore(join(targetDir, 'events.sqlite')));
    const crashing = sealedOver(targetLog, targetDir, master);
    const append = crashing.append.bind(crashing);
    let calls = 0;
    crashing.append = (...args) => (++calls > 10 ? Promise.reject(new Error('killed mid-copy')) : append(...args));
    await expect(copyLog(options(source, targetLog, crashing, master))).rejects.toThrow('killed mid-copy');
    const copiedBefore = (await all(targetLog)).length;
    expect(copiedBefore).toBeGreaterThanOrEqual(10);

    // Another process, as a second run of the CLI would be.
    const again = track(sealedOver(targetLog, targetDir, master));
    await expect(copyLog(options(source, targetLog, again, master))).rejects.toThrow(LogCopyRefusedError);
    const resumed = await copyLog({ ...options(source, targetLog, again, master), resume: true });
    expect(resumed).toMatchObject({ alreadyCopied: copiedBefore, copied: total - 2 - copiedBefore });
    const ids = (await all(targetLog)).map((e) => e.id);
    expect(new Set(ids).size).toBe(total - 2);
    // Written into after the copy (a gateway started on it): no longer this copy to resume.
    await targetLog.append('project-later', [projectEvent()], 'no_stream');
    await expect(copyLog({ ...options(source, targetLog, again, master), resume: true })).rejects.toThrow(/1 events after this copy's last/);

    const other = esdbLog();
    await other.append('project-other', [projectEvent()], 'no_stream');
    await expect(copyLog({ ...options(source, other, track(sealedOver(other, freshDir(), master)), master), resume: true })).rejects.toThrow(/not the start of this copy/);
  });
});
