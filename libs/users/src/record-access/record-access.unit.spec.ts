import { expectNeedsExistingUser, T_GIVEN, userCreated, userSpec } from '../../test/user-events';
import { decideRecordUserAccess } from './record-access';

const spec = userSpec(decideRecordUserAccess);
const DAY_LATER = '2024-01-02T00:00:00.000+00:00';

describe('Record user access: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideRecordUserAccess, { at: DAY_LATER }));
  it('records the first access', () => spec.given([userCreated()]).when({ at: T_GIVEN }).then([{ type: 'UserAccessed', occurredAt: T_GIVEN, data: {} }]));
  it('records nothing again within a day', () =>
    spec.given([userCreated(), { type: 'UserAccessed', occurredAt: T_GIVEN, data: {} }]).when({ at: '2024-01-01T23:59:59.999+00:00' }).then([]));
  it('records again a day later', () =>
    spec.given([userCreated(), { type: 'UserAccessed', occurredAt: T_GIVEN, data: {} }]).when({ at: DAY_LATER }).then([{ type: 'UserAccessed', occurredAt: DAY_LATER, data: {} }]));
});
