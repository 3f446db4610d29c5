import type { EventActor } from '@lib/event-store';
import type { UserEventType } from '../user.events';

/**
 * Which audit event name each change to a user is logged under: Appwrite's `audits.event`
 * label of the route that makes the change (appwrite/appwrite 1.3.8, app/controllers/api/
 * users.php and account.php; `tokens.create` is 1.5's users.php), so every change to a user is
 * one row of that user's log.
 *
 * | Event type                     | Audit name            | Appwrite route(s) with that label                           |
 * |--------------------------------|-----------------------|--------------------------------------------------------------|
 * | UserCreated                    | `user.create`         | POST /v1/users (+ the 7 hash imports), POST /v1/account       |
 * | UserNameChanged                | `user.update`         | PATCH /v1/users/:id/name, PATCH /v1/account/name              |
 * | UserEmailChanged               | `user.update`         | PATCH /v1/users/:id/email, PATCH /v1/account/email            |
 * | UserPhoneChanged               | `user.update`         | PATCH /v1/users/:id/phone, PATCH /v1/account/phone            |
 * | UserPasswordChanged            | `user.update`         | PATCH /v1/users/:id/password, PATCH /v1/account/password      |
 * | UserStatusChanged              | `user.update`         | PATCH /v1/users/:id/status, PATCH /v1/account/status          |
 * | UserEmailVerificationChanged   | `verification.update` | PATCH /v1/users/:id/verification, PUT /v1/account/verification |
 * | UserPhoneVerificationChanged   | `verification.update` | PATCH /v1/users/:id/verification/phone, PUT …/verification/phone |
 * | UserPrefsReplaced              | `user.update`         | PATCH /v1/account/prefs (Users' PATCH …/prefs has no label)   |
 * | SessionCreated                 | `session.create`      | POST /v1/account/sessions/* (email, magic-url, phone, …)      |
 * | SessionDeleted                 | `session.delete`      | DELETE /v1/users/:id/sessions[/:sid], DELETE /v1/account/sessions… |
 * | TokenCreated                   | `tokens.create`       | POST /v1/users/:id/tokens (1.5; Appwrite's plural spelling)   |
 * | UserDeleted                    | `user.delete`         | DELETE /v1/users/:id                                          |
 * | UserLabelsReplaced             | `user.update`         | PUT /v1/users/:id/labels (1.4)                                |
 * | UserMfaChanged                 | `user.update`         | PATCH /v1/users/:id/mfa (1.5)                                 |
 * | UserImpersonatorChanged        | `user.update`         | PATCH /v1/users/:id/impersonator (1.9)                        |
 * | UserEmailRemoved               | `user.update`         | PATCH /v1/users/:id/email with "" (1.5)                       |
 * | UserPhoneRemoved               | `user.update`         | PATCH /v1/users/:id/phone with "" (1.5)                       |
 * | MfaRecoveryCodesIssued         | `user.update`         | PATCH and PUT /v1/users/:id/mfa/recovery-codes (1.5)          |
 *
 * Not in a user's log (NOT_AUDITED): target events. Appwrite audits the target routes under the
 * resource `target/<id>`, which List User Logs does not read; the targets that follow a user's
 * email and phone are part of that change's own `user.update` row. Nor is UserAccessed: Appwrite
 * records a user's last access without an audit row. Nor is UserErased: it drops the user's whole log.
 *
 * Names of our own, for changes Appwrite makes without an audit row of their own (same
 * `<resource>.<verb>` scheme):
 *
 * | Event type            | Audit name        | Why Appwrite has none                                           |
 * |-----------------------|-------------------|------------------------------------------------------------------|
 * | UserPasswordRehashed  | `password.rehash` | Appwrite re-hashes inside the login request (`session.create`)   |
 *
 * `UserPasswordRehashed` is listed by name: this table is keyed by strings, so it holds
 * whether or not the type is in the event union yet. A new user event type needs a line here
 * (logs.projection.unit.spec.ts checks every type of USER_EVENT_TYPES has one, or is in NOT_AUDITED).
 */
export const AUDITED_EVENTS: Readonly<Partial<Record<UserEventType | 'UserPasswordRehashed' | 'TokenCreated', string>>> = Object.freeze({
  UserCreated: 'user.create',
  UserNameChanged: 'user.update',
  UserEmailChanged: 'user.update',
  UserPhoneChanged: 'user.update',
  UserPasswordChanged: 'user.update',
  UserStatusChanged: 'user.update',
  UserEmailVerificationChanged: 'verification.update',
  UserPhoneVerificationChanged: 'verification.update',
  UserPrefsReplaced: 'user.update',
  SessionCreated: 'session.create',
  SessionDeleted: 'session.delete',
  TokenCreated: 'tokens.create',
  UserDeleted: 'user.delete',
  UserPasswordRehashed: 'password.rehash',
  UserLabelsReplaced: 'user.update',
  UserMfaChanged: 'user.update',
  UserImpersonatorChanged: 'user.update',
  UserEmailRemoved: 'user.update',
  UserPhoneRemoved: 'user.update',
  MfaRecoveryCodesIssued: 'user.update',
});

/** User event types that are no row of the user's log (see above). */
export const NOT_AUDITED: ReadonlySet<UserEventType> = new Set<UserEventType>(['TargetCreated', 'TargetUpdated', 'TargetDeleted', 'UserAccessed', 'UserErased']);

/** The audit name of an event type, or null for types that are not changes to a user. */
export function auditEventName(type: string): string | null {
  return Object.prototype.hasOwnProperty.call(AUDITED_EVENTS, type) ? (AUDITED_EVENTS as Record<string, string>)[type] : null;
}

/** `mode` of a row: `admin` for API-key requests, `user` for a user's own. */
export type AuditMode = 'admin' | 'user' | '';

/** Who a row says acted: `actorId` '' means no user (an API key or the system). */
export interface AuditActor {
  actorId: string;
  mode: AuditMode;
}

/**
 * Who acted, from the event's metadata (`ownerId`: the user whose stream the event is in).
 *
 * * API key → no user (`userId`/`userEmail`/`userName` ""), mode `admin`. Appwrite's API-key
 *   "user" has `$id` "" too (1.5+; 1.5/1.6 then write no row at all, 1.7+ write one with the
 *   key's name and `app.<project>@service.<host>`, which we do not have; 1.3.8 wrote the row
 *   under the target user). Appwrite's own `mode` is the X-Appwrite-Mode header (`default`,
 *   `admin` from the Console); ours says which kind of caller acted.
 * * A user's session/JWT → that user, mode `user`.
 * * A guest (no key, no session) changing a user is that user logging in, signing up or
 *   recovering: Appwrite attributes those rows to the user (`audits.userId` =
 *   `{response.userId}` on session.create, user.create, recovery.update …), so do we.
 * * Any other system actor (CLI, internal) → no user, mode "".
 */
export function auditActor(actor: EventActor | undefined, ownerId: string): AuditActor {
  switch (actor?.type) {
    case 'apiKey':
      return { actorId: '', mode: 'admin' };
    case 'user':
      return { actorId: actor.id, mode: 'user' };
    case 'system':
      return actor.id === 'guest' ? { actorId: ownerId, mode: 'user' } : { actorId: '', mode: '' };
    default:
      return { actorId: '', mode: '' };
  }
}
