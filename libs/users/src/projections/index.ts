import { logsProjection } from './logs.projection';
import { sessionsProjection } from './sessions.projection';
import { usersProjection } from './users.projection';

export { logsProjection, sessionsProjection, usersProjection };
export const USER_PROJECTIONS = [usersProjection, sessionsProjection, logsProjection];
