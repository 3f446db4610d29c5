import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, isUniqueIdRequest, Rules, uniqueId } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetTargetQuery } from '../get-target/get-target';
import { checkTargetIdentifier } from '../targets/target-identifier';
import { identifierBody, providerIdBody, targetNameBody, targetRoute } from '../targets/target-routes';
import { requireActiveUser, userAggregate, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import { UserDomainError } from '../user.errors';
import type { TargetDetails, TargetProviderType, UserEvent } from '../user.events';
import { UniqueValueTakenError } from '../uniqueness/unique-value';
import { targetIdentifierValue, UniqueValues } from '../uniqueness/unique-values';

export const CREATE_TARGET = targetRoute(
  'POST',
  false,
  'users.createTarget',
  'Create User Target',
  [
    bodyParam('targetId', Rules.CustomId, 'string', "Target ID. Choose a custom ID or generate a random ID with `ID.unique()`. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char. Max length is 36 chars.", { required: true }),
    bodyParam('providerType', Rules.WhiteList(['email', 'sms', 'push']), 'string', 'The target provider type. Can be one of the following: `email`, `sms` or `push`.', { required: true }),
    identifierBody(true),
    providerIdBody,
    targetNameBody,
  ],
  { status: 201, model: 'target' },
);

export interface NewTarget {
  target: TargetDetails;
  at: string;
}

/** Pure: a new target of an existing user; its id and its identifier are the user's only once. */
export function decideCreateTarget({ target, at }: NewTarget, state: UserState): UserEvent[] {
  const user = requireActiveUser(state);
  if (user.targets.some((t) => t.id === target.targetId || t.identifier === target.identifier)) throw new UserDomainError('user_target_already_exists');
  return [{ type: 'TargetCreated', occurredAt: at, data: target }];
}

const createTarget = userAggregate(decideCreateTarget);

export class CreateTargetCommand extends UserCommand<{ targetId: string; providerType: TargetProviderType; identifier: string; name: string }> {}

/**
 * The id and the identifier are claimed in the project before the target is recorded (a target
 * of another user, or another user's email or phone, holds them): 409 when taken.
 */
@CommandHandler(CreateTargetCommand)
export class CreateTargetHandler implements ICommandHandler<CreateTargetCommand, string> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
    private readonly uniques: UniqueValues,
  ) {}

  async execute({ ctx, userId, data }: CreateTargetCommand): Promise<string> {
    checkTargetIdentifier(data.providerType, data.identifier);
    const targetId = isUniqueIdRequest(data.targetId) ? uniqueId() : data.targetId;
    // No messaging providers exist here, so a target has none (Appwrite stores null for an unknown one).
    const target: TargetDetails = { targetId, providerType: data.providerType, identifier: data.identifier, providerId: null, name: data.name === '' ? null : data.name };
    const at = this.clock.now();
    try {
      await handleCommand(this.deps, createTarget, userStreamId(ctx.projectId, userId), { target, at }, ctx, {
        prepare: () => this.uniques.claimAll(ctx, ctx.projectId, [['target', targetId], targetIdentifierValue(target.providerType, target.identifier)], userId, at),
      });
    } catch (err) {
      if (err instanceof UniqueValueTakenError) throw new UserDomainError('user_target_already_exists');
      throw err;
    }
    return targetId;
  }
}

export const createTargetSlice: Slice = {
  endpoints: [CREATE_TARGET],
  controllers: [
    endpointController(CREATE_TARGET, async ({ commands, queries }, ctx, p) => {
      const targetId: string = await commands.execute(new CreateTargetCommand(ctx, p.userId, { targetId: p.targetId, providerType: String(p.providerType).toLowerCase() as TargetProviderType, identifier: p.identifier, name: p.name }));
      return queries.execute(new GetTargetQuery(ctx.projectId, p.userId, targetId));
    }),
  ],
  providers: [CreateTargetHandler],
};
