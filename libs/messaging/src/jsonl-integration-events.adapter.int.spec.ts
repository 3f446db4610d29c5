import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudEventMessage } from './cloud-events';
import { JsonlIntegrationEventsAdapter } from './jsonl-integration-events.adapter';
import { tempDir } from '@lib/messaging/testing';

const msg = (id: string): CloudEventMessage => ({
  key: `p:${id}`,
  value: JSON.stringify({ specversion: '1.0', id, note: 'línea ✓' }),
  headers: {},
});
const lines = (file: string) => readFileSync(file, 'utf8').split('\n');

describe('JsonlIntegrationEventsAdapter', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('jsonl-')));
  afterEach(() => tmp.cleanup());

  it('creates the folder and appends one line per message, across batches and reopen', async () => {
    const file = join(tmp.dir, 'a', 'b', 'events.jsonl');
    const sink = new JsonlIntegrationEventsAdapter({ file });
    expect(sink.destination).toBe('jsonl:events.jsonl');
    await sink.publish([msg('1'), msg('2')]);
    await sink.publish([]);
    await sink.publish([msg('3')]);
    await sink.close();
    const again = new JsonlIntegrationEventsAdapter({ file, destination: 'custom' });
    expect(again.destination).toBe('custom');
    await again.publish([msg('4')]);
    await again.close();
    expect(lines(file).map((l) => (l ? JSON.parse(l).id : ''))).toEqual(['1', '2', '3', '4', '']);
    await expect(again.publish([msg('5')])).rejects.toThrow(/closed/);
  });

  it('drops the earlier events of a user once it publishes the user\'s erasure, keeping the erasure and everyone else\'s', async () => {
    const file = join(tmp.dir, 'events.jsonl');
    const userEvent = (id: string, projectid: string, subject: string, name: string, data: Record<string, unknown> = {}): CloudEventMessage => ({
      key: subject,
      value: JSON.stringify({ specversion: '1.0', id, source: `/v1/projects/${projectid}/users`, type: `io.appwrite-compatible.users.${name}.v1`, subject, projectid, data }),
      headers: {},
    });
    const sink = new JsonlIntegrationEventsAdapter({ file });
    await sink.publish([userEvent('1', 'p', 'ada', 'user.created', { email: 'ada@erase.me' }), userEvent('2', 'p', 'bob', 'user.created'), userEvent('3', 'q', 'ada', 'user.created')]);
    await sink.publish([userEvent('4', 'p', 'ada', 'user.name.changed', { name: 'Ada Erase-Me' }), userEvent('5', 'p', 'ada', 'user.deleted'), userEvent('6', 'p', 'ada', 'user.erased')]);
    await sink.publish([msg('7')]);
    await sink.close();
    expect(lines(file).filter(Boolean).map((l) => JSON.parse(l).id)).toEqual(['2', '3', '6', '7']);
    expect(readFileSync(file, 'utf8')).not.toContain('erase.me');
    expect(readFileSync(file, 'utf8')).not.toContain('Erase-Me');
  });

  it('keeps concurrent publishes whole and in call order', async () => {
    const file = join(tmp.dir, 'events.jsonl');
    const sink = new JsonlIntegrationEventsAdapter({ file });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sink.publish([msg(`${i}a`), msg(`${i}b`)])));
    await sink.close();
    const ids = lines(file).filter(Boolean).map((l) => JSON.parse(l).id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => [`${i}a`, `${i}b`]).flat());
  });

  it('cuts off a torn last line left by a crash before appending', async () => {
    const file = join(tmp.dir, 'events.jsonl');
    writeFileSync(file, `${msg('1').value}\n`);
    appendFileSync(file, '{"specversion":"1.0","id":"2","no');
    const sink = new JsonlIntegrationEventsAdapter({ file });
    await sink.publish([msg('2')]);
    await sink.close();
    expect(lines(file).filter(Boolean).map((l) => JSON.parse(l).id)).toEqual(['1', '2']);
  });

  it('repairs a file that is one torn line, larger than the scan chunk', async () => {
    const file = join(tmp.dir, 'events.jsonl');
    writeFileSync(file, 'x'.repeat(200_000));
    const sink = new JsonlIntegrationEventsAdapter({ file });
    await sink.publish([msg('1')]);
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe(`${msg('1').value}\n`);
  });
});
