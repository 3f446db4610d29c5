import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { endpointController, Slice } from '@lib/http';
import { targetRoute } from '../targets/target-routes';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { toTargetModel } from '../user-directory/user.model';
import { UserDomainError } from '../user.errors';

export const GET_TARGET = targetRoute('GET', true, 'users.getTarget', 'Get User Target', [], { status: 200, model: 'target' });

export class GetTargetQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly targetId: string) {}
}

/** A target of the user, from the user directory (targets are part of the user record). */
@QueryHandler(GetTargetQuery)
export class GetTargetHandler implements IQueryHandler<GetTargetQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute(q: GetTargetQuery) {
    const user = await requireUser(this.directory, q.projectId, q.userId);
    const target = user.targets.find((t) => t.id === q.targetId);
    if (!target) throw new UserDomainError('user_target_not_found');
    return toTargetModel(user.id, target);
  }
}

export const getTarget: Slice = {
  endpoints: [GET_TARGET],
  controllers: [endpointController(GET_TARGET, ({ queries }, ctx, p) => queries.execute(new GetTargetQuery(ctx.projectId, p.userId, p.targetId)))],
  providers: [GetTargetHandler],
};
