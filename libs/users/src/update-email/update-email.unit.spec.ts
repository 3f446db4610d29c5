import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserEmail } from './update-email';

const spec = userSpec(decideChangeUserEmail);

describe('Update email: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserEmail, { value: 'b@x.io', at: T_WHEN }));

  it('changes the email', () =>
    spec.given([userCreated()]).when({ value: 'bea@x.io', at: T_WHEN }).then([{ type: 'UserEmailChanged', occurredAt: T_WHEN, data: { email: 'bea@x.io' } }]));

  it('records an email change even when the email is the same (it resets verification)', () =>
    spec
      .given([userCreated(), { type: 'UserEmailVerificationChanged', occurredAt: T_WHEN, data: { emailVerification: true } }])
      .when({ value: 'ann@x.io', at: T_WHEN })
      .then([{ type: 'UserEmailChanged', occurredAt: T_WHEN, data: { email: 'ann@x.io' } }]));
});
