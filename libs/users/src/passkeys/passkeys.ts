import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { collectionQueries, Rules, TOTAL_PARAM } from '@lib/appwrite';
import { bodyParam, endpointController, EndpointDef, pathParam, queryParam, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { UserDomainError, UserErrorType } from '../user.errors';
import { userIdPath } from '../user-params';

/**
 * Routes the newest SDKs call that need credentials only the Account API makes (passkeys, MFA
 * challenges), which this service does not offer: for an existing user the lists are empty and
 * every lookup is a 404 of its own type — never a route-not-found.
 */
const PASSKEY_QUERIES = collectionQueries({ $id: 'string', $createdAt: 'datetime', $updatedAt: 'datetime', name: 'string', accessedAt: 'datetime' } as const);
const passkeyIdPath = pathParam('passkeyId', Rules.UID, 'string', 'Passkey ID.');

const route = (method: EndpointDef['method'], path: string, sdkMethod: string, summary: string, params: EndpointDef['params'], success: EndpointDef['success']): EndpointDef => ({
  method,
  path: `/v1/users/:userId${path}`,
  scope: method === 'GET' ? 'users.read' : 'users.write',
  tag: 'users',
  sdkMethod,
  summary,
  params: [userIdPath, ...params],
  success,
});

export const LIST_PASSKEYS = route('GET', '/passkeys', 'users.listPasskeys', 'List Passkeys', [
  queryParam('queries', PASSKEY_QUERIES.rule, 'array', 'Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter and order on the following attributes: $id, $createdAt, $updatedAt, name, accessedAt', { default: PASSKEY_QUERIES.validate([]), items: { type: 'string' } }),
  TOTAL_PARAM,
], { status: 200, model: 'passkeyList' });
export const GET_PASSKEY = route('GET', '/passkeys/:passkeyId', 'users.getPasskey', 'Get Passkey', [passkeyIdPath], { status: 200, model: 'passkey' });
export const UPDATE_PASSKEY = route('PATCH', '/passkeys/:passkeyId', 'users.updatePasskey', 'Update Passkey', [passkeyIdPath, bodyParam('name', Rules.Text(128), 'string', 'Passkey name. Max length: 128 chars.', { required: true })], { status: 200, model: 'passkey' });
export const DELETE_PASSKEY = route('DELETE', '/passkeys/:passkeyId', 'users.deletePasskey', 'Delete Passkey', [passkeyIdPath], { status: 204, model: null });
export const GET_MFA_CHALLENGE = route('GET', '/mfa/challenges/:challengeId', 'users.getMfaChallenge', 'Get MFA Challenge', [pathParam('challengeId', Rules.Text(256), 'string', 'ID of the challenge.')], { status: 200, model: 'mfaChallenge' });

/** The user must exist; then the answer is the empty list, or the lookup's own 404. */
export class AbsentCredentialQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly missing: UserErrorType | null) {}
}

@QueryHandler(AbsentCredentialQuery)
export class AbsentCredentialHandler implements IQueryHandler<AbsentCredentialQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute({ projectId, userId, missing }: AbsentCredentialQuery) {
    await requireUser(this.directory, projectId, userId);
    if (missing) throw new UserDomainError(missing);
    return { total: 0, passkeys: [] };
  }
}

const absent = (def: EndpointDef, missing: UserErrorType | null) => endpointController(def, ({ queries }, ctx, p) => queries.execute(new AbsentCredentialQuery(ctx.projectId, p.userId, missing)));

export const passkeysAndChallenges: Slice = {
  endpoints: [LIST_PASSKEYS, GET_PASSKEY, UPDATE_PASSKEY, DELETE_PASSKEY, GET_MFA_CHALLENGE],
  controllers: [
    absent(LIST_PASSKEYS, null),
    absent(GET_PASSKEY, 'user_passkey_not_found'),
    absent(UPDATE_PASSKEY, 'user_passkey_not_found'),
    absent(DELETE_PASSKEY, 'user_passkey_not_found'),
    absent(GET_MFA_CHALLENGE, 'user_challenge_not_found'),
  ],
  providers: [AbsentCredentialHandler],
};
