import { randomBytes } from 'node:crypto';
import { requireActiveUser, userAggregate, UserState } from '../user';
import { UserCommand, userCommandHandler } from '../user-command';
import type { SessionDetails, UserEvent } from '../user.events';

/**
 * Records a new session. Its producer (the Account API's logins) arrives with a later issue;
 * until then only tests create sessions, never an HTTP route.
 */
export class CreateSessionCommand extends UserCommand<SessionDetails> {}

export const newSessionId = () => randomBytes(10).toString('hex');

export function decideCreateSession({ at, ...session }: SessionDetails & { at: string }, state: UserState): UserEvent[] {
  requireActiveUser(state);
  return [{ type: 'SessionCreated', occurredAt: at, data: session }];
}

/** The aggregate of this use case, for callers outside Nest (tests driving a distributed stack). */
export const CREATE_SESSION = userAggregate(decideCreateSession);

export const CreateSessionHandler = userCommandHandler(CreateSessionCommand, decideCreateSession);
