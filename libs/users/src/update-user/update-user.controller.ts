import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import * as Rules from '../../../appwrite/src/validation/rules';
import { Ctx, Endpoint, EndpointDef, Params } from '../../../http/src/endpoint';
import { bodyParam } from '../../../http/src/param-builders';
import { RequestContext } from '../application/request-context';
import { userIdPath } from '../shared/common-params';
import { GetUserPrefsQuery, GetUserQuery } from '../user-details/user-details.queries';
import { UpdateUserCommand, UserChange } from './update-user.command';

const patch = (path: string, sdkMethod: string, summary: string, param: EndpointDef['params'][number], model: 'user' | 'preferences' = 'user'): EndpointDef => ({
  method: 'PATCH',
  path: `/v1/users/:userId${path}`,
  scope: 'users.write',
  sdkMethod,
  summary,
  params: [userIdPath, { ...param, required: true }],
  success: { status: 200, model },
});

export const UPDATE_STATUS = patch('/status', 'users.updateStatus', 'Update User Status', bodyParam('status', Rules.BooleanLoose, 'boolean', 'User Status. To activate the user pass `true` and to block the user pass `false`.'));
export const UPDATE_PHONE_VERIFICATION = patch('/verification/phone', 'users.updatePhoneVerification', 'Update Phone Verification', bodyParam('phoneVerification', Rules.BooleanStrict, 'boolean', 'User phone verification status.'));
export const UPDATE_NAME = patch('/name', 'users.updateName', 'Update Name', bodyParam('name', Rules.Text(128), 'string', 'User name. Max length: 128 chars.'));
export const UPDATE_PASSWORD = patch('/password', 'users.updatePassword', 'Update Password', bodyParam('password', Rules.PasswordDictionary(), 'string', 'New user password. Must be at least 8 chars.'));
export const UPDATE_EMAIL = patch('/email', 'users.updateEmail', 'Update Email', bodyParam('email', Rules.Email, 'string', 'User email.'));
export const UPDATE_PHONE = patch('/phone', 'users.updatePhone', 'Update Phone', bodyParam('number', Rules.Phone, 'string', 'User phone number.'));
export const UPDATE_EMAIL_VERIFICATION = patch('/verification', 'users.updateEmailVerification', 'Update Email Verification', bodyParam('emailVerification', Rules.BooleanStrict, 'boolean', 'User email verification status.'));
export const UPDATE_PREFS = patch('/prefs', 'users.updatePrefs', 'Update User Preferences', bodyParam('prefs', Rules.Assoc, 'object', 'Prefs key-value JSON object.'), 'preferences');

type P = Record<string, any>;

@Controller()
export class UpdateUserController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  private async update(ctx: RequestContext, userId: string, change: UserChange) {
    await this.commands.execute(new UpdateUserCommand(ctx, userId, change));
    return this.queries.execute(change.field === 'prefs' ? new GetUserPrefsQuery(ctx.projectId, userId) : new GetUserQuery(ctx.projectId, userId));
  }

  @Endpoint(UPDATE_STATUS)
  status(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'status', status: p.status });
  }

  @Endpoint(UPDATE_PHONE_VERIFICATION)
  phoneVerification(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'phoneVerification', phoneVerification: p.phoneVerification });
  }

  @Endpoint(UPDATE_NAME)
  name(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'name', name: p.name });
  }

  @Endpoint(UPDATE_PASSWORD)
  password(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'password', plain: p.password });
  }

  @Endpoint(UPDATE_EMAIL)
  email(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'email', email: p.email });
  }

  @Endpoint(UPDATE_PHONE)
  phone(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'phone', phone: p.number });
  }

  @Endpoint(UPDATE_EMAIL_VERIFICATION)
  emailVerification(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'emailVerification', emailVerification: p.emailVerification });
  }

  @Endpoint(UPDATE_PREFS)
  prefs(@Ctx() ctx: RequestContext, @Params() p: P) {
    return this.update(ctx, p.userId, { field: 'prefs', prefs: p.prefs });
  }
}
