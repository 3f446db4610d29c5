import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { collectionQueries, Rules, TOTAL_PARAM } from '@lib/appwrite';
import { endpointController, EndpointDef, pathParam, queryParam, Slice } from '@lib/http';
import { UserDomainError } from '../user.errors';

/**
 * OAuth identities (Appwrite 1.4). Identities are made by OAuth sign-ins, which this service does
 * not offer: the list is empty and no identity can be found; the queries are still validated.
 */
const IDENTITY_QUERIES = collectionQueries({
  $id: 'string',
  $createdAt: 'datetime',
  $updatedAt: 'datetime',
  userId: 'string',
  provider: 'string',
  providerUid: 'string',
  providerEmail: 'string',
  providerAccessTokenExpiry: 'datetime',
} as const);

export const LIST_IDENTITIES: EndpointDef = {
  method: 'GET',
  path: '/v1/users/identities',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listIdentities',
  summary: 'List Identities',
  params: [
    queryParam('queries', IDENTITY_QUERIES.rule, 'array', 'Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: userId, provider, providerUid, providerEmail, providerAccessTokenExpiry', { default: IDENTITY_QUERIES.validate([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'identityList' },
};

export const DELETE_IDENTITY: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/identities/:identityId',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.deleteIdentity',
  summary: 'Delete Identity',
  params: [pathParam('identityId', Rules.UID, 'string', 'Identity ID.')],
  success: { status: 204, model: null },
};

export class DeleteIdentityQuery {}

@QueryHandler(DeleteIdentityQuery)
export class DeleteIdentityHandler implements IQueryHandler<DeleteIdentityQuery> {
  async execute(): Promise<never> {
    throw new UserDomainError('user_identity_not_found');
  }
}

export const identities: Slice = {
  endpoints: [LIST_IDENTITIES, DELETE_IDENTITY],
  controllers: [
    endpointController(LIST_IDENTITIES, async () => ({ total: 0, identities: [] })),
    endpointController(DELETE_IDENTITY, ({ queries }) => queries.execute(new DeleteIdentityQuery())),
  ],
  providers: [DeleteIdentityHandler],
};
