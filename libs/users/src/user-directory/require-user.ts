import { UserDomainError } from '../user.errors';
import type { UserDirectory, UserRecord } from './user-directory.port';

/** The user every /users/:userId route reads first: 404 `user_not_found` when there is none. */
export async function requireUser(directory: UserDirectory, projectId: string, userId: string): Promise<UserRecord> {
  const user = await directory.get(projectId, userId);
  if (!user) throw new UserDomainError('user_not_found');
  return user;
}
