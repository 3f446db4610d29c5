import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { endpointController, Slice } from '@lib/http';
import { GetTargetQuery } from '../get-target/get-target';
import { checkTargetIdentifier } from '../targets/target-identifier';
import { identifierBody, providerIdBody, targetNameBody, targetRoute } from '../targets/target-routes';
import { requireActiveUser, userAggregate, UserState, userStreamId, UserTarget } from '../user';
import { UserCommand } from '../user-command';
import { UserDomainError } from '../user.errors';
import type { UserEvent } from '../user.events';
import { UniqueValueTakenError } from '../uniqueness/unique-value';
import { targetIdentifierValue, UniqueValues } from '../uniqueness/unique-values';

export const UPDATE_TARGET = targetRoute('PATCH', true, 'users.updateTarget', 'Update User Target', [identifierBody(false), providerIdBody, targetNameBody], { status: 200, model: 'target' });

/** "" leaves a field as it is, as in Appwrite. */
export interface TargetEdit {
  targetId: string;
  identifier: string;
  providerId: string;
  name: string;
  at: string;
}

export const requireTarget = (state: UserState, targetId: string): UserTarget => {
  const target = requireActiveUser(state).targets.find((t) => t.id === targetId);
  if (!target) throw new UserDomainError('user_target_not_found');
  return target;
};

/** Pure: the target's fields after the edit, in one event (a new identifier is no longer expired). */
export function decideUpdateTarget({ targetId, identifier, providerId, name, at }: TargetEdit, state: UserState): UserEvent[] {
  const target = requireTarget(state, targetId);
  if (identifier !== '') {
    checkTargetIdentifier(target.providerType, identifier);
    if (state.user!.targets.some((t) => t.id !== targetId && t.identifier === identifier)) throw new UserDomainError('user_target_already_exists');
  }
  // No messaging providers exist here: naming one is naming an unknown provider.
  if (providerId !== '') throw new UserDomainError('provider_not_found');
  const data = { targetId, providerType: target.providerType, identifier: identifier || target.identifier, providerId: target.providerId, name: name || target.name };
  return [{ type: 'TargetUpdated', occurredAt: at, data }];
}

const updateTarget = userAggregate(decideUpdateTarget);

export class UpdateTargetCommand extends UserCommand<Omit<TargetEdit, 'at'>> {}

/** A new identifier is claimed first and the old one released after, as for a user's email. */
@CommandHandler(UpdateTargetCommand)
export class UpdateTargetHandler implements ICommandHandler<UpdateTargetCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
    private readonly uniques: UniqueValues,
  ) {}

  async execute({ ctx, userId, data }: UpdateTargetCommand): Promise<void> {
    const at = this.clock.now();
    let result;
    try {
      result = await handleCommand(this.deps, updateTarget, userStreamId(ctx.projectId, userId), { ...data, at }, ctx, {
        prepare: async (state) => {
          const before = requireTarget(state, data.targetId);
          return data.identifier !== '' && data.identifier !== before.identifier
            ? this.uniques.claimAll(ctx, ctx.projectId, [targetIdentifierValue(before.providerType, data.identifier)], userId, at)
            : undefined;
        },
      });
    } catch (err) {
      if (err instanceof UniqueValueTakenError) throw new UserDomainError('user_target_already_exists');
      throw err;
    }
    const before = result.before.user?.targets.find((t) => t.id === data.targetId);
    if (before && data.identifier !== '' && data.identifier !== before.identifier) {
      const [kind, value] = targetIdentifierValue(before.providerType, before.identifier);
      await this.uniques.release(ctx, ctx.projectId, kind, value, userId, at);
    }
  }
}

export const updateTargetSlice: Slice = {
  endpoints: [UPDATE_TARGET],
  controllers: [
    endpointController(UPDATE_TARGET, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new UpdateTargetCommand(ctx, p.userId, { targetId: p.targetId, identifier: p.identifier, providerId: p.providerId, name: p.name }));
      return queries.execute(new GetTargetQuery(ctx.projectId, p.userId, p.targetId));
    }),
  ],
  providers: [UpdateTargetHandler],
};
