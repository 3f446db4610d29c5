import { expectNeedsExistingUser, sessionCreated, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import type { SessionDetails } from '../user.events';
import { decideCreateSession } from './create-session';

const spec = userSpec(decideCreateSession);
const details = sessionCreated('s1').data as SessionDetails;

describe('Create session: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideCreateSession, { ...details, at: T_WHEN }));

  it('records the session with its details', () =>
    spec.given([userCreated()]).when({ ...details, at: T_WHEN }).then([{ type: 'SessionCreated', occurredAt: T_WHEN, data: details }]));
});
