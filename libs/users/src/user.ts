import { Aggregate, parseStreamName, streamName } from '@lib/event-sourcing';
import { UserDomainError } from './user.errors';
import { SealedSecret, TargetDetails, TargetProviderType, USER_EVENT_SCHEMA, UserEvent } from './user.events';

/** Everything the aggregate knows about one user id (across deletions and re-creations). */
export interface UserState {
  /** `erased`: deleted, and its data key destroyed (its earlier personal fields read "[erased]"); the id is free again. */
  lifecycle: 'absent' | 'active' | 'deleted' | 'erased';
  user: UserFields | null;
  /** Ids of the user's live sessions, in creation order. */
  sessionIds: string[];
  /** Ids of the user's tokens (`users.createToken`), in creation order; gone with the user. */
  tokenIds: string[];
  /** The MFA recovery codes, sealed; null until created. */
  recoveryCodes: SealedSecret | null;
}

/** A messaging target as the user record keeps it. */
export interface UserTarget {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string | null;
  providerId: string | null;
  providerType: TargetProviderType;
  identifier: string;
  expired: boolean;
}

/** What a target event does to the user's list of targets. */
export type TargetChange = { kind: 'put'; target: TargetDetails; at: string } | { kind: 'delete'; targetId: string };

/** The user record as Appwrite stores it; the read model keeps the same fields. */
export interface UserFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: boolean;
  emailVerification: boolean;
  phoneVerification: boolean;
  password: string | null;
  hash: string;
  hashOptions: Record<string, unknown>;
  passwordUpdate: string | null;
  registration: string;
  prefs: Record<string, unknown>;
  labels: string[];
  mfa: boolean;
  impersonator: boolean;
  /** When the user last made a request of their own; null when never. */
  accessedAt: string | null;
  targets: UserTarget[];
}

/** Pure: the targets after a change; a put keeps the creation time of a target it replaces. */
export function applyTargetChange(targets: readonly UserTarget[], change: TargetChange): UserTarget[] {
  if (change.kind === 'delete') return targets.filter((t) => t.id !== change.targetId);
  const { targetId, providerType, identifier, providerId, name } = change.target;
  const existing = targets.find((t) => t.id === targetId);
  const next: UserTarget = {
    id: targetId,
    createdAt: existing?.createdAt ?? change.at,
    updatedAt: change.at,
    name,
    providerId,
    providerType,
    identifier,
    expired: existing !== undefined && existing.identifier === identifier ? existing.expired : false,
  };
  return existing ? targets.map((t) => (t.id === targetId ? next : t)) : [...targets, next];
}

export const userStreamId = (projectId: string, userId: string) => streamName('user', projectId, userId);

export function parseUserStreamId(streamId: string): { projectId: string; userId: string } | null {
  const parts = parseStreamName('user', streamId, 2);
  return parts ? { projectId: parts[0], userId: parts[1] } : null;
}

export const initialUserState = (): UserState => ({ lifecycle: 'absent', user: null, sessionIds: [], tokenIds: [], recoveryCodes: null });

/** Every command but creation needs a live user. */
export function requireActiveUser(state: UserState): UserFields {
  if (state.lifecycle !== 'active' || !state.user) throw new UserDomainError('user_not_found');
  return state.user;
}

/**
 * What an event does to the user record. Shared by evolve and the user-directory projection,
 * so the read model and the aggregate can never disagree about a field.
 */
export type UserRecordEffect =
  | { kind: 'created'; user: UserFields }
  | { kind: 'patched'; fields: Partial<UserFields> }
  | { kind: 'deleted' }
  | { kind: 'erased' }
  | { kind: 'targets'; change: TargetChange }
  | { kind: 'none' };

