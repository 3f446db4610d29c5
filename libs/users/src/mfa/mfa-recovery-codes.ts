import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, loadStream } from '@lib/event-sourcing';
import { endpointController, EndpointDef, JwtKey, Slice } from '@lib/http';
import { requireActiveUser, USER_STREAM, userAggregate, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import { UserDomainError } from '../user.errors';
import type { SealedSecret, UserEvent } from '../user.events';
import { userIdPath } from '../user-params';
import { newRecoveryCodes, openRecoveryCodes, sealRecoveryCodes } from './recovery-code-seal';

const recoveryCodesRoute = (method: EndpointDef['method'], sdkMethod: string, summary: string, status: 200 | 201, scope = 'users.write'): EndpointDef => ({
  method,
  path: '/v1/users/:userId/mfa/recovery-codes',
  scope,
  tag: 'users',
  sdkMethod,
  summary,
  params: [userIdPath],
  success: { status, model: 'mfaRecoveryCodes' },
});

export const GET_MFA_RECOVERY_CODES = recoveryCodesRoute('GET', 'users.getMfaRecoveryCodes', 'Get MFA Recovery Codes', 200, 'users.read');
export const CREATE_MFA_RECOVERY_CODES = recoveryCodesRoute('PATCH', 'users.createMfaRecoveryCodes', 'Create MFA Recovery Codes', 201);
export const REGENERATE_MFA_RECOVERY_CODES = recoveryCodesRoute('PUT', 'users.updateMfaRecoveryCodes', 'Regenerate MFA Recovery Codes', 200);

export interface IssueRecoveryCodes {
  codes: SealedSecret;
  /** false: the first codes (refused when there are some); true: replacing them (refused when there are none). */
  regenerate: boolean;
  at: string;
}

/** Pure: codes are made once, then only replaced. */
export function decideIssueRecoveryCodes({ codes, regenerate, at }: IssueRecoveryCodes, state: UserState): UserEvent[] {
  requireActiveUser(state);
  if (!regenerate && state.recoveryCodes !== null) throw new UserDomainError('user_recovery_codes_already_exists');
  if (regenerate && state.recoveryCodes === null) throw new UserDomainError('user_recovery_codes_not_found');
  return [{ type: 'MfaRecoveryCodesIssued', occurredAt: at, data: { codes, regenerated: regenerate } }];
}

const issueRecoveryCodes = userAggregate(decideIssueRecoveryCodes);

export class IssueRecoveryCodesCommand extends UserCommand<{ regenerate: boolean }> {}

@CommandHandler(IssueRecoveryCodesCommand)
export class IssueRecoveryCodesHandler implements ICommandHandler<IssueRecoveryCodesCommand, { recoveryCodes: string[] }> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(JwtKey) private readonly key: JwtKey,
  ) {}

  async execute({ ctx, userId, data }: IssueRecoveryCodesCommand): Promise<{ recoveryCodes: string[] }> {
    const recoveryCodes = newRecoveryCodes();
    const codes = sealRecoveryCodes(this.key, userId, recoveryCodes);
    await handleCommand(this.deps, issueRecoveryCodes, userStreamId(ctx.projectId, userId), { codes, regenerate: data.regenerate, at: this.clock.now() }, ctx);
    return { recoveryCodes };
  }
}

export class GetRecoveryCodesQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** Read from the user's stream: the read models never hold the codes, not even sealed. */
@QueryHandler(GetRecoveryCodesQuery)
export class GetRecoveryCodesHandler implements IQueryHandler<GetRecoveryCodesQuery> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(JwtKey) private readonly key: JwtKey,
  ) {}

  async execute({ projectId, userId }: GetRecoveryCodesQuery): Promise<{ recoveryCodes: string[] }> {
    const { state } = await loadStream(this.deps.events, userStreamId(projectId, userId), USER_STREAM);
    requireActiveUser(state);
    if (state.recoveryCodes === null) throw new UserDomainError('user_recovery_codes_not_found');
    try {
      return { recoveryCodes: openRecoveryCodes(this.key, userId, state.recoveryCodes) };
    } catch {
      // Sealed under another JWT_SECRET (it was changed since): unreadable, but they can be regenerated.
      throw new UserDomainError('user_recovery_codes_not_found');
    }
  }
}

export const mfaRecoveryCodes: Slice = {
  endpoints: [GET_MFA_RECOVERY_CODES, CREATE_MFA_RECOVERY_CODES, REGENERATE_MFA_RECOVERY_CODES],
  controllers: [
    endpointController(GET_MFA_RECOVERY_CODES, ({ queries }, ctx, p) => queries.execute(new GetRecoveryCodesQuery(ctx.projectId, p.userId))),
    endpointController(CREATE_MFA_RECOVERY_CODES, ({ commands }, ctx, p) => commands.execute(new IssueRecoveryCodesCommand(ctx, p.userId, { regenerate: false }))),
    endpointController(REGENERATE_MFA_RECOVERY_CODES, ({ commands }, ctx, p) => commands.execute(new IssueRecoveryCodesCommand(ctx, p.userId, { regenerate: true }))),
  ],
  providers: [IssueRecoveryCodesHandler, GetRecoveryCodesHandler],
};
