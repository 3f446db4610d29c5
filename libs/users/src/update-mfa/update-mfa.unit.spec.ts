import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserImpersonator } from '../update-impersonator/update-impersonator';
import { decideChangeUserMfa } from './update-mfa';

describe('Update MFA: decide', () => {
  const spec = userSpec(decideChangeUserMfa);
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserMfa, { mfa: true, at: T_WHEN }));
  it('turns MFA on', () => spec.given([userCreated()]).when({ mfa: true, at: T_WHEN }).then([{ type: 'UserMfaChanged', occurredAt: T_WHEN, data: { mfa: true } }]));
  it('turns it off again', () =>
    spec
      .given([userCreated(), { type: 'UserMfaChanged', occurredAt: T_WHEN, data: { mfa: true } }])
      .when({ mfa: false, at: T_WHEN })
      .then([{ type: 'UserMfaChanged', occurredAt: T_WHEN, data: { mfa: false } }]));
});

describe('Update impersonator: decide', () => {
  const spec = userSpec(decideChangeUserImpersonator);
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserImpersonator, { impersonator: true, at: T_WHEN }));
  it('lets the user impersonate others', () =>
    spec.given([userCreated()]).when({ impersonator: true, at: T_WHEN }).then([{ type: 'UserImpersonatorChanged', occurredAt: T_WHEN, data: { impersonator: true } }]));
});
