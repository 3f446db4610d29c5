import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CloudEvent } from 'cloudevents';
import type { RecordedEvent } from '@lib/event-store';
import { USER_EVENT_TYPES } from '@lib/users';
import { projectStreamId } from '@lib/projects';
import { randomBytes } from 'node:crypto';
import { ReservationNames, USER_PERSONAL_FIELDS, userStreamId } from '@lib/users';
import {
  CLOUD_EVENT_CONTENT_TYPE,
  cloudEventType,
  schemaFileName,
  toCloudEvent,
  toCloudEventMessage,
  USER_CLOUD_EVENT_TYPES,
} from './cloud-events';
import { type JsonSchema, validateJsonSchema } from '@lib/messaging/testing';
import { USER_EVENT_EXAMPLE_VALUES, USER_EVENT_EXAMPLES } from '@lib/users/testing';

const SCHEMAS = path.join(__dirname, '..', 'schemas');
const loadSchema = (file: string) => JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as JsonSchema;
const envelopeSchema = loadSchema('cloudevent.v1.json');

const { PHC } = USER_EVENT_EXAMPLE_VALUES;
const EXAMPLES = USER_EVENT_EXAMPLES;

const SECRETS = [PHC, 'gho_secretAccessToken', 'ghr_secretRefreshToken', 'c0ffee00secretTokenHash', 'c2VhbGVkUmVjb3ZlcnlDb2Rlcw=='];
const FORBIDDEN_FIELDS = ['password', 'hash', 'hashOptions', 'providerAccessToken', 'providerRefreshToken', 'secretHash', 'codes'];

function recorded(type: string, data: Record<string, unknown>, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: '0b7c1a7e-9f57-4c41-9d3a-1f0e8c1d2b3a',
    type,
    streamId: userStreamId('demo', 'ada'),
    revision: 3,
    position: '42',
    sortKey: '42'.padStart(40, '0'),
    data,
    metadata: {
      eventId: '0b7c1a7e-9f57-4c41-9d3a-1f0e8c1d2b3a',
      occurredAt: '2025-11-27T10:00:00.123+00:00',
      schemaVersion: 1,
      actor: { type: 'apiKey', id: 'key-1' },
      requestId: 'req-9',
      ip: '198.51.100.1',
      userAgent: 'node-appwrite',
    },
    ...overrides,
  };
}

