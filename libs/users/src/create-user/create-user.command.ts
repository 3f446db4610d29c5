import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isUniqueIdRequest, uniqueId } from '../../../appwrite/src/ids';
import { HashingPort } from '../../../passwords/src/hashing.port';
import { RequestContext } from '../application/request-context';
import { UserCommands } from '../application/user-commands.service';
import { StoredPassword } from '../domain/user.events';

/** How the new user's password arrives: in clear (we hash it) or already hashed by another system. */
export type IncomingPassword = { kind: 'plain'; plain: string } | { kind: 'hashed'; stored: StoredPassword } | { kind: 'none' };

export class CreateUserCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly input: { userId: string; email: string | null; phone: string | null; name: string; password: IncomingPassword },
  ) {}
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, string> {
  constructor(private readonly users: UserCommands, private readonly hashing: HashingPort) {}

  /** Returns the id of the created user. */
  async execute({ ctx, input }: CreateUserCommand): Promise<string> {
    const userId = isUniqueIdRequest(input.userId) ? uniqueId() : input.userId;
    // Hashing happens before any claim, so slow hashing never holds a reservation.
    const password =
      input.password.kind === 'plain'
        ? await this.hashing.hash(input.password.plain)
        : input.password.kind === 'hashed'
          ? input.password.stored
          : null;
    await this.users.create(ctx, {
      userId,
      name: input.name,
      email: input.email === null ? null : input.email.toLowerCase(),
      phone: input.phone,
      password,
    });
    return userId;
  }
}
