import { Inject, Type } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, uniqueId } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { requireActiveUser, UserFields, userAggregate, UserState, userStreamId, UserTarget } from './user';
import { UserCommand } from './user-command';
import { UserDomainError, UserErrorType } from './user.errors';
import type { TargetProviderType, UserEvent } from './user.events';
import { UniqueValueTakenError } from './uniqueness/unique-value';
import { UniqueValues } from './uniqueness/unique-values';

/** A user's email or phone: unique in the project, and kept as a messaging target of its own. */
export type ContactKind = 'email' | 'phone';

export const CONTACT_PROVIDER: Readonly<Record<ContactKind, TargetProviderType>> = { email: 'email', phone: 'sms' };

export interface ContactChange {
  /** The new address; null removes it (`""`, formats 1.5.0 and newer). */
  value: string | null;
  /** The id a new target for the address gets, when the user has none for it yet. */
  targetId: string;
  at: string;
}

/** The target that carries the user's email or phone (made with it, kept in step). */
export const contactTargetOf = (user: UserFields, kind: ContactKind): UserTarget | undefined =>
  user[kind] === null ? undefined : user.targets.find((t) => t.providerType === CONTACT_PROVIDER[kind] && t.identifier === user[kind]);

/** Pure: the target event that keeps the contact's target in step with a new address (or none). */
export function contactTargetEvents(user: UserFields | null, kind: ContactKind, value: string | null, targetId: string, at: string): UserEvent[] {
  const current = user ? contactTargetOf(user, kind) : undefined;
  if (value === null) return current ? [{ type: 'TargetDeleted', occurredAt: at, data: { targetId: current.id } }] : [];
  if (current?.identifier === value) return [];
  if (user?.targets.some((t) => t !== current && t.identifier === value)) throw new UserDomainError('user_target_already_exists');
  const providerType = CONTACT_PROVIDER[kind];
  return current
    ? [{ type: 'TargetUpdated', occurredAt: at, data: { targetId: current.id, providerType, identifier: value, providerId: current.providerId, name: current.name } }]
    : [{ type: 'TargetCreated', occurredAt: at, data: { targetId, providerType, identifier: value, providerId: null, name: null } }];
}

const changedEvent = (kind: ContactKind, value: string | null, at: string): UserEvent => {
  if (kind === 'email') return value === null ? { type: 'UserEmailRemoved', occurredAt: at, data: {} } : { type: 'UserEmailChanged', occurredAt: at, data: { email: value } };
  return value === null ? { type: 'UserPhoneRemoved', occurredAt: at, data: {} } : { type: 'UserPhoneChanged', occurredAt: at, data: { phone: value } };
};

/**
 * Pure: the change of an existing user's email or phone. The change is recorded even for the
 * same value (it resets verification, as in Appwrite 1.3), and its target follows it.
 */
export function decideContactChange(kind: ContactKind): (command: ContactChange, state: UserState) => UserEvent[] {
  return ({ value, targetId, at }, state) => {
    const user = requireActiveUser(state);
    return [changedEvent(kind, value, at), ...contactTargetEvents(user, kind, value, targetId, at)];
  };
}

/**
 * The handler of a change to a user's email or phone: the new value is claimed before the
 * user's events are appended (released again if the append loses a race), and the old value is
 * released once the change is stored.
 */
export function contactChangeHandler(command: Type<UserCommand<{ value: string | null }>>, kind: ContactKind, conflict: UserErrorType): Type<ICommandHandler> {
  const aggregate = userAggregate(decideContactChange(kind));
  @CommandHandler(command)
  class Handler implements ICommandHandler<UserCommand<{ value: string | null }>, void> {
    constructor(
      @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
      @Inject(Clock) private readonly clock: Clock,
      @Inject(UniqueValues) private readonly uniques: UniqueValues,
    ) {}

    async execute({ ctx, userId, data: { value } }: UserCommand<{ value: string | null }>): Promise<void> {
      const at = this.clock.now();
      let result;
      try {
        result = await handleCommand(this.deps, aggregate, userStreamId(ctx.projectId, userId), { value, targetId: uniqueId(), at }, ctx, {
          prepare: async (state) =>
            value !== null && state.user && state.user[kind] !== value ? this.uniques.claimAll(ctx, ctx.projectId, [[kind, value]], userId, at) : undefined,
        });
      } catch (err) {
        if (err instanceof UniqueValueTakenError) throw new UserDomainError(conflict);
        throw err;
      }
      const previous = result.before.user?.[kind] ?? null;
      if (previous !== null && previous !== value) await this.uniques.release(ctx, ctx.projectId, kind, previous, userId, at);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${command.name}Handler` });
  return Handler;
}
