import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, isUniqueIdRequest, uniqueId } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS, HashingPort } from '@lib/passwords';
import { userAggregate, UserState, userStreamId } from '../user';
import { UserDomainError } from '../user.errors';
import type { StoredPassword, UserEvent } from '../user.events';
import { UniqueValueTakenError } from '../uniqueness/unique-value';
import { contactTargetEvents } from '../user-contact-change';
import { UniqueValues, uniqueValuesOf } from '../uniqueness/unique-values';

/** How the new user's password arrives: in clear (we hash it) or already hashed by another system. */
export type IncomingPassword = { kind: 'plain'; plain: string } | { kind: 'hashed'; stored: StoredPassword } | { kind: 'none' };

export interface NewUser {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  password: StoredPassword | null;
  /** Recorded for a user without password (Appwrite records its default algorithm). */
  defaultHash: Omit<StoredPassword, 'password'>;
  /** Ids of the email and sms targets the user's email and phone become. */
  targetIds: { email: string; phone: string };
  at: string;
}

/** Pure: a new user, unless the id is taken by a live one (a deleted user's id is free again). */
export function decideCreateUser(command: NewUser, state: UserState): UserEvent[] {
  if (state.lifecycle === 'active') throw new UserDomainError('user_already_exists');
  const { userId, name, email, phone, password, defaultHash, targetIds, at } = command;
  const stored = password ?? { password: null, ...defaultHash };
  return [
    { type: 'UserCreated', occurredAt: at, data: { userId, name, email, phone, password: stored.password, hash: stored.hash, hashOptions: stored.hashOptions } },
    ...contactTargetEvents(null, 'email', email, targetIds.email, at),
    ...contactTargetEvents(null, 'phone', phone, targetIds.phone, at),
  ];
}

export interface NewUserInput {
  userId: string;
  email: string | null;
  phone: string | null;
  name: string;
  password: IncomingPassword;
}

/**
 * Makes users as Create User makes them: the id (`unique()` becomes a new one), the password
 * hashed with the service's algorithm or taken as hashed elsewhere, the email in lower case, the
 * email and phone claimed and the user's events appended: one commit where the event store appends
 * atomically (UniqueValues.claimAll), the claims first elsewhere. Shared by the create routes and
 * the bulk import, so that an imported user is a created one.
 */
export class UserCreator {
  constructor(
    private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly hashing: HashingPort,
    private readonly uniques: UniqueValues,
  ) {}

  /**
   * The id of the created user and the log position of its events. `decide` may add events to
   * the creation's (an import's labels or status). Throws UserDomainError `user_already_exists`
   * when a live user has the id, and UniqueValueTakenError (with its kind) when the email or
   * phone is someone else's.
   */
  async create(ctx: RequestContext, input: NewUserInput, decide: (command: NewUser, state: UserState) => UserEvent[] = decideCreateUser): Promise<{ userId: string; position: string }> {
    // Hashing happens before any claim, so slow hashing never holds a reservation.
    const password = input.password.kind === 'plain' ? await this.hashing.hash(input.password.plain) : input.password.kind === 'hashed' ? input.password.stored : null;
    const command = this.newUser(input, password);
    const userId = command.userId;
    const at = command.at;
    // An existing id fails in decide, before anything is claimed.
    const { position } = await handleCommand(this.deps, userAggregate(decide), userStreamId(ctx.projectId, userId), command, ctx, {
      prepare: () => this.uniques.claimAll(ctx, ctx.projectId, uniqueValuesOf(command), userId, at),
    });
    // A creation always appends.
    return { userId, position: position! };
  }

  /** The user `input` makes, its password already hashed (or none): what `create` decides on, and a bulk import too. */
  newUser(input: NewUserInput, password: StoredPassword | null): NewUser {
    const userId = isUniqueIdRequest(input.userId) ? uniqueId() : input.userId;
    const email = input.email === null ? null : input.email.toLowerCase();
    const at = this.clock.now();
    return { userId, name: input.name, email, phone: input.phone, password, defaultHash: { hash: DEFAULT_HASH_ALGORITHM, hashOptions: { ...DEFAULT_HASH_OPTIONS } }, targetIds: { email: uniqueId(), phone: uniqueId() }, at };
  }
}

export class CreateUserCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly input: NewUserInput,
  ) {}
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, string> {
  private readonly creator: UserCreator;
  constructor(@Inject(COMMAND_DEPS) deps: CommandDeps, clock: Clock, hashing: HashingPort, uniques: UniqueValues) {
    this.creator = new UserCreator(deps, clock, hashing, uniques);
  }

  /** Returns the id of the created user. */
  async execute({ ctx, input }: CreateUserCommand): Promise<string> {
    try {
      return (await this.creator.create(ctx, input)).userId;
    } catch (err) {
      // Appwrite's Create User names no field: a taken email or phone is a taken user.
      if (err instanceof UniqueValueTakenError) throw new UserDomainError('user_already_exists');
      throw err;
    }
  }
}
