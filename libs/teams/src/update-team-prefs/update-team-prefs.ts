import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetTeamPrefsQuery } from '../get-team-prefs/get-team-prefs';
import { requireActiveTeam } from '../team';
import { TeamCommand, teamCommandHandler, TeamDecide } from '../team-command';
import { teamIdPath, teamsWrite } from '../team-params';

export const UPDATE_TEAM_PREFS = teamsWrite('PUT', {
  path: '/v1/teams/:teamId/prefs',
  sdkMethod: 'teams.updatePrefs',
  summary: 'Update Preferences',
  params: [teamIdPath, bodyParam('prefs', Rules.Assoc, 'object', 'Prefs key-value JSON object.', { required: true })],
  success: { status: 200, model: 'preferences' },
});

export class ReplaceTeamPrefsCommand extends TeamCommand<{ prefs: Record<string, unknown> }> {}

/** Replaces the whole prefs object (no merge), as for users. */
export const decideReplaceTeamPrefs: TeamDecide<{ prefs: Record<string, unknown> }> = ({ at, prefs }, state) => {
  requireActiveTeam(state);
  return [{ type: 'TeamPrefsReplaced', occurredAt: at, data: { prefs } }];
};

const ReplaceTeamPrefsHandler = teamCommandHandler(ReplaceTeamPrefsCommand, decideReplaceTeamPrefs);

export const updateTeamPrefs: Slice = {
  endpoints: [UPDATE_TEAM_PREFS],
  controllers: [
    endpointController(UPDATE_TEAM_PREFS, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ReplaceTeamPrefsCommand(ctx, p.teamId, { prefs: p.prefs }));
      return queries.execute(new GetTeamPrefsQuery(ctx.projectId, p.teamId));
    }),
  ],
  providers: [ReplaceTeamPrefsHandler],
};
