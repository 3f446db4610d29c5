import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent, versionOf } from '@lib/event-sourcing';
import { parseUserStreamId, publicEventData, USER_EVENT_SCHEMA, type UserEvent, type UserEventType } from '@lib/users';
import { toTeamCloudEvent } from './team-cloud-events';

/**
 * Integration events: the user events of the log as CloudEvents 1.0 (structured JSON mode),
 * for services downstream. A pure mapping; internal streams (`unique-…` reservations,
 * `project-…`) and unknown event types map to null and are never published.
 *
 * `data` is the event's public view (libs/users user-event-public-data.ts, which the history
 * endpoint answers too): every field is classified there, so a field added to a domain event is not
 * published until it is made public there (and added to its JSON schema). Never published: the
 * password hash (`password`), `hash`, `hashOptions`, secret hashes, a session's provider
 * access/refresh tokens, recovery codes.
 */

export const CLOUD_EVENT_TYPE_PREFIX = 'io.appwrite-compatible.users';
/** Where the JSON schemas (libs/messaging/schemas/) are published; `dataschema` = base + file name. */
export const DEFAULT_SCHEMA_BASE_URI = 'https://appwrite-compatible.io/schemas/users/';
export const CLOUD_EVENT_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** The CloudEvents envelope of every integration event (extension attributes are lower-case, ≤ 20 chars). */
export interface UserCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  /** Extension: the Appwrite project. */
  projectid: string;
  /** Extension: the schema version of `data` (also the `.vN` suffix of `type`). */
  schemaversion: number;
  /** Extension: the request that caused the event. */
  requestid: string;
  /** Extension: `apiKey`, `user` or `system`. */
  actortype: string;
  /** Extension: the id of the API key / user that caused it. */
  actorid: string;
  /** Extension: 0-based revision of the event in its user's stream; consecutive per user, for de-duplication. */
  streamrevision: number;
  data: Record<string, unknown>;
}

/** One message for the integration-event sink: the Kafka key, the JSON value and headers. */
export interface CloudEventMessage {
  /**
   * The user id: every event of a user lands on one partition, in order. (Ids are unique per
   * project only; users of different projects that share an id share a partition too, which keeps
   * each one's order. Tell users apart by `projectid` + `subject`.)
   */
  key: string;
  /** The CloudEvent as JSON (structured content mode of the CloudEvents Kafka binding). */
  value: string;
  headers: Record<string, string>;
}

export interface CloudEventMappingOptions {
  schemaBaseUri?: string;
}

interface TypeSpec {
  /** The part of `type` after the prefix, before the version. Also the schema file name. */
  name: string;
}

/** Every user event type: its CloudEvent name. */
export const USER_CLOUD_EVENT_TYPES: Readonly<Record<UserEventType, TypeSpec>> = {
  UserCreated: { name: 'user.created' },
  UserNameChanged: { name: 'user.name.changed' },
  UserEmailChanged: { name: 'user.email.changed' },
  UserPhoneChanged: { name: 'user.phone.changed' },
  UserPasswordChanged: { name: 'user.password.changed' },
  UserPasswordRehashed: { name: 'user.password.rehashed' },
  UserStatusChanged: { name: 'user.status.changed' },
  UserEmailVerificationChanged: { name: 'user.email-verification.changed' },
  UserPhoneVerificationChanged: { name: 'user.phone-verification.changed' },
  UserPrefsReplaced: { name: 'user.prefs.replaced' },
  SessionCreated: { name: 'user.session.created' },
  SessionDeleted: { name: 'user.session.deleted' },
  TokenCreated: { name: 'user.token.created' },
  UserLabelsReplaced: { name: 'user.labels.replaced' },
  UserMfaChanged: { name: 'user.mfa.changed' },
  UserImpersonatorChanged: { name: 'user.impersonator.changed' },
  UserEmailRemoved: { name: 'user.email.removed' },
  UserPhoneRemoved: { name: 'user.phone.removed' },
  MfaRecoveryCodesIssued: { name: 'user.mfa.recovery-codes.issued' },
  TargetCreated: { name: 'user.target.created' },
  TargetUpdated: { name: 'user.target.updated' },
  TargetDeleted: { name: 'user.target.deleted' },
  UserAccessed: { name: 'user.accessed' },
  UserDeleted: { name: 'user.deleted' },
  // The person's data key is destroyed: a consumer deletes every copy of their personal data it holds.
  UserErased: { name: 'user.erased' },
};

/** `io.appwrite-compatible.users.user.created.v1` */
export function cloudEventType(eventType: UserEventType, version = versionOf(USER_EVENT_SCHEMA, eventType)): string {
  return `${CLOUD_EVENT_TYPE_PREFIX}.${USER_CLOUD_EVENT_TYPES[eventType].name}.v${version}`;
}

/** `user.created.v1.json`: the schema file of an event type's data in libs/messaging/schemas/. */
export function schemaFileName(eventType: UserEventType, version = versionOf(USER_EVENT_SCHEMA, eventType)): string {
  return `${USER_CLOUD_EVENT_TYPES[eventType].name}.v${version}.json`;
}

/** The CloudEvent for a recorded event, or null when it is not published (internal stream, unknown type). */
export function toCloudEvent(event: RecordedEvent, options: CloudEventMappingOptions = {}): UserCloudEvent | null {
  const key = parseUserStreamId(event.streamId);
  // Published at today's schema version, whatever version it was stored with.
  // Team and membership streams have their own mapping, in the same envelope.
  if (!key) return toTeamCloudEvent(event, options);
  const domainEvent = toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, event);
  if (!domainEvent) return null;
  const meta = event.metadata;
  const type = domainEvent.type as UserEventType;
  return {
    specversion: '1.0',
    id: event.id,
    source: `/v1/projects/${encodeURIComponent(key.projectId)}/users`,
    type: cloudEventType(type),
    subject: key.userId,
    time: meta.occurredAt,
    datacontenttype: 'application/json',
    dataschema: `${options.schemaBaseUri ?? DEFAULT_SCHEMA_BASE_URI}${schemaFileName(type)}`,
    projectid: key.projectId,
    schemaversion: versionOf(USER_EVENT_SCHEMA, type),
    requestid: meta.requestId ?? '',
    actortype: meta.actor?.type ?? 'system',
    actorid: meta.actor?.id ?? '',
    streamrevision: event.revision,
    data: publicEventData(domainEvent),
  };
}

/** The message to publish for a recorded event, or null. */
export function toCloudEventMessage(event: RecordedEvent, options: CloudEventMappingOptions = {}): CloudEventMessage | null {
  const cloudEvent = toCloudEvent(event, options);
  if (!cloudEvent) return null;
  return {
    key: cloudEvent.subject,
    value: JSON.stringify(cloudEvent),
    headers: { 'content-type': CLOUD_EVENT_CONTENT_TYPE },
  };
}
