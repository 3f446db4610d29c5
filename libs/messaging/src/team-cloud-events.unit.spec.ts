import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CloudEvent } from 'cloudevents';
import type { RecordedEvent } from '@lib/event-store';
import { membershipClaimStreamId, membershipStreamId, MEMBERSHIP_EVENT_TYPES, teamStreamId, TEAM_EVENT_TYPES } from '@lib/teams';
import { type JsonSchema, validateJsonSchema } from '@lib/messaging/testing';
import { toCloudEvent, toCloudEventMessage } from './cloud-events';
import { TEAM_CLOUD_EVENT_TYPES, teamSchemaFileName } from './team-cloud-events';

const SCHEMAS = path.join(__dirname, '..', 'schemas');
const loadSchema = (file: string) => JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as JsonSchema;

const TYPES = [...TEAM_EVENT_TYPES, ...MEMBERSHIP_EVENT_TYPES];
const EXAMPLES: Record<string, Record<string, unknown>> = {
  TeamCreated: { teamId: 'vip', name: 'VIP' },
  TeamRenamed: { name: 'V.I.P.' },
  TeamPrefsReplaced: { prefs: { theme: 'dark' } },
  TeamDeleted: {},
  MembershipCreated: { membershipId: 'm1', teamId: 'vip', userId: 'ada', roles: ['owner'], confirm: true },
  MembershipRolesChanged: { roles: ['admin'] },
  MembershipDeleted: {},
};

function recorded(type: string, data: Record<string, unknown>, streamId: string): RecordedEvent {
  return {
    id: '6f1d2c3b-0a9e-4d8c-b7a6-5e4f3d2c1b0a',
    type,
    streamId,
    revision: 2,
    position: '7',
    sortKey: '7'.padStart(40, '0'),
    data,
    metadata: { eventId: 'e', occurredAt: '2025-11-27T10:00:00.123+00:00', schemaVersion: 1, actor: { type: 'apiKey', id: 'key-1' }, requestId: 'req-1', ip: '', userAgent: '' },
  };
}
const streamOf = (type: string) => ((TEAM_EVENT_TYPES as readonly string[]).includes(type) ? teamStreamId('demo', 'vip') : membershipStreamId('demo', 'm1'));

describe('team and membership events as CloudEvents', () => {
  it('has a name and a schema file for every type, and no other team schema file', () => {
    expect(Object.keys(TEAM_CLOUD_EVENT_TYPES).sort()).toEqual([...TYPES].sort());
    const files = readdirSync(SCHEMAS).filter((f) => f.startsWith('team.'));
    expect(files.sort()).toEqual(TYPES.map((t) => teamSchemaFileName(t)).sort());
  });

  describe.each(TYPES.map((t) => [t] as const))('%s', (type) => {
    const event = recorded(type, EXAMPLES[type], streamOf(type));
    const ce = toCloudEvent(event)!;

    it('maps the envelope: source /teams, subject the team or membership id, key = subject', () => {
      expect(ce).toMatchObject({
        specversion: '1.0',
        source: '/v1/projects/demo/teams',
        type: `io.appwrite-compatible.users.${TEAM_CLOUD_EVENT_TYPES[type].name}.v1`,
        subject: type.startsWith('Team') ? 'vip' : 'm1',
        dataschema: `https://appwrite-compatible.io/schemas/users/${teamSchemaFileName(type)}`,
        projectid: 'demo',
        streamrevision: 2,
        actorid: 'key-1',
        data: EXAMPLES[type],
      });
      expect(toCloudEventMessage(event)!.key).toBe(ce.subject);
    });

    it('validates against the envelope schema, its data schema and the CloudEvents SDK', () => {
      expect(validateJsonSchema(loadSchema('cloudevent.v1.json'), ce)).toEqual([]);
      const schema = loadSchema(teamSchemaFileName(type));
      expect(schema.$id).toBe(ce.dataschema);
      expect(validateJsonSchema(schema, ce.data)).toEqual([]);
      expect(() => new CloudEvent(JSON.parse(toCloudEventMessage(event)!.value), true)).not.toThrow();
    });
  });

  it('publishes allow-listed fields only; claims and unknown types are not published', () => {
    expect(toCloudEvent(recorded('TeamRenamed', { name: 'x', secret: 'y' }, teamStreamId('demo', 'vip')))!.data).toEqual({ name: 'x' });
    expect(toCloudEvent(recorded('MembershipClaimed', { owner: 'm1' }, membershipClaimStreamId('demo', 'vip', 'ada')))).toBeNull();
    expect(toCloudEvent(recorded('TeamExploded', {}, teamStreamId('demo', 'vip')))).toBeNull();
  });
});
