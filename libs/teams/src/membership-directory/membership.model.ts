import type { MembershipView } from './memberships.port';

/**
 * The newest Membership model (Appwrite 1.9.6), keys in order; older formats are filters over it. `select` leaves unselected attributes at their
 * defaults; names are always filled (Appwrite sets them after the query), `roles` only without a
 * select (it is not a queryable attribute).
 */
export function toMembershipModel(m: MembershipView, select?: string[]) {
  const all = !select || select.includes('*');
  const pick = <T>(key: string, value: T, fallback: T): T => (all || select!.includes(key) ? value : fallback);
  return {
    $id: m.id,
    $createdAt: m.createdAt,
    $updatedAt: m.updatedAt,
    userId: pick('userId', m.userId, ''),
    userName: m.userName,
    userEmail: m.userEmail,
    userPhone: m.userPhone,
    teamId: pick('teamId', m.teamId, ''),
    teamName: m.teamName,
    invited: pick('invited', m.invited, ''),
    joined: pick('joined', m.joined ?? '', ''),
    confirm: pick('confirm', m.confirm, false),
    mfa: m.userMfa,
    userAccessedAt: m.userAccessedAt ?? '',
    roles: all ? m.roles : [],
  };
}
export type MembershipModel = ReturnType<typeof toMembershipModel>;
