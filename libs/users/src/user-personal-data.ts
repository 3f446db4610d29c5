import type { PersonalDataPolicy } from '@lib/personal-data';
import { parseUserStreamId } from './user';
import type { UserEventDataMap, UserEventType } from './user.events';

/**
 * The personal fields of every user event: sealed with the user's data key in the log, so that
 * destroying the key (`POST /v1/users/:id/erase`) makes them unreadable for good. The request's
 * `ip` and `userAgent` in the metadata of every user event are sealed too. The type makes every
 * event type list its fields; user-personal-data.unit.spec.ts makes every field of every type be
 * either listed here or named there as not personal, with the reason.
 */
export const USER_PERSONAL_FIELDS: { readonly [K in UserEventType]: ReadonlyArray<keyof UserEventDataMap[K] & string> } = {
  // The password hash too: kept after an erasure, it could still be cracked offline.
  UserCreated: ['name', 'email', 'phone', 'password'],
  UserNameChanged: ['name'],
  UserEmailChanged: ['email'],
  UserPhoneChanged: ['phone'],
  UserPasswordChanged: ['password'],
  UserPasswordRehashed: ['password'],
  UserStatusChanged: [],
  UserEmailVerificationChanged: [],
  UserPhoneVerificationChanged: [],
  UserPrefsReplaced: ['prefs'],
  // Where the person signed in from, and who they are at the provider (an email login's providerUid is the email).
  SessionCreated: ['providerUid', 'providerAccessToken', 'providerRefreshToken', 'ip', 'userAgent'],
  SessionDeleted: [],
  TokenCreated: [],
  UserLabelsReplaced: [],
  UserMfaChanged: [],
  UserImpersonatorChanged: [],
  UserEmailRemoved: [],
  UserPhoneRemoved: [],
  MfaRecoveryCodesIssued: ['codes'],
  // An email address, a phone number or a device's push token, and the name the person gave it.
  TargetCreated: ['identifier', 'name'],
  TargetUpdated: ['identifier', 'name'],
  TargetDeleted: [],
  UserAccessed: [],
  UserDeleted: [],
  UserErased: [],
};

/** The Users context's personal data: a `user-…` stream holds its user's, sealed with that user's key (the stream name is the key's subject). */
export const USER_PERSONAL_DATA: PersonalDataPolicy = {
  subjectOf: (streamId) => (parseUserStreamId(streamId) ? streamId : null),
  fieldsOf: (type) => (Object.prototype.hasOwnProperty.call(USER_PERSONAL_FIELDS, type) ? USER_PERSONAL_FIELDS[type as UserEventType] : []),
  isErasure: (type) => type === 'UserErased',
};
