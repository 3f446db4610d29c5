import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { endpointController, Slice } from '@lib/http';
import { toMembershipModel } from '../membership-directory/membership.model';
import { MembershipDirectory } from '../membership-directory/memberships.port';
import { requireTeam } from '../team-directory/require-team';
import { TeamDirectory } from '../team-directory/teams.port';
import { membershipIdPath, teamIdPath, teamsRead } from '../team-params';
import { TeamDomainError } from '../teams.errors';

export const GET_MEMBERSHIP = teamsRead({
  path: '/v1/teams/:teamId/memberships/:membershipId',
  sdkMethod: 'teams.getMembership',
  summary: 'Get Team Membership',
  params: [teamIdPath, membershipIdPath],
  success: { status: 200, model: 'membership' },
});

export class GetMembershipQuery {
  constructor(readonly projectId: string, readonly teamId: string, readonly membershipId: string) {}
}

/** Team first (404 team_not_found), then the membership; one of another team is not found either (Appwrite 1.3 returns it). */
@QueryHandler(GetMembershipQuery)
export class GetMembershipHandler implements IQueryHandler<GetMembershipQuery> {
  constructor(private readonly teams: TeamDirectory, private readonly memberships: MembershipDirectory) {}
  async execute(q: GetMembershipQuery) {
    await requireTeam(this.teams, q.projectId, q.teamId);
    const m = await this.memberships.get(q.projectId, q.membershipId);
    if (!m || m.teamId !== q.teamId) throw new TeamDomainError('membership_not_found');
    return toMembershipModel(m);
  }
}

export const getMembership: Slice = {
  endpoints: [GET_MEMBERSHIP],
  controllers: [endpointController(GET_MEMBERSHIP, ({ queries }, ctx, p) => queries.execute(new GetMembershipQuery(ctx.projectId, p.teamId, p.membershipId)))],
  providers: [GetMembershipHandler],
};
