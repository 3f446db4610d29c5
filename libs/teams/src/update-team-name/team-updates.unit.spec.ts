import { deciderSpec } from '@lib/event-sourcing/testing';
import { isTeamError, T_WHEN, teamCreated, teamDeleted } from '../../test/team-events';
import { decideDeleteTeam } from '../delete-team/delete-team';
import { evolveTeam, initialTeamState, TeamState } from '../team';
import type { TeamEvent } from '../team.events';
import { decideReplaceTeamPrefs } from '../update-team-prefs/update-team-prefs';
import { decideRenameTeam } from './update-team-name';

const specOf = <C>(decide: (c: C, s: TeamState) => TeamEvent[]) => deciderSpec({ decide, evolve: evolveTeam, initialState: initialTeamState });

describe('Team updates: decide', () => {
  const rename = specOf(decideRenameTeam);
  const prefs = specOf(decideReplaceTeamPrefs);
  const remove = specOf(decideDeleteTeam);

  it('need a live team (never created, or deleted)', () => {
    for (const given of [[], [teamCreated(), teamDeleted()]]) {
      rename.given(given).when({ name: 'B', at: T_WHEN }).thenThrows(isTeamError('team_not_found'));
      prefs.given(given).when({ prefs: {}, at: T_WHEN }).thenThrows(isTeamError('team_not_found'));
      remove.given(given).when({ at: T_WHEN }).thenThrows(isTeamError('team_not_found'));
    }
  });

  it('renames a team', () => rename.given([teamCreated()]).when({ name: 'Bea', at: T_WHEN }).then([{ type: 'TeamRenamed', occurredAt: T_WHEN, data: { name: 'Bea' } }]));

  it('replaces the prefs as a whole', () =>
    prefs
      .given([teamCreated(), { type: 'TeamPrefsReplaced', occurredAt: T_WHEN, data: { prefs: { old: 1 } } }])
      .when({ prefs: { a: 1 }, at: T_WHEN })
      .then([{ type: 'TeamPrefsReplaced', occurredAt: T_WHEN, data: { prefs: { a: 1 } } }]));

  it('deletes a team once, in one event', () => remove.given([teamCreated()]).when({ at: T_WHEN }).then([{ type: 'TeamDeleted', occurredAt: T_WHEN, data: {} }]));

  it('folds a team: created, renamed, prefs replaced, deleted', () => {
    const events: TeamEvent[] = [teamCreated('t1', 'A'), { type: 'TeamRenamed', occurredAt: T_WHEN, data: { name: 'B' } }, { type: 'TeamPrefsReplaced', occurredAt: T_WHEN, data: { prefs: { x: 1 } } }];
    expect(events.reduce(evolveTeam, initialTeamState())).toEqual({ lifecycle: 'active', team: { id: 't1', createdAt: teamCreated().occurredAt, updatedAt: T_WHEN, name: 'B', prefs: { x: 1 } } });
    expect([...events, teamDeleted(T_WHEN)].reduce(evolveTeam, initialTeamState())).toEqual({ lifecycle: 'deleted', team: null });
  });
});
