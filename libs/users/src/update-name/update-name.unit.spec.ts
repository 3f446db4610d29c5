import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideChangeUserName } from './update-name';

const spec = userSpec(decideChangeUserName);

describe('Update name: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideChangeUserName, { name: 'B', at: T_WHEN }));

  it('changes the name', () =>
    spec.given([userCreated()]).when({ name: 'Bea', at: T_WHEN }).then([{ type: 'UserNameChanged', occurredAt: T_WHEN, data: { name: 'Bea' } }]));
});
