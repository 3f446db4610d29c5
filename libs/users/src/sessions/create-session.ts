import { randomBytes } from 'node:crypto';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler } from '../user-command';
import type { SessionDetails } from '../user.events';

/**
 * Records a new session. Its producer (the Account API's logins) arrives with a later issue;
 * until then only tests create sessions, never an HTTP route.
 */
export class CreateSessionCommand extends UserCommand<SessionDetails> {}

export const newSessionId = () => randomBytes(10).toString('hex');

export const CreateSessionHandler = userCommandHandler(CreateSessionCommand, ({ at, ...session }, state) => {
  requireActiveUser(state);
  return [{ type: 'SessionCreated', occurredAt: at, data: session }];
});
