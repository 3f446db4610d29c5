import { deciderSpec } from '@lib/event-sourcing/testing';
import { evolveTeam, initialTeamState } from '../team';
import { isTeamError, T_WHEN, teamCreated, teamDeleted } from '../../test/team-events';
import { decideCreateTeam } from './create-team';

const spec = deciderSpec({ decide: decideCreateTeam, evolve: evolveTeam, initialState: initialTeamState });

describe('Create team: decide', () => {
  it('creates a team (nobody becomes a member with an API key)', () =>
    spec.given([]).when({ teamId: 't1', name: 'VIP', at: T_WHEN }).then([{ type: 'TeamCreated', occurredAt: T_WHEN, data: { teamId: 't1', name: 'VIP' } }]));

  it('refuses the id of a live team', () => spec.given([teamCreated('t1')]).when({ teamId: 't1', name: 'Other', at: T_WHEN }).thenThrows(isTeamError('team_already_exists')));

  it('creates a team again under the id of a deleted one', () =>
    spec.given([teamCreated('t1'), teamDeleted()]).when({ teamId: 't1', name: 'Again', at: T_WHEN }).then([{ type: 'TeamCreated', occurredAt: T_WHEN, data: { teamId: 't1', name: 'Again' } }]));
});
