import { expectNeedsExistingUser, isUserError, T_GIVEN, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import type { UserEvent } from '../user.events';
import { decideChangeUserEmail } from './update-email';

const spec = userSpec(decideChangeUserEmail);
const emailTarget = (identifier = 'ann@x.io'): UserEvent => ({ type: 'TargetCreated', occurredAt: T_GIVEN, data: { targetId: 'te', providerType: 'email', identifier, providerId: null, name: null } });
const change = (value: string | null) => ({ value, targetId: 'new-target', at: T_WHEN });

describe('Update email: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserEmail, change('b@x.io')));

  it('changes the email and moves its target along', () =>
    spec
      .given([userCreated(), emailTarget()])
      .when(change('bea@x.io'))
      .then([
        { type: 'UserEmailChanged', occurredAt: T_WHEN, data: { email: 'bea@x.io' } },
        { type: 'TargetUpdated', occurredAt: T_WHEN, data: { targetId: 'te', providerType: 'email', identifier: 'bea@x.io', providerId: null, name: null } },
      ]));

  it('makes a target for the email when the user has none for it (a user from before targets)', () =>
    spec
      .given([userCreated()])
      .when(change('bea@x.io'))
      .then([
        { type: 'UserEmailChanged', occurredAt: T_WHEN, data: { email: 'bea@x.io' } },
        { type: 'TargetCreated', occurredAt: T_WHEN, data: { targetId: 'new-target', providerType: 'email', identifier: 'bea@x.io', providerId: null, name: null } },
      ]));

  it('records an email change even when the email is the same (it resets verification); the target stays', () =>
    spec
      .given([userCreated(), emailTarget(), { type: 'UserEmailVerificationChanged', occurredAt: T_WHEN, data: { emailVerification: true } }])
      .when(change('ann@x.io'))
      .then([{ type: 'UserEmailChanged', occurredAt: T_WHEN, data: { email: 'ann@x.io' } }]));

  it('removes the email and its target', () =>
    spec
      .given([userCreated(), emailTarget()])
      .when(change(null))
      .then([
        { type: 'UserEmailRemoved', occurredAt: T_WHEN, data: {} },
        { type: 'TargetDeleted', occurredAt: T_WHEN, data: { targetId: 'te' } },
      ]));

  it('refuses an address another target of the user already has', () =>
    spec
      .given([userCreated(), emailTarget(), { type: 'TargetCreated', occurredAt: T_GIVEN, data: { targetId: 'mine', providerType: 'email', identifier: 'work@x.io', providerId: null, name: 'Work' } }])
      .when(change('work@x.io'))
      .thenThrows(isUserError('user_target_already_exists')));
});
