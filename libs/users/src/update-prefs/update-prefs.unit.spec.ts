import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideReplaceUserPrefs } from './update-prefs';

const spec = userSpec(decideReplaceUserPrefs);

describe('Update prefs: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideReplaceUserPrefs, { prefs: { a: 1 }, at: T_WHEN }));

  it('replaces the prefs as a whole', () =>
    spec
      .given([userCreated(), { type: 'UserPrefsReplaced', occurredAt: T_WHEN, data: { prefs: { old: true } } }])
      .when({ prefs: { a: 1 }, at: T_WHEN })
      .then([{ type: 'UserPrefsReplaced', occurredAt: T_WHEN, data: { prefs: { a: 1 } } }]));

  it('replaces them with empty prefs too', () =>
    spec.given([userCreated()]).when({ prefs: {}, at: T_WHEN }).then([{ type: 'UserPrefsReplaced', occurredAt: T_WHEN, data: { prefs: {} } }]));
});
