import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Ctx, Endpoint, Params } from '../../../http/src/endpoint';
import { RequestContext } from '../application/request-context';
import { StoredPassword } from '../domain/user.events';
import { GetUserQuery } from '../user-details/user-details.queries';
import { CreateUserCommand, IncomingPassword } from './create-user.command';
import * as E from './create-user.endpoints';

type P = Record<string, any>;

@Controller()
export class CreateUserController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  private async create(ctx: RequestContext, p: P, password: IncomingPassword, phone: string | null = null) {
    const userId = await this.commands.execute<CreateUserCommand, string>(
      new CreateUserCommand(ctx, { userId: p.userId, email: p.email ?? null, phone, name: p.name, password }),
    );
    return this.queries.execute(new GetUserQuery(ctx.projectId, userId));
  }

  private imported(ctx: RequestContext, p: P, hash: string, hashOptions: StoredPassword['hashOptions']) {
    return this.create(ctx, p, { kind: 'hashed', stored: { password: p.password, hash, hashOptions } });
  }

  @Endpoint(E.CREATE_USER)
  createUser(@Ctx() ctx: RequestContext, @Params() p: P) {
    const password: IncomingPassword = p.password ? { kind: 'plain', plain: p.password } : { kind: 'none' };
    return this.create(ctx, p, password, p.phone ?? null);
  }

  @Endpoint(E.CREATE_BCRYPT_USER)
  bcrypt(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'bcrypt', { type: 'bcrypt' });
  }

  @Endpoint(E.CREATE_MD5_USER)
  md5(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'md5', { type: 'md5' });
  }

  @Endpoint(E.CREATE_ARGON2_USER)
  argon2(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'argon2', { type: 'argon2' });
  }

  @Endpoint(E.CREATE_SHA_USER)
  sha(@Ctx() ctx: RequestContext, @Params() p: P) {
    // The version keeps the caller's casing, as Appwrite stores it.
    return this.imported(ctx, p, 'sha', p.passwordVersion ? { version: p.passwordVersion, type: 'sha' } : { type: 'sha' });
  }

  @Endpoint(E.CREATE_PHPASS_USER)
  phpass(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'phpass', { type: 'phpass' });
  }

  @Endpoint(E.CREATE_SCRYPT_USER)
  scrypt(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'scrypt', {
      salt: p.passwordSalt,
      costCpu: p.passwordCpu,
      costMemory: p.passwordMemory,
      costParallel: p.passwordParallel,
      length: p.passwordLength,
      type: 'scrypt',
    });
  }

  @Endpoint(E.CREATE_SCRYPT_MODIFIED_USER)
  scryptModified(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.imported(ctx, p, 'scryptMod', {
      signerKey: p.passwordSignerKey,
      saltSeparator: p.passwordSaltSeparator,
      salt: p.passwordSalt,
      type: 'scryptMod',
    });
  }
}
