import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeEmailVerification } from './update-email-verification';

const spec = userSpec(decideChangeEmailVerification);

describe('Update email verification: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeEmailVerification, { emailVerification: true, at: T_WHEN }));

  it('records the verification status', () => {
    const given = spec.given([userCreated()]);
    given.when({ emailVerification: true, at: T_WHEN }).then([{ type: 'UserEmailVerificationChanged', occurredAt: T_WHEN, data: { emailVerification: true } }]);
    given.when({ emailVerification: false, at: T_WHEN }).then([{ type: 'UserEmailVerificationChanged', occurredAt: T_WHEN, data: { emailVerification: false } }]);
  });
});
