import { expectNeedsExistingUser, T_GIVEN, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserPhone } from './update-phone';

const spec = userSpec(decideChangeUserPhone);
const change = (value: string | null) => ({ value, targetId: 'new-target', at: T_WHEN });

describe('Update phone: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserPhone, change('+123')));

  it('changes the phone and makes its sms target', () =>
    spec
      .given([userCreated()])
      .when(change('+123'))
      .then([
        { type: 'UserPhoneChanged', occurredAt: T_WHEN, data: { phone: '+123' } },
        { type: 'TargetCreated', occurredAt: T_WHEN, data: { targetId: 'new-target', providerType: 'sms', identifier: '+123', providerId: null, name: null } },
      ]));

  it('records a phone change even when the phone is the same (it resets verification)', () =>
    spec
      .given([userCreated({ phone: '+123' }), { type: 'TargetCreated', occurredAt: T_GIVEN, data: { targetId: 'tp', providerType: 'sms', identifier: '+123', providerId: null, name: null } }])
      .when(change('+123'))
      .then([{ type: 'UserPhoneChanged', occurredAt: T_WHEN, data: { phone: '+123' } }]));

  it('removes the phone (there was no target for it)', () =>
    spec.given([userCreated({ phone: '+123' })]).when(change(null)).then([{ type: 'UserPhoneRemoved', occurredAt: T_WHEN, data: {} }]));
});
