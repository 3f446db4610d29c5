import type { MembershipListQuery } from '@lib/appwrite';
import type { ListResult } from '@lib/read-models';
import type { MembershipFields } from '../membership';

/** A membership as the memberships read model keeps it: the aggregate's fields plus bookkeeping. */
export interface MembershipRecord extends MembershipFields {
  projectId: string;
  /** Sort key of the MembershipCreated event. */
  sequence: string;
}

/** A membership with its user's and team's names as they are now (joined at read time). */
export interface MembershipView extends MembershipRecord {
  userName: string;
  userEmail: string;
  userPhone: string;
  /** The member's MFA setting and last access, as their user record has them now. */
  userMfa: boolean;
  userAccessedAt: string | null;
  teamName: string;
}

/**
 * What the memberships projection asks its storage to do. The storage also keeps every live
 * user's name, email, phone, MFA setting and last access (null until an event sets it) and every
 * live team's name, which it joins into each membership when read, so changes show at once. A
 * membership is only kept if, at its place in the log, its team and its user are alive; deleting
 * either removes its memberships (the rule of liveness.ts).
 */
export type MembershipsChange =
  | { kind: 'membership.put'; membership: MembershipRecord }
  | { kind: 'membership.patch'; projectId: string; membershipId: string; roles: string[]; updatedAt: string }
  | { kind: 'membership.delete'; projectId: string; membershipId: string }
  | { kind: 'user.put'; projectId: string; userId: string; name: string; email: string | null; phone: string | null; mfa: boolean }
  /** Only the fields given change; a null email or phone means the user has none (shown as ''). */
  | { kind: 'user.patch'; projectId: string; userId: string; name?: string; email?: string | null; phone?: string | null; mfa?: boolean; accessedAt?: string }
  | { kind: 'user.delete'; projectId: string; userId: string }
  | { kind: 'team.put'; projectId: string; teamId: string; name: string }
  | { kind: 'team.rename'; projectId: string; teamId: string; name: string }
  | { kind: 'team.delete'; projectId: string; teamId: string };

export const MEMBERSHIPS_CHANGE_KINDS: ReadonlySet<string> = new Set<MembershipsChange['kind']>([
  'membership.put', 'membership.patch', 'membership.delete', 'user.put', 'user.patch', 'user.delete', 'team.put', 'team.rename', 'team.delete',
]);

export abstract class MembershipDirectory {
  abstract get(projectId: string, membershipId: string): Promise<MembershipView | null>;
  /** A validated List Team Memberships query within one team; `total` capped at 5000. The cursor membership must exist (caller checks). */
  abstract listOfTeam(projectId: string, teamId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>>;
  /** The same within one user's memberships (List User Memberships, Appwrite 1.7). */
  abstract listOfUser(projectId: string, userId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>>;
}

/** The words of Appwrite's membership search string `"{$id} {userId}"` come from here. */
export const membershipSearchSource = (m: { id: string; userId: string }) => `${m.id} ${m.userId}`;
