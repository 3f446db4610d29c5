import { ARGON, expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserPassword } from './update-password';

const spec = userSpec(decideChangeUserPassword);
const stored = { password: 'h', ...ARGON };

describe('Update password: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserPassword, { password: stored, at: T_WHEN }));

  it('records the stored hash with its algorithm and options', () =>
    spec.given([userCreated()]).when({ password: stored, at: T_WHEN }).then([{ type: 'UserPasswordChanged', occurredAt: T_WHEN, data: { password: 'h', ...ARGON } }]));

  it('gives a user without password one', () =>
    spec.given([userCreated({ password: null })]).when({ password: stored, at: T_WHEN }).then([{ type: 'UserPasswordChanged', occurredAt: T_WHEN, data: { password: 'h', ...ARGON } }]));
});
