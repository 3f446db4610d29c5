import { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port';
import { UserCommand, UserState, decideUser, evolveUser, initialUserState } from '../domain/user.decider';
import { UserDomainError } from '../domain/user.errors';
import { StoredPassword, USER_EVENT_SCHEMA_VERSION } from '../domain/user.events';
import { toUserEvent } from '../domain/recorded-user-event';
import { UniqueKind, userStreamId } from '../shared/stream-names';
import { UniqueValueTakenError } from '../uniqueness/unique-value.decider';
import { UniqueValues } from '../uniqueness/unique-values';
import { Clock } from './clock';
import { EventWriter } from './event-writer';
import { ProjectionSync } from './projection-sync.port';
import { RequestContext } from './request-context';

const MAX_ATTEMPTS = 10;

type CommandWithoutTime = UserCommand extends infer C ? (C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'at'> } : never) : never;

export interface NewUser {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  password: StoredPassword | null;
}

/**
 * The write side of the Users context: load the user's stream, decide, append with the
 * revision that was read (retrying when another writer got there first), keep emails and
 * phones unique through their reservation streams, and answer once the read models caught up.
 */
export class UserCommands {
  constructor(
    private readonly writer: EventWriter,
    private readonly uniques: UniqueValues,
    private readonly sync: ProjectionSync,
    private readonly clock: Clock,
    private readonly defaultHash: Omit<StoredPassword, 'password'>,
  ) {}

  load(projectId: string, userId: string) {
    return this.writer.load<UserState, ReturnType<typeof toUserEvent>>(
      userStreamId(projectId, userId),
      initialUserState(),
      (s, e) => (e ? evolveUser(s, e) : s),
      toUserEvent,
    );
  }

  async create(ctx: RequestContext, input: NewUser): Promise<void> {
    const at = this.clock.now();
    const command: UserCommand = { type: 'CreateUser', data: { ...input, defaultHash: this.defaultHash, at } };
    const values = uniqueValuesOf(input);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const loaded = await this.load(ctx.projectId, input.userId);
      const events = decideUser(command, loaded.state); // an existing id fails before anything is claimed
      const claimed: Array<[UniqueKind, string]> = [];
      try {
        for (const [kind, value] of values) {
          await this.uniques.claim(ctx, kind, value, input.userId, at);
          claimed.push([kind, value]);
        }
        const result = await this.writer.append(userStreamId(ctx.projectId, input.userId), events, loaded.expected, ctx, USER_EVENT_SCHEMA_VERSION);
        await this.sync.waitFor(result.position);
        return;
      } catch (err) {
        for (const [kind, value] of claimed) await this.uniques.release(ctx, kind, value, input.userId, at);
        if (err instanceof UniqueValueTakenError) throw new UserDomainError('user_already_exists');
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
      }
    }
    throw new Error('create user: too much contention');
  }

  /** Any command on an existing user that touches no unique value. */
  async execute(ctx: RequestContext, userId: string, command: CommandWithoutTime): Promise<void> {
    await this.runOnUser(ctx, userId, command, () => []);
  }

  async changeEmail(ctx: RequestContext, userId: string, email: string): Promise<void> {
    await this.changeUnique(ctx, userId, 'email', email, { type: 'ChangeUserEmail', data: { email } }, 'user_email_already_exists');
  }

  async changePhone(ctx: RequestContext, userId: string, phone: string): Promise<void> {
    await this.changeUnique(ctx, userId, 'phone', phone, { type: 'ChangeUserPhone', data: { phone } }, 'user_phone_already_exists');
  }

  async delete(ctx: RequestContext, userId: string): Promise<void> {
    const before = await this.runOnUser(ctx, userId, { type: 'DeleteUser', data: {} }, () => []);
    const at = this.clock.now();
    for (const [kind, value] of uniqueValuesOf(before.user!)) await this.uniques.release(ctx, kind, value, userId, at);
  }

  private async changeUnique(
    ctx: RequestContext,
    userId: string,
    kind: UniqueKind,
    value: string,
    command: CommandWithoutTime,
    conflict: 'user_email_already_exists' | 'user_phone_already_exists',
  ): Promise<void> {
    const at = this.clock.now();
    let previous: string | null = null;
    try {
      const before = await this.runOnUser(ctx, userId, command, async (state) => {
        previous = state.user![kind];
        if (previous !== value) await this.uniques.claim(ctx, kind, value, userId, at);
        return previous !== value ? [[kind, value]] : [];
      });
      previous = before.user![kind];
    } catch (err) {
      if (err instanceof UniqueValueTakenError) throw new UserDomainError(conflict);
      throw err;
    }
    if (previous !== null && previous !== value) await this.uniques.release(ctx, kind, previous, userId, at);
  }

  /**
   * Load, decide, prepare (claims), append; on a concurrent write, undo the claims and retry.
   * Returns the state the command was decided on.
   */
  private async runOnUser(
    ctx: RequestContext,
    userId: string,
    command: CommandWithoutTime,
    prepare: (state: UserState) => Promise<Array<[UniqueKind, string]>> | Array<[UniqueKind, string]>,
  ): Promise<UserState> {
    const at = this.clock.now();
    const timed = { ...command, data: { ...command.data, at } } as UserCommand;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const loaded = await this.load(ctx.projectId, userId);
      const events = decideUser(timed, loaded.state);
      const claimed = await prepare(loaded.state);
      if (events.length === 0) return loaded.state;
      try {
        const result = await this.writer.append(userStreamId(ctx.projectId, userId), events, loaded.expected, ctx, USER_EVENT_SCHEMA_VERSION);
        await this.sync.waitFor(result.position);
        return loaded.state;
      } catch (err) {
        for (const [kind, value] of claimed) await this.uniques.release(ctx, kind, value, userId, at);
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
      }
    }
    throw new Error('user command: too much contention');
  }
}

function uniqueValuesOf(u: { email: string | null; phone: string | null }): Array<[UniqueKind, string]> {
  const out: Array<[UniqueKind, string]> = [];
  if (u.email) out.push(['email', u.email]);
  if (u.phone) out.push(['phone', u.phone]);
  return out;
}
