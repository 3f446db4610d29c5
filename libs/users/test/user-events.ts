import { deciderSpec } from '@lib/event-sourcing/testing';
import { userAggregate, UserState } from '../src/user';
import { UserDomainError, UserErrorType } from '../src/user.errors';
import type { UserEvent, UserEventDataMap } from '../src/user.events';

/**
 * Given-when-then support for the User use cases' decide functions: the events a user's
 * stream holds, and the checks every use case on an existing user shares.
 */

/** When the givens happened. */
export const T_GIVEN = '2024-01-01T00:00:00.000+00:00';
/** When the command under test happens. */
export const T_WHEN = '2024-01-01T00:00:01.000+00:00';

export const ARGON = { hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };

/** A use case's decide function, as `userAggregate` takes it. */
export type UserDecideFn<C> = (command: C, state: UserState) => UserEvent[];

/** `deciderSpec` over the User aggregate of one use case. */
export const userSpec = <C>(decide: UserDecideFn<C>) => deciderSpec(userAggregate(decide).decider);

export const userCreated = (over: Partial<UserEventDataMap['UserCreated']> = {}, at = T_GIVEN): UserEvent => ({
  type: 'UserCreated',
  occurredAt: at,
  data: { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: '$argon2id$v=19$m=65536,t=4,p=3$c2FsdA$aGFzaA', ...ARGON, ...over },
});

export const userDeleted = (at = T_GIVEN): UserEvent => ({ type: 'UserDeleted', occurredAt: at, data: {} });

export const sessionCreated = (sessionId: string, at = T_GIVEN): UserEvent => ({
  type: 'SessionCreated',
  occurredAt: at,
  data: {
    sessionId,
    provider: 'email',
    providerUid: 'ann@x.io',
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    expire: null,
    ip: '127.0.0.1',
    userAgent: 'jest',
  },
});

export const sessionDeleted = (sessionId: string, at = T_WHEN): UserEvent => ({ type: 'SessionDeleted', occurredAt: at, data: { sessionId } });

/** Matches the domain error of this type (for `thenThrows`). */
export const isUserError = (type: UserErrorType) => (e: unknown) => e instanceof UserDomainError && e.type === type;

/** Every use case but creation: refused with user_not_found for a user that never existed or was deleted. */
export function expectNeedsExistingUser<C>(decide: UserDecideFn<C>, command: C): void {
  const spec = userSpec(decide);
  spec.given([]).when(command).thenThrows(isUserError('user_not_found'));
  spec.given([userCreated(), userDeleted()]).when(command).thenThrows(isUserError('user_not_found'));
}
