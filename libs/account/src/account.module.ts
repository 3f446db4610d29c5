import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { JwtKey, mountSlices, SessionResolver, Slice } from '@lib/http';
import { RecordUserAccessCommand, SessionList, UserDirectory } from '@lib/users';
import { AccountSessionResolver } from './account-session-resolver';
import { createEmailSession } from './create-email-session/create-email-session';
import { deleteAccountSession } from './delete-session/delete-session';
import { getAccount } from './get-account/get-account';
import { LoginRateLimiter } from './login-rate-limit';

/** The Account API routes this service has, one line each. */
export const ACCOUNT_SLICES: Slice[] = [createEmailSession, getAccount, deleteAccountSession];

const mounted = mountSlices(ACCOUNT_SLICES);

export const ACCOUNT_ENDPOINTS = mounted.endpoints;

/**
 * The Account context: email/password login, the current account, logout, and the
 * SessionResolver that lets sessions and JWTs authenticate requests. It needs, from a global
 * module, COMMAND_DEPS, HashingPort, JwtKey, and the users, sessions and access read models.
 */
@Module({
  imports: [CqrsModule],
  controllers: mounted.controllers,
  providers: [
    Clock,
    LoginRateLimiter,
    ...mounted.providers,
    {
      provide: SessionResolver,
      useFactory: (sessions: SessionList, users: UserDirectory, key: JwtKey, commands: CommandBus) =>
        new AccountSessionResolver(sessions, users, key, Date.now, (projectId, userId) =>
          commands.execute(new RecordUserAccessCommand({ projectId, actor: { type: 'user', id: userId }, requestId: randomUUID(), ip: '', userAgent: '' }, userId, {})),
        ),
      inject: [SessionList, UserDirectory, JwtKey, CommandBus],
    },
  ],
  exports: [SessionResolver],
})
export class AccountModule {}
