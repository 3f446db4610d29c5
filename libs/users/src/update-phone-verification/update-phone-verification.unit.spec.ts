import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangePhoneVerification } from './update-phone-verification';

const spec = userSpec(decideChangePhoneVerification);

describe('Update phone verification: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangePhoneVerification, { phoneVerification: true, at: T_WHEN }));

  it('records the verification status', () => {
    const given = spec.given([userCreated({ phone: '+123' })]);
    given.when({ phoneVerification: true, at: T_WHEN }).then([{ type: 'UserPhoneVerificationChanged', occurredAt: T_WHEN, data: { phoneVerification: true } }]);
    given.when({ phoneVerification: false, at: T_WHEN }).then([{ type: 'UserPhoneVerificationChanged', occurredAt: T_WHEN, data: { phoneVerification: false } }]);
  });
});
