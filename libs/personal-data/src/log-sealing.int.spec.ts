import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventToAppend, SqliteEventStore } from '@lib/event-store';
import { DataKeys } from './data-keys';
import { sealingOfLog } from './log-sealing';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PersonalDataPolicy } from './personal-data-policy';
import { SqliteDataKeyStore } from './sqlite/sqlite-data-key-store';

/** People live in `person-<id>` streams; their `Registered` events hold a name. */
const POLICY: PersonalDataPolicy = {
  subjectOf: (streamId) => (streamId.startsWith('person-') ? streamId : null),
  fieldsOf: (type) => (type === 'Registered' ? ['name'] : []),
  isErasure: (type) => type === 'Erased',
};
const event = (type: string, data: Record<string, unknown>, client = { ip: '', userAgent: '' }): EventToAppend => {
  const id = randomUUID();
  return { id, type, data, metadata: { eventId: id, occurredAt: '2024-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ...client } };
};

describe('sealingOfLog: how a stored log keeps personal data, from its first event that holds any', () => {
  let dir: string;
  let log: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-sealing-'));
    log = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('none: an empty log, and one whose events hold no personal data (a person event without values, a system one)', async () => {
    expect(await sealingOfLog(log, POLICY)).toEqual({ sealing: 'none', eventsRead: 0 });
    await log.append('project-1', [event('ProjectCreated', { name: 'Project' }, { ip: '198.51.100.1', userAgent: 'Admin/1' })], 'no_stream');
    await log.append('person-1', [event('Suspended', { reason: 'x' }), event('Registered', { name: '' })], 'no_stream');
    expect(await sealingOfLog(log, POLICY)).toEqual({ sealing: 'none', eventsRead: 3 });
  });

  it('unsealed: a person event with a personal field, or the request ip or agent, in clear (written before sealing)', async () => {
    await log.append('project-1', [event('ProjectCreated', {})], 'no_stream');
    await log.append('person-1', [event('Suspended', {}, { ip: '203.0.113.9', userAgent: '' })], 'no_stream');
    const found = await sealingOfLog(log, POLICY);
    expect(found).toMatchObject({ sealing: 'unsealed', event: { streamId: 'person-1', position: expect.any(String) }, eventsRead: 2 });
  });

  it('sealed: a log written through the seal, told by its first person whatever follows, read no further', async () => {
    const sealed = new PersonalDataEventStore(log, new DataKeys(new SqliteDataKeyStore(join(dir, 'data-keys.sqlite')), randomBytes(32)), POLICY);
    for (let i = 0; i < 3; i++) await log.append(`project-${i}`, [event('ProjectCreated', {})], 'no_stream');
    await sealed.append('person-1', [event('Registered', { name: 'Zebulon' })], 'no_stream');
    // Later plaintext (a process run with the check off, say) does not change what the log's start says.
    for (let i = 0; i < 300; i++) await log.append(`person-x${i}`, [event('Registered', { name: `plain ${i}` })], 'no_stream');
    expect(await sealingOfLog(log, POLICY)).toMatchObject({ sealing: 'sealed', event: { streamId: 'person-1' }, eventsRead: 4 });
    expect(await sealed.storedSealing()).toMatchObject({ sealing: 'sealed', eventsRead: 4 });
    await sealed.keys.close();
  });
});