describe('user events as CloudEvents', () => {
  it('has an example, a name and a schema file for every user event type', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...USER_EVENT_TYPES].sort());
    expect(Object.keys(USER_CLOUD_EVENT_TYPES).sort()).toEqual([...USER_EVENT_TYPES].sort());
    const files = readdirSync(SCHEMAS).filter((f) => f !== 'cloudevent.v1.json' && !f.startsWith('team.'));
    expect(files.sort()).toEqual(USER_EVENT_TYPES.map((t) => schemaFileName(t)).sort());
    const names = USER_EVENT_TYPES.map((t) => USER_CLOUD_EVENT_TYPES[t].name);
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(USER_EVENT_TYPES.map((t) => [t] as const))('%s', (type) => {
    const event = recorded(type, EXAMPLES[type] as Record<string, unknown>);
    const ce = toCloudEvent(event)!;

    it('maps the envelope', () => {
      expect(ce).toMatchObject({
        specversion: '1.0',
        id: event.id,
        source: '/v1/projects/demo/users',
        type: cloudEventType(type),
        subject: 'ada',
        time: '2025-11-27T10:00:00.123+00:00',
        datacontenttype: 'application/json',
        dataschema: `https://appwrite-compatible.io/schemas/users/${schemaFileName(type)}`,
        projectid: 'demo',
        schemaversion: 1,
        requestid: 'req-9',
        actortype: 'apiKey',
        actorid: 'key-1',
        streamrevision: 3,
      });
      expect(ce.type).toMatch(/^io\.appwrite-compatible\.users\.user\.[a-z.-]+\.v1$/);
    });

    it('never publishes a password hash, hash options or provider tokens', () => {
      for (const field of FORBIDDEN_FIELDS) expect(ce.data).not.toHaveProperty(field);
      const value = toCloudEventMessage(event)!.value;
      for (const secret of SECRETS) expect(value).not.toContain(secret);
    });

    it('keeps every other field of the data', () => {
      const expected = Object.fromEntries(Object.entries(EXAMPLES[type]).filter(([k]) => !FORBIDDEN_FIELDS.includes(k)));
      expect(ce.data).toEqual(expected);
    });

    it('validates against the envelope schema and its data schema', () => {
      expect(validateJsonSchema(envelopeSchema, ce)).toEqual([]);
      const dataSchema = loadSchema(schemaFileName(type));
      expect(dataSchema.$id).toBe(ce.dataschema);
      expect(dataSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(validateJsonSchema(dataSchema, ce.data)).toEqual([]);
    });

    it('still validates when published again after the user\'s erasure (personal fields "[erased]")', () => {
      const erased = Object.fromEntries(Object.entries(EXAMPLES[type]).map(([k, v]) => [k, (USER_PERSONAL_FIELDS[type] as readonly string[]).includes(k) ? '[erased]' : v]));
      expect(validateJsonSchema(loadSchema(schemaFileName(type)), toCloudEvent(recorded(type, erased))!.data)).toEqual([]);
    });

    it('is a valid CloudEvent for the CloudEvents SDK (strict)', () => {
      const parsed = JSON.parse(toCloudEventMessage(event)!.value);
      expect(() => new CloudEvent(parsed, true)).not.toThrow();
    });
  });

  it('maps the exact data of UserCreated and SessionCreated', () => {
    expect(toCloudEvent(recorded('UserCreated', EXAMPLES.UserCreated))!.data).toEqual({
      userId: 'ada',
      name: 'Ada',
      email: 'ada@example.com',
      phone: null,
    });
    expect(toCloudEvent(recorded('UserPasswordChanged', { ...EXAMPLES.UserPasswordChanged }))!.data).toEqual({});
    expect(toCloudEvent(recorded('SessionCreated', { ...EXAMPLES.SessionCreated }))!.data).toEqual({
      sessionId: 's1',
      provider: 'github',
      providerUid: 'octo',
      providerAccessTokenExpiry: '2030-01-01T00:00:00.000+00:00',
      expire: '2030-01-02T00:00:00.000+00:00',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    });
  });

  it('does not publish fields unknown to the allow-list (a new domain field stays internal until mapped)', () => {
    const ce = toCloudEvent(recorded('UserNameChanged', { name: 'x', internalNote: 'secret' }))!;
    expect(ce.data).toEqual({ name: 'x' });
  });

  it('builds the Kafka message: key = user id, structured content type', () => {
    const message = toCloudEventMessage(recorded('UserNameChanged', { name: 'x' }))!;
    expect(message.key).toBe('ada');
    expect(message.headers).toEqual({ 'content-type': CLOUD_EVENT_CONTENT_TYPE });
    expect(JSON.parse(message.value)).toEqual(toCloudEvent(recorded('UserNameChanged', { name: 'x' })));
  });

  it('maps internal streams and unknown types to null', () => {
    expect(toCloudEvent(recorded('UniqueValueClaimed', { userId: 'ada' }, { streamId: ReservationNames.fromMasterKey(randomBytes(32)).streamIdOf('demo', 'email', 'a@b.c') }))).toBeNull();
    expect(toCloudEvent(recorded('ProjectCreated', { name: 'demo' }, { streamId: projectStreamId('demo') }))).toBeNull();
    expect(toCloudEvent(recorded('SomethingNew', {}))).toBeNull();
    expect(toCloudEventMessage(recorded('ApiKeyCreated', {}, { streamId: projectStreamId('demo') }))).toBeNull();
  });

  it('takes the schema base URI as an option and escapes the project in source', () => {
    const ce = toCloudEvent(recorded('UserDeleted', {}, { streamId: userStreamId('a b', 'u') }), { schemaBaseUri: 'urn:x:' })!;
    expect(ce.dataschema).toBe('urn:x:user.deleted.v1.json');
    expect(ce.source).toBe('/v1/projects/a%20b/users');
  });

  it('the schema checker catches what it should', () => {
    const schema = loadSchema('user.session.created.v1.json');
    expect(validateJsonSchema(schema, { ...EXAMPLES.SessionCreated })).toEqual(
      expect.arrayContaining(['/providerAccessToken: not allowed', '/providerRefreshToken: not allowed']),
    );
    expect(validateJsonSchema(loadSchema('user.created.v1.json'), { userId: 'a', name: 1, email: null })).toEqual(
      expect.arrayContaining(['/name: expected string, got integer', '/phone: required']),
    );
    expect(validateJsonSchema(envelopeSchema, { ...toCloudEvent(recorded('UserDeleted', {}))!, time: 'yesterday' })).toEqual([
      '/time: not an RFC 3339 date-time',
    ]);
  });
});