export function userRecordEffect(event: UserEvent): UserRecordEffect {
  const at = event.occurredAt;
  const patched = (fields: Partial<UserFields>): UserRecordEffect => ({ kind: 'patched', fields: { ...fields, updatedAt: at } });
  switch (event.type) {
    case 'UserCreated': {
      const d = event.data;
      return {
        kind: 'created',
        user: {
          id: d.userId,
          createdAt: at,
          updatedAt: at,
          name: d.name,
          email: d.email,
          phone: d.phone,
          status: true,
          emailVerification: false,
          phoneVerification: false,
          password: d.password,
          hash: d.hash,
          hashOptions: d.hashOptions,
          passwordUpdate: d.password === null ? null : at,
          registration: at,
          prefs: {},
          labels: [],
          mfa: false,
          impersonator: false,
          accessedAt: null,
          targets: [],
        },
      };
    }
    case 'UserNameChanged':
      return patched({ name: event.data.name });
    case 'UserEmailChanged':
      return patched({ email: event.data.email, emailVerification: false });
    case 'UserPhoneChanged':
      return patched({ phone: event.data.phone, phoneVerification: false });
    case 'UserPasswordChanged':
      return patched({ password: event.data.password, hash: event.data.hash, hashOptions: event.data.hashOptions, passwordUpdate: at });
    case 'UserPasswordRehashed':
      return patched({ password: event.data.password, hash: event.data.hash, hashOptions: event.data.hashOptions });
    case 'UserStatusChanged':
      return patched({ status: event.data.status });
    case 'UserEmailVerificationChanged':
      return patched({ emailVerification: event.data.emailVerification });
    case 'UserPhoneVerificationChanged':
      return patched({ phoneVerification: event.data.phoneVerification });
    case 'UserPrefsReplaced':
      return patched({ prefs: event.data.prefs });
    case 'UserLabelsReplaced':
      return patched({ labels: event.data.labels });
    case 'UserMfaChanged':
      return patched({ mfa: event.data.mfa });
    case 'UserImpersonatorChanged':
      return patched({ impersonator: event.data.impersonator });
    case 'UserEmailRemoved':
      return patched({ email: null, emailVerification: false });
    case 'UserPhoneRemoved':
      return patched({ phone: null, phoneVerification: false });
    case 'UserAccessed':
      // Appwrite writes accessedAt with updateDocument, which moves $updatedAt too.
      return patched({ accessedAt: at });
    case 'TargetCreated':
    case 'TargetUpdated':
      return { kind: 'targets', change: { kind: 'put', target: event.data, at } };
    case 'TargetDeleted':
      return { kind: 'targets', change: { kind: 'delete', targetId: event.data.targetId } };
    case 'UserDeleted':
      return { kind: 'deleted' };
    case 'UserErased':
      return { kind: 'erased' };
    case 'SessionCreated':
    case 'SessionDeleted':
    case 'TokenCreated':
    case 'MfaRecoveryCodesIssued':
      return { kind: 'none' };
  }
}

/** Pure: the state after one event. */
export function evolveUser(state: UserState, event: UserEvent): UserState {
  const effect = userRecordEffect(event);
  switch (effect.kind) {
    case 'created':
      return { lifecycle: 'active', user: effect.user, sessionIds: [], tokenIds: [], recoveryCodes: null };
    case 'deleted':
      return { lifecycle: 'deleted', user: null, sessionIds: [], tokenIds: [], recoveryCodes: null };
    case 'erased':
      return { lifecycle: 'erased', user: null, sessionIds: [], tokenIds: [], recoveryCodes: null };
    case 'patched':
      return state.user ? { ...state, user: { ...state.user, ...effect.fields } } : state;
    case 'targets':
      return state.user ? { ...state, user: { ...state.user, targets: applyTargetChange(state.user.targets, effect.change) } } : state;
    case 'none':
      break;
  }
  if (event.type === 'MfaRecoveryCodesIssued') return { ...state, recoveryCodes: event.data.codes };
  if (event.type === 'SessionCreated') return { ...state, sessionIds: [...state.sessionIds, event.data.sessionId] };
  if (event.type === 'SessionDeleted') return { ...state, sessionIds: state.sessionIds.filter((id) => id !== event.data.sessionId) };
  if (event.type === 'TokenCreated') return { ...state, tokenIds: [...state.tokenIds, event.data.tokenId] };
  return state;
}

export const foldUser = (events: UserEvent[], state: UserState = initialUserState()): UserState => events.reduce(evolveUser, state);

/**
 * The User aggregate for one use case: the use case's own decide over the shared state and
 * events. Each use-case folder holds its decide function; this is the only place they meet.
 */
export function userAggregate<C>(decide: (command: C, state: UserState) => UserEvent[]): Aggregate<C, UserEvent, UserState> {
  return { decider: { decide, evolve: evolveUser, initialState: initialUserState }, schema: USER_EVENT_SCHEMA };
}

/** The aggregate with no decisions, for reading a user's stream. */
export const USER_STREAM = userAggregate<never>(() => []);
