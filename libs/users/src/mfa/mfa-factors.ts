import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Rules } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, loadStream } from '@lib/event-sourcing';
import { endpointController, EndpointDef, pathParam, Slice } from '@lib/http';
import { requireActiveUser, USER_STREAM, UserState, userStreamId } from '../user';
import { UserDomainError } from '../user.errors';
import { userIdPath } from '../user-params';

export const LIST_MFA_FACTORS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/mfa/factors',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listMfaFactors',
  summary: 'List Factors',
  params: [userIdPath],
  success: { status: 200, model: 'mfaFactors' },
};

export const DELETE_MFA_AUTHENTICATOR: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId/mfa/authenticators/:type',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.deleteMfaAuthenticator',
  summary: 'Delete Authenticator',
  params: [userIdPath, pathParam('type', Rules.WhiteList(['totp']), 'string', 'Type of authenticator.')],
  success: { status: 204, model: null },
};

/**
 * Pure: the factors a user could be challenged with. Nothing here enrols a TOTP authenticator
 * (that is the Account API's), so `totp` is false; `recoveryCode` says whether codes exist.
 */
export function mfaFactorsOf(state: UserState) {
  const user = requireActiveUser(state);
  return {
    totp: false,
    phone: user.phone !== null && user.phoneVerification,
    email: user.email !== null && user.emailVerification,
    recoveryCode: state.recoveryCodes !== null,
    custom: false,
  };
}

export class ListMfaFactorsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** From the user's stream, which alone knows whether recovery codes exist. */
@QueryHandler(ListMfaFactorsQuery)
export class ListMfaFactorsHandler implements IQueryHandler<ListMfaFactorsQuery> {
  constructor(@Inject(COMMAND_DEPS) private readonly deps: CommandDeps) {}
  async execute({ projectId, userId }: ListMfaFactorsQuery) {
    return mfaFactorsOf((await loadStream(this.deps.events, userStreamId(projectId, userId), USER_STREAM)).state);
  }
}

export class DeleteMfaAuthenticatorQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** No authenticator is ever enrolled here: an existing user has none to delete. */
@QueryHandler(DeleteMfaAuthenticatorQuery)
export class DeleteMfaAuthenticatorHandler implements IQueryHandler<DeleteMfaAuthenticatorQuery> {
  constructor(@Inject(COMMAND_DEPS) private readonly deps: CommandDeps) {}
  async execute({ projectId, userId }: DeleteMfaAuthenticatorQuery): Promise<never> {
    requireActiveUser((await loadStream(this.deps.events, userStreamId(projectId, userId), USER_STREAM)).state);
    throw new UserDomainError('user_authenticator_not_found');
  }
}

export const mfaFactors: Slice = {
  endpoints: [LIST_MFA_FACTORS, DELETE_MFA_AUTHENTICATOR],
  controllers: [
    endpointController(LIST_MFA_FACTORS, ({ queries }, ctx, p) => queries.execute(new ListMfaFactorsQuery(ctx.projectId, p.userId))),
    endpointController(DELETE_MFA_AUTHENTICATOR, ({ queries }, ctx, p) => queries.execute(new DeleteMfaAuthenticatorQuery(ctx.projectId, p.userId))),
  ],
  providers: [ListMfaFactorsHandler, DeleteMfaAuthenticatorHandler],
};
