import { isUserError, T_WHEN, userCreated, userDeleted, userSpec } from '../../test/user-events';
import { decideEraseUser, UserRecreatedError } from './erase-user';

const spec = userSpec(decideEraseUser);
const erased = { type: 'UserErased' as const, occurredAt: T_WHEN, data: {} };

describe('Erase user: decide', () => {
  it('erases a deleted user, once (a repeat decides nothing)', () => {
    spec.given([userCreated(), userDeleted()]).when({ at: T_WHEN }).then([erased]);
    spec.given([userCreated(), userDeleted(), erased]).when({ at: T_WHEN }).then([]);
  });

  it('refuses a user that never existed: user_not_found', () => spec.given([]).when({ at: T_WHEN }).thenThrows(isUserError('user_not_found')));

  it('starts over when the user was created again after its deletion (the handler deletes it first)', () => {
    spec.given([userCreated(), userDeleted(), userCreated()]).when({ at: T_WHEN }).thenThrows((e) => e instanceof UserRecreatedError);
    spec.given([userCreated(), userDeleted(), erased, userCreated()]).when({ at: T_WHEN }).thenThrows((e) => e instanceof UserRecreatedError);
  });

  it('erases a user erased before, re-created and deleted again', () =>
    spec.given([userCreated(), userDeleted(), erased, userCreated(), userDeleted()]).when({ at: T_WHEN }).then([erased]));
});
