import { AppwriteException } from '@lib/appwrite';
import { StaleRevisionError } from '@lib/event-sourcing';
import { ErrorMapper, schema, VersionedResource } from '@lib/http';
import { parseUserStreamId, userStreamId } from './user';
import { UserDomainError } from './user.errors';

/** Users' rule violations already carry Appwrite's error type; a stale If-Match on a user is 412. */
export const usersErrorMapper: ErrorMapper = (error) => {
  if (error instanceof UserDomainError) return new AppwriteException(error.type);
  if (error instanceof StaleRevisionError && parseUserStreamId(error.streamId) !== null) return new AppwriteException('user_version_mismatch');
  return null;
};

/** Every write under `/v1/users/:userId` honours If-Match against the user's stream revision. */
export const USER_VERSION: VersionedResource = { param: 'userId', streamOf: userStreamId };

const { str, date, bool, obj, strings, list } = schema;
const CLIENT_FIELDS = strings('osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName');

const nullable = (type: string) => ({ type, nullable: true });
const strs = { type: 'array', items: str };
const ref = (model: string) => ({ $ref: `#/components/schemas/${model}` });
const int = { type: 'integer' };
/** The stored algorithm's options, one model per algorithm, told apart by `type` (a GraphQL union). */
const HASH_OPTION_MODELS: Record<string, [string, Record<string, unknown>]> = {
  argon2: ['algoArgon2', { type: str, memoryCost: int, timeCost: int, threads: int }],
  bcrypt: ['algoBcrypt', { type: str }],
  md5: ['algoMd5', { type: str }],
  phpass: ['algoPhpass', { type: str }],
  scrypt: ['algoScrypt', { type: str, costCpu: int, costMemory: int, costParallel: int, length: int }],
  scryptMod: ['algoScryptModified', { type: str, salt: str, saltSeparator: str, signerKey: str }],
  sha: ['algoSha', { type: str, version: str }],
};
const hashOptions = {
  oneOf: Object.values(HASH_OPTION_MODELS).map(([model]) => ref(model)),
  discriminator: { propertyName: 'type', mapping: Object.fromEntries(Object.entries(HASH_OPTION_MODELS).map(([type, [model]]) => [type, `#/components/schemas/${model}`])) },
};
const LOG_FIELDS = { ...strings('event', 'userId', 'userEmail', 'userName', 'mode', 'userType', 'ip'), time: date, ...CLIENT_FIELDS };

/**
 * The response models of the Users API in the newest format (Appwrite 1.9.6), as OpenAPI
 * schemas; older formats are filters over them (libs/appwrite formats/response-filters.ts).
 */
export const USERS_RESPONSE_SCHEMAS: Record<string, unknown> = {
  user: obj({
    $id: str, $createdAt: date, $updatedAt: date, name: str,
    password: nullable('string'), hash: str, hashOptions,
    registration: date, status: bool, labels: strs, passwordUpdate: date, email: str, phone: str,
    emailVerification: bool, emailCanonical: nullable('string'), emailIsFree: nullable('boolean'), emailIsDisposable: nullable('boolean'),
    emailIsCorporate: nullable('boolean'), emailIsCanonical: nullable('boolean'), phoneVerification: bool, mfa: bool,
    prefs: ref('preferences'), targets: { type: 'array', items: ref('target') }, accessedAt: date, impersonator: bool, impersonatorUserId: nullable('string'),
  }),
  preferences: { type: 'object', additionalProperties: true },
  ...Object.fromEntries(Object.values(HASH_OPTION_MODELS).map(([model, properties]) => [model, obj(properties)])),
  session: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, expire: date, provider: str, providerUid: str, providerAccessToken: str,
    providerAccessTokenExpiry: date, providerRefreshToken: str, ip: str, ...CLIENT_FIELDS, current: bool,
    factors: strs, secret: str, mfaUpdatedAt: date,
  }),
  log: obj(LOG_FIELDS),
  token: obj({ $id: str, $createdAt: date, userId: str, secret: str, expire: date, phrase: str }),
  jwt: obj({ jwt: str }),
  target: obj({ $id: str, $createdAt: date, $updatedAt: date, name: str, userId: str, providerId: nullable('string'), providerType: { type: 'string', enum: ['email', 'sms', 'push'] }, identifier: str, expired: bool }),
  identity: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, provider: str, providerUid: str, providerEmail: str,
    providerAccessToken: str, providerAccessTokenExpiry: date, providerRefreshToken: str,
  }),
  passkey: obj({ $id: str, $createdAt: date, $updatedAt: date, name: str, accessedAt: date }),
  mfaChallenge: obj({ $id: str, $createdAt: date, userId: str, expire: date }),
  mfaFactors: obj({ totp: bool, phone: bool, email: bool, recoveryCode: bool, custom: bool }),
  mfaRecoveryCodes: obj({ recoveryCodes: strs }),
  userEvent: obj({
    $id: str, type: str, revision: int, position: str, occurredAt: date, schemaVersion: int, actor: ref('userEventActor'), requestId: str, ip: str, userAgent: str,
    data: { type: 'object', additionalProperties: true, description: "The public view of the event's data (libs/users user-event-public-data.ts)" },
  }),
  userEventActor: obj({ type: { type: 'string', enum: ['apiKey', 'user', 'system'] }, id: str }),
  userImport: obj({ imported: int, failed: { type: 'array', items: obj({ line: int, type: str, message: str }) } }),
  userList: list('users', 'user'),
  userEventList: list('events', 'userEvent'),
  sessionList: list('sessions', 'session'),
  logList: list('logs', 'log'),
  targetList: list('targets', 'target'),
  identityList: list('identities', 'identity'),
  passkeyList: list('passkeys', 'passkey'),
};

/** API-key scopes of the Users API. */
export const USERS_SCOPES = ['users.read', 'users.write', 'users.export'] as const;
