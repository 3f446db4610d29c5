import { AppwriteException } from '@lib/appwrite';
import { ErrorMapper, schema } from '@lib/http';
import { UserDomainError } from './user.errors';

/** Users' rule violations already carry Appwrite's error type. */
export const usersErrorMapper: ErrorMapper = (error) => (error instanceof UserDomainError ? new AppwriteException(error.type) : null);

const { str, date, bool, obj, strings, list } = schema;
const CLIENT_FIELDS = strings('osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName');

/** The response models of the Users API (Appwrite 1.3 models.md), as OpenAPI schemas. */
export const USERS_RESPONSE_SCHEMAS: Record<string, unknown> = {
  user: obj({
    $id: str, $createdAt: date, $updatedAt: date, name: str,
    password: { type: 'string', nullable: true }, hash: str, hashOptions: { type: 'object' },
    registration: date, status: bool, passwordUpdate: date, email: str, phone: str,
    emailVerification: bool, phoneVerification: bool, prefs: { type: 'object' },
  }),
  preferences: { type: 'object', additionalProperties: true },
  session: obj({
    $id: str, $createdAt: date, userId: str, expire: date, provider: str, providerUid: str, providerAccessToken: str,
    providerAccessTokenExpiry: date, providerRefreshToken: str, ip: str, ...CLIENT_FIELDS, current: bool,
  }),
  membership: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, userName: str, userEmail: str, teamId: str, teamName: str,
    invited: date, joined: date, confirm: bool, roles: { type: 'array', items: str },
  }),
  log: obj({ ...strings('event', 'userId', 'userEmail', 'userName', 'mode', 'ip'), time: date, ...CLIENT_FIELDS }),
  // Appwrite 1.5+ models of users.createSession / createToken / createJWT.
  sessionWithSecret: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, expire: date, provider: str, providerUid: str, providerAccessToken: str,
    providerAccessTokenExpiry: date, providerRefreshToken: str, ip: str, ...CLIENT_FIELDS, current: bool,
    factors: { type: 'array', items: str }, secret: str, mfaUpdatedAt: date,
  }),
  token: obj({ $id: str, $createdAt: date, userId: str, secret: str, expire: date, phrase: str }),
  jwt: obj({ jwt: str }),
  userList: list('users', 'user'),
  sessionList: list('sessions', 'session'),
  membershipList: list('memberships', 'membership'),
  logList: list('logs', 'log'),
};

/** API-key scopes of the Users API. */
export const USERS_SCOPES = ['users.read', 'users.write'] as const;
