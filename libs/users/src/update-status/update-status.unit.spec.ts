import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserStatus } from './update-status';

const spec = userSpec(decideChangeUserStatus);

describe('Update status: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserStatus, { status: false, at: T_WHEN }));

  it('blocks the user', () =>
    spec.given([userCreated()]).when({ status: false, at: T_WHEN }).then([{ type: 'UserStatusChanged', occurredAt: T_WHEN, data: { status: false } }]));

  it('activates a blocked user again', () =>
    spec
      .given([userCreated(), { type: 'UserStatusChanged', occurredAt: T_WHEN, data: { status: false } }])
      .when({ status: true, at: T_WHEN })
      .then([{ type: 'UserStatusChanged', occurredAt: T_WHEN, data: { status: true } }]));
});
