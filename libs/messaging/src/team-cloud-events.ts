import type { RecordedEvent } from '@lib/event-store';
import { EventSchema, toDomainEvent, versionOf } from '@lib/event-sourcing';
import { MEMBERSHIP_EVENT_SCHEMA, MembershipEventType, parseMembershipStreamId, parseTeamStreamId, TEAM_EVENT_SCHEMA, TeamEventType } from '@lib/teams';

/**
 * The team and membership events of the log as CloudEvents 1.0, in the same envelope as the
 * user events (cloud-events.ts, which hands every non-user stream to this mapping). `subject` is
 * the team id or the membership id (also the Kafka key: per-team and per-membership order);
 * `data` comes from an allow-list per type. A user's or a team's deletion also ends its
 * memberships: consumers follow `user.deleted` / `team.deleted`, no membership event is emitted.
 */

type TeamsEventType = TeamEventType | MembershipEventType;

interface TypeSpec {
  name: string;
  fields: readonly string[];
}

export const TEAM_CLOUD_EVENT_TYPES: Readonly<Record<TeamsEventType, TypeSpec>> = {
  TeamCreated: { name: 'team.created', fields: ['teamId', 'name'] },
  TeamRenamed: { name: 'team.renamed', fields: ['name'] },
  TeamPrefsReplaced: { name: 'team.prefs.replaced', fields: ['prefs'] },
  TeamDeleted: { name: 'team.deleted', fields: [] },
  MembershipCreated: { name: 'team.membership.created', fields: ['membershipId', 'teamId', 'userId', 'roles', 'confirm'] },
  MembershipRolesChanged: { name: 'team.membership.roles.changed', fields: ['roles'] },
  MembershipDeleted: { name: 'team.membership.deleted', fields: [] },
};


// The envelope's constants, as cloud-events.ts has them (kept here so the import runs one way).
const TYPE_PREFIX = 'io.appwrite-compatible.users';
const SCHEMA_BASE_URI = 'https://appwrite-compatible.io/schemas/users/';

const schemaOf = (type: TeamsEventType): EventSchema<never> => ((TEAM_EVENT_SCHEMA.types as readonly string[]).includes(type) ? TEAM_EVENT_SCHEMA : MEMBERSHIP_EVENT_SCHEMA) as EventSchema<never>;

/** `team.created.v1.json`: the schema file of an event type's data in libs/messaging/schemas/. */
export const teamSchemaFileName = (type: TeamsEventType) => `${TEAM_CLOUD_EVENT_TYPES[type].name}.v${versionOf(schemaOf(type), type)}.json`;

/** The CloudEvent of a team or membership event (same shape as UserCloudEvent), or null for any other stream or type. */
export function toTeamCloudEvent(event: RecordedEvent, options: { schemaBaseUri?: string } = {}) {
  const team = parseTeamStreamId(event.streamId);
  const membership = team ? null : parseMembershipStreamId(event.streamId);
  const key = team ? { projectId: team.projectId, subject: team.teamId } : membership ? { projectId: membership.projectId, subject: membership.membershipId } : null;
  const schema = team ? TEAM_EVENT_SCHEMA : MEMBERSHIP_EVENT_SCHEMA;
  const domainEvent = key && toDomainEvent(schema as EventSchema<never>, event);
  if (!key || !domainEvent) return null;
  const type = event.type as TeamsEventType;
  const data = (domainEvent as { data: Record<string, unknown> }).data;
  const published: Record<string, unknown> = {};
  for (const field of TEAM_CLOUD_EVENT_TYPES[type].fields) if (field in data) published[field] = data[field];
  const version = versionOf(schemaOf(type), type);
  const meta = event.metadata;
  return {
    specversion: '1.0' as const,
    id: event.id,
    source: `/v1/projects/${encodeURIComponent(key.projectId)}/teams`,
    type: `${TYPE_PREFIX}.${TEAM_CLOUD_EVENT_TYPES[type].name}.v${version}`,
    subject: key.subject,
    time: meta.occurredAt,
    datacontenttype: 'application/json' as const,
    dataschema: `${options.schemaBaseUri ?? SCHEMA_BASE_URI}${teamSchemaFileName(type)}`,
    projectid: key.projectId,
    schemaversion: version,
    requestid: meta.requestId ?? '',
    actortype: meta.actor?.type ?? 'system',
    actorid: meta.actor?.id ?? '',
    streamrevision: event.revision,
    data: published,
  };
}
