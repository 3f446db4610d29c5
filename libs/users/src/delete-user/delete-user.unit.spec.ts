import { expectNeedsExistingUser, isUserError, sessionCreated, T_WHEN, userCreated, userDeleted, userSpec } from '../../test/user-events';
import { decideDeleteUser } from './delete-user';

const spec = userSpec(decideDeleteUser);

describe('Delete user: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideDeleteUser, { at: T_WHEN }));

  it('deletes an existing user once', () => {
    spec.given([userCreated()]).when({ at: T_WHEN }).then([{ type: 'UserDeleted', occurredAt: T_WHEN, data: {} }]);
    spec.given([userCreated(), userDeleted(T_WHEN)]).when({ at: T_WHEN }).thenThrows(isUserError('user_not_found'));
  });

  it('deletes a user with sessions in one event (the sessions go with it)', () =>
    spec.given([userCreated(), sessionCreated('s1')]).when({ at: T_WHEN }).then([{ type: 'UserDeleted', occurredAt: T_WHEN, data: {} }]));

  it('deletes a user created again after a deletion', () =>
    spec.given([userCreated(), userDeleted(), userCreated()]).when({ at: T_WHEN }).then([{ type: 'UserDeleted', occurredAt: T_WHEN, data: {} }]));
});
