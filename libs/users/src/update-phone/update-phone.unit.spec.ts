import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserPhone } from './update-phone';

const spec = userSpec(decideChangeUserPhone);

describe('Update phone: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserPhone, { value: '+123', at: T_WHEN }));

  it('changes the phone', () =>
    spec.given([userCreated()]).when({ value: '+123', at: T_WHEN }).then([{ type: 'UserPhoneChanged', occurredAt: T_WHEN, data: { phone: '+123' } }]));

  it('records a phone change even when the phone is the same (it resets verification)', () =>
    spec.given([userCreated({ phone: '+123' })]).when({ value: '+123', at: T_WHEN }).then([{ type: 'UserPhoneChanged', occurredAt: T_WHEN, data: { phone: '+123' } }]));
});
