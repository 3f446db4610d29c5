import { StoredPassword, SessionDetails, UserEvent } from './user.events';
import { UserDomainError } from './user.errors';

/** Everything the aggregate knows about one user id (across deletions and re-creations). */
export interface UserState {
  lifecycle: 'absent' | 'active' | 'deleted';
  user: UserFields | null;
  /** Ids of the user's live sessions, in creation order. */
  sessionIds: string[];
}

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
}

type WithTime<T> = T & { at: string };

export type UserCommand =
  | { type: 'CreateUser'; data: WithTime<{ userId: string; name: string; email: string | null; phone: string | null; password: StoredPassword | null; defaultHash: Omit<StoredPassword, 'password'> }> }
  | { type: 'ChangeUserName'; data: WithTime<{ name: string }> }
  | { type: 'ChangeUserEmail'; data: WithTime<{ email: string }> }
  | { type: 'ChangeUserPhone'; data: WithTime<{ phone: string }> }
  | { type: 'ChangeUserPassword'; data: WithTime<{ password: StoredPassword }> }
  | { type: 'ChangeUserStatus'; data: WithTime<{ status: boolean }> }
  | { type: 'ChangeEmailVerification'; data: WithTime<{ emailVerification: boolean }> }
  | { type: 'ChangePhoneVerification'; data: WithTime<{ phoneVerification: boolean }> }
  | { type: 'ReplaceUserPrefs'; data: WithTime<{ prefs: Record<string, unknown> }> }
  | { type: 'CreateSession'; data: WithTime<SessionDetails> }
  | { type: 'DeleteSession'; data: WithTime<{ sessionId: string }> }
  | { type: 'DeleteSessions'; data: { at: string } }
  | { type: 'DeleteUser'; data: { at: string } };

export const initialUserState = (): UserState => ({ lifecycle: 'absent', user: null, sessionIds: [] });

/** Pure: which events a command produces against the current state, or a domain error. */
export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  const at = command.data.at;
  if (command.type === 'CreateUser') {
    if (state.lifecycle === 'active') throw new UserDomainError('user_already_exists');
    const { userId, name, email, phone, password, defaultHash } = command.data;
    const stored = password ?? { password: null, ...defaultHash };
    return [
      {
        type: 'UserCreated',
        occurredAt: at,
        data: { userId, name, email, phone, password: stored.password, hash: stored.hash, hashOptions: stored.hashOptions },
      },
    ];
  }
  if (state.lifecycle !== 'active') throw new UserDomainError('user_not_found');
  switch (command.type) {
    case 'ChangeUserName':
      return [{ type: 'UserNameChanged', occurredAt: at, data: { name: command.data.name } }];
    case 'ChangeUserEmail':
      return [{ type: 'UserEmailChanged', occurredAt: at, data: { email: command.data.email } }];
    case 'ChangeUserPhone':
      return [{ type: 'UserPhoneChanged', occurredAt: at, data: { phone: command.data.phone } }];
    case 'ChangeUserPassword':
      return [{ type: 'UserPasswordChanged', occurredAt: at, data: { ...command.data.password } }];
    case 'ChangeUserStatus':
      return [{ type: 'UserStatusChanged', occurredAt: at, data: { status: command.data.status } }];
    case 'ChangeEmailVerification':
      return [{ type: 'UserEmailVerificationChanged', occurredAt: at, data: { emailVerification: command.data.emailVerification } }];
    case 'ChangePhoneVerification':
      return [{ type: 'UserPhoneVerificationChanged', occurredAt: at, data: { phoneVerification: command.data.phoneVerification } }];
    case 'ReplaceUserPrefs':
      return [{ type: 'UserPrefsReplaced', occurredAt: at, data: { prefs: command.data.prefs } }];
    case 'CreateSession': {
      const { at: _at, ...details } = command.data;
      return [{ type: 'SessionCreated', occurredAt: at, data: details }];
    }
    case 'DeleteSession':
      if (!state.sessionIds.includes(command.data.sessionId)) throw new UserDomainError('user_session_not_found');
      return [{ type: 'SessionDeleted', occurredAt: at, data: { sessionId: command.data.sessionId } }];
    case 'DeleteSessions':
      return state.sessionIds.map((sessionId) => ({ type: 'SessionDeleted' as const, occurredAt: at, data: { sessionId } }));
    case 'DeleteUser':
      return [{ type: 'UserDeleted', occurredAt: at, data: {} }];
  }
}

/**
 * What an event does to the user record. Shared by evolve and the users projection, so the
 * read model and the aggregate can never disagree about a field.
 */
export type UserRecordEffect =
  | { kind: 'created'; user: UserFields }
  | { kind: 'patched'; fields: Partial<UserFields> }
  | { kind: 'deleted' }
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
    case 'UserStatusChanged':
      return patched({ status: event.data.status });
    case 'UserEmailVerificationChanged':
      return patched({ emailVerification: event.data.emailVerification });
    case 'UserPhoneVerificationChanged':
      return patched({ phoneVerification: event.data.phoneVerification });
    case 'UserPrefsReplaced':
      return patched({ prefs: event.data.prefs });
    case 'UserDeleted':
      return { kind: 'deleted' };
    case 'SessionCreated':
    case 'SessionDeleted':
      return { kind: 'none' };
  }
}

/** Pure: the state after one event. */
export function evolveUser(state: UserState, event: UserEvent): UserState {
  const effect = userRecordEffect(event);
  switch (effect.kind) {
    case 'created':
      return { lifecycle: 'active', user: effect.user, sessionIds: [] };
    case 'deleted':
      return { lifecycle: 'deleted', user: null, sessionIds: [] };
    case 'patched':
      return state.user ? { ...state, user: { ...state.user, ...effect.fields } } : state;
    case 'none':
      break;
  }
  if (event.type === 'SessionCreated') return { ...state, sessionIds: [...state.sessionIds, event.data.sessionId] };
  if (event.type === 'SessionDeleted') return { ...state, sessionIds: state.sessionIds.filter((id) => id !== event.data.sessionId) };
  return state;
}

export const foldUser = (events: UserEvent[], state: UserState = initialUserState()): UserState =>
  events.reduce(evolveUser, state);

export const userDecider = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
