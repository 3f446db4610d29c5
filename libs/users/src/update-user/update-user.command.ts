import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { HashingPort } from '../../../passwords/src/hashing.port';
import { RequestContext } from '../application/request-context';
import { UserCommands } from '../application/user-commands.service';
import { UserDomainError } from '../domain/user.errors';

/** One field change of an existing user, as the PATCH endpoints ask for it. */
export type UserChange =
  | { field: 'name'; name: string }
  | { field: 'email'; email: string }
  | { field: 'phone'; phone: string }
  | { field: 'password'; plain: string }
  | { field: 'status'; status: boolean }
  | { field: 'emailVerification'; emailVerification: boolean }
  | { field: 'phoneVerification'; phoneVerification: boolean }
  | { field: 'prefs'; prefs: Record<string, unknown> };

export class UpdateUserCommand {
  constructor(readonly ctx: RequestContext, readonly userId: string, readonly change: UserChange) {}
}

@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand, void> {
  constructor(private readonly users: UserCommands, private readonly hashing: HashingPort) {}

  async execute({ ctx, userId, change }: UpdateUserCommand): Promise<void> {
    switch (change.field) {
      case 'email':
        return this.users.changeEmail(ctx, userId, change.email.toLowerCase());
      case 'phone':
        return this.users.changePhone(ctx, userId, change.phone);
      case 'password': {
        // 404 before paying for a hash.
        const { state } = await this.users.load(ctx.projectId, userId);
        if (state.lifecycle !== 'active') throw new UserDomainError('user_not_found');
        const password = await this.hashing.hash(change.plain);
        return this.users.execute(ctx, userId, { type: 'ChangeUserPassword', data: { password } });
      }
      case 'name':
        return this.users.execute(ctx, userId, { type: 'ChangeUserName', data: { name: change.name } });
      case 'status':
        return this.users.execute(ctx, userId, { type: 'ChangeUserStatus', data: { status: change.status } });
      case 'emailVerification':
        return this.users.execute(ctx, userId, { type: 'ChangeEmailVerification', data: { emailVerification: change.emailVerification } });
      case 'phoneVerification':
        return this.users.execute(ctx, userId, { type: 'ChangePhoneVerification', data: { phoneVerification: change.phoneVerification } });
      case 'prefs':
        return this.users.execute(ctx, userId, { type: 'ReplaceUserPrefs', data: { prefs: change.prefs } });
    }
  }
}
