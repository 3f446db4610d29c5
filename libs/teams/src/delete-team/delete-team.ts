import { endpointController, Slice } from '@lib/http';
import { requireActiveTeam, TeamState } from '../team';
import type { TeamEvent } from '../team.events';
import { TeamCommand, teamCommandHandler } from '../team-command';
import { teamIdPath, teamsWrite } from '../team-params';

export const DELETE_TEAM = teamsWrite('DELETE', { path: '/v1/teams/:teamId', sdkMethod: 'teams.delete', summary: 'Delete Team', params: [teamIdPath], success: { status: 204, model: null } });

export class DeleteTeamCommand extends TeamCommand<Record<string, never>> {}

/**
 * Pure: a live team is deleted, once. Its memberships end with the same event: the read models
 * drop them when they apply it, and liveness.ts no longer counts them (nor their claims).
 */
export const decideDeleteTeam = ({ at }: { at: string }, state: TeamState): TeamEvent[] => {
  requireActiveTeam(state);
  return [{ type: 'TeamDeleted', occurredAt: at, data: {} }];
};

const DeleteTeamHandler = teamCommandHandler(DeleteTeamCommand, decideDeleteTeam);

export const deleteTeam: Slice = {
  endpoints: [DELETE_TEAM],
  controllers: [endpointController(DELETE_TEAM, ({ commands }, ctx, p) => commands.execute(new DeleteTeamCommand(ctx, p.teamId, {})))],
  providers: [DeleteTeamHandler],
};
