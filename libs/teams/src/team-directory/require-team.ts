import { TeamDomainError } from '../teams.errors';
import type { TeamDirectory, TeamRecord } from './teams.port';

/** The team every /teams/:teamId read starts with: 404 `team_not_found` when there is none. */
export async function requireTeam(directory: TeamDirectory, projectId: string, teamId: string): Promise<TeamRecord> {
  const team = await directory.get(projectId, teamId);
  if (!team) throw new TeamDomainError('team_not_found');
  return team;
}
