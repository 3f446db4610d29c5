/** The Users context: the User aggregate, its use cases, read models and HTTP registration. */
export * from './user';
export * from './user.events';
export * from './user.errors';
export { uniqueValueStreamId } from './uniqueness/unique-value';
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
