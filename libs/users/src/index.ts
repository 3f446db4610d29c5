/** The Users context: the User aggregate, its use cases, read models and HTTP registration. */
export * from './user';
export * from './user.events';
export * from './user.errors';
export { ReservationNames } from './uniqueness/reservation-names';
export { ReservationRenames, isReservationStream, type ReservationRename } from './uniqueness/reservation-renames';
export type { UniqueKind } from './uniqueness/unique-value';
export { USER_PERSONAL_DATA, USER_PERSONAL_FIELDS } from './user-personal-data';
export { publicEventData, USER_EVENT_FIELDS, type FieldVisibility } from './user-event-public-data';
export { UNIQUE_VALUE } from './uniqueness/unique-value';
export { toUserModel } from './user-directory/user.model';
export { toSessionModel } from './sessions/session.model';
export { UsersModule, USERS_ENDPOINTS } from './users.module';
export { usersErrorMapper, USERS_RESPONSE_SCHEMAS, USERS_SCOPES } from './users.http';
export { CreateSessionCommand, CREATE_SESSION, newSessionId } from './sessions/create-session';
export { USER_DIRECTORY } from './user-directory/user-directory.read-model';
export { UserDirectory, type UserRecord } from './user-directory/user-directory.port';
export { SESSIONS, SessionList, type SessionRecord } from './sessions/sessions.read-model';
export { LOGS, UserLogs, type LogRecord, AUDITED_EVENTS } from './logs/logs.read-model';
export { USERS_SLICES } from './users.slices';

import { LOGS } from './logs/logs.read-model';
import { SESSIONS } from './sessions/sessions.read-model';
import { USER_DIRECTORY } from './user-directory/user-directory.read-model';

/** The read models of the Users context. */
export const USERS_READ_MODELS = [USER_DIRECTORY, SESSIONS, LOGS];
export { USERS_BODY_ALLOWANCES, PASSWORD_MAX_CHARS } from './users.body-limits';
export { CreateUserCommand } from './create-user/create-user';
export { RecordUserAccessCommand, accessIsDue } from './record-access/record-access';
export { planSearch, tokenize, isIndexableWord, prefixUpperBound, type SearchPlan } from './user-directory/search-plan';
/** The search parameter as a condition, for read models that index words the same way (teams, memberships). */
export { compileSqlWordSearch } from './user-directory/sqlite/sqlite-user-query';
export { compileSearch as compileMongoWordSearch, searchTextOf } from './user-directory/mongodb/mongodb-user-query';
export { newSessionSecret, newTokenSecret, secretHash, addSeconds } from './user-secrets';

import type { HttpContext } from '@lib/http';
import { USERS_BODY_ALLOWANCES } from './users.body-limits';
import { USER_VERSION, usersErrorMapper, USERS_RESPONSE_SCHEMAS } from './users.http';
import { USERS_ENDPOINTS, UsersModule } from './users.module';

/** The Users context as the gateway mounts it. */
export const USERS_CONTEXT: HttpContext = { name: 'users', module: UsersModule, endpoints: USERS_ENDPOINTS, schemas: USERS_RESPONSE_SCHEMAS, bodyAllowances: USERS_BODY_ALLOWANCES, errorMapper: usersErrorMapper, versionedResources: [USER_VERSION] };
