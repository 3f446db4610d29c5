import { AppwriteException } from '@lib/appwrite';
import { Credentials, JwtKey, ResolvedUser, SessionResolver, verifyJwt } from '@lib/http';
import { accessIsDue, SessionList, UserDirectory, type SessionRecord, type UserRecord } from '@lib/users';
import { decodeSession, secretMatcher } from './session-secret';

/**
 * Who a session or a JWT is (Appwrite 1.3.8 app/init.php, the `user` resource):
 *
 * - a session (`a_session_<project>` cookie or `X-Appwrite-Session`, base64 JSON {id, secret}):
 *   the user `id`'s session whose stored SHA-256 matches the secret, not expired; every session of
 *   the user is compared in constant time. Anything that does not match is no session: the caller
 *   is a guest, as in Appwrite.
 * - a JWT (`X-Appwrite-JWT`, wins over a session as in Appwrite): signed by us and not expired,
 *   else 401 `user_jwt_invalid`; its session (when it names one) must still exist and belong to
 *   its user, else also `user_jwt_invalid`.
 *
 * The user's status travels along: the authenticator refuses a blocked user (`user_blocked`)
 * once the scope is checked. A user's own request is their access (`accessedAt`, recorded at
 * most once a day through `recordAccess`, as Appwrite's init does).
 */
export type RecordAccess = (projectId: string, userId: string) => Promise<void>;

export class AccountSessionResolver extends SessionResolver {
  constructor(
    private readonly sessions: SessionList,
    private readonly users: UserDirectory,
    private readonly jwtKey: JwtKey,
    private readonly now: () => number = Date.now,
    private readonly recordAccess: RecordAccess = async () => undefined,
  ) {
    super();
  }

  async resolve(projectId: string, credentials: Pick<Credentials, 'session' | 'jwt'>): Promise<ResolvedUser | null> {
    if (credentials.jwt) return this.fromJwt(projectId, credentials.jwt);
    if (credentials.session) return this.fromSession(projectId, credentials.session);
    return null;
  }

  private async fromSession(projectId: string, value: string): Promise<ResolvedUser | null> {
    const decoded = decodeSession(value);
    if (!decoded) return null;
    const matches = secretMatcher(decoded.secret);
    let match: SessionRecord | null = null;
    for (const session of await this.sessions.ofUser(projectId, decoded.userId)) {
      // No early exit: the time taken does not tell which session (if any) matched.
      const equal = matches(session.secretHash);
      if (equal && match === null && this.live(session)) match = session;
    }
    if (!match) return null;
    const user = await this.users.get(projectId, decoded.userId);
    if (!user) return null;
    await this.accessed(projectId, user);
    return { userId: user.id, sessionId: match.id, email: user.email ?? '', blocked: !user.status };
  }

  private async fromJwt(projectId: string, token: string): Promise<ResolvedUser> {
    const claims = verifyJwt(token, this.jwtKey.secret, Math.floor(this.now() / 1000));
    if (!claims || !claims.userId) throw new AppwriteException('user_jwt_invalid');
    if (claims.sessionId) {
      const session = await this.sessions.get(projectId, claims.sessionId);
      if (!session || session.userId !== claims.userId || !this.live(session)) throw new AppwriteException('user_jwt_invalid');
    }
    const user = await this.users.get(projectId, claims.userId);
    if (!user) throw new AppwriteException('user_jwt_invalid');
    await this.accessed(projectId, user);
    return { userId: user.id, sessionId: claims.sessionId, email: user.email ?? '', blocked: !user.status };
  }

  /** A blocked user's refused request is no access. Recording is best effort: it never fails the request. */
  private async accessed(projectId: string, user: UserRecord): Promise<void> {
    if (!user.status || !accessIsDue(user.accessedAt, this.now())) return;
    await this.recordAccess(projectId, user.id).catch(() => undefined);
  }

  private live(session: SessionRecord): boolean {
    return session.expire === null || Date.parse(session.expire) > this.now();
  }
}
