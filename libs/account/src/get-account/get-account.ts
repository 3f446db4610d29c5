import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException } from '@lib/appwrite';
import { endpointController, EndpointDef, Principal, Slice } from '@lib/http';
import { toUserModel, UserDirectory, type UserRecord } from '@lib/users';

/** `account.get`: the user of the session or JWT (scope `account`, which only users have). */
export const GET_ACCOUNT: EndpointDef = {
  method: 'GET',
  path: '/v1/account',
  scope: 'account',
  tag: 'account',
  sdkMethod: 'account.get',
  summary: 'Get Account',
  params: [],
  success: { status: 200, model: 'account' },
};

/** Appwrite 1.3's Account model: the User model without `password`, `hash` and `hashOptions`. */
export function toAccountModel(user: UserRecord) {
  const { password: _password, hash: _hash, hashOptions: _hashOptions, ...account } = toUserModel(user);
  return account;
}

export class GetAccountQuery {
  constructor(readonly principal: Principal) {}
}

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery> {
  constructor(private readonly users: UserDirectory) {}

  async execute({ principal }: GetAccountQuery) {
    const user = principal.kind === 'user' ? await this.users.get(principal.projectId, principal.userId) : null;
    // Only a user principal gets here (the guard checked the scope); one deleted since is nobody.
    if (!user) throw new AppwriteException('general_unauthorized_scope', 'User (role: guests) missing scope (account)');
    return toAccountModel(user);
  }
}

export const getAccount: Slice = {
  endpoints: [GET_ACCOUNT],
  controllers: [endpointController(GET_ACCOUNT, ({ queries }, ctx) => queries.execute(new GetAccountQuery(ctx.principal!)))],
  providers: [GetAccountHandler],
};
