/**
 * Queries of List Teams and List Team Memberships (Appwrite 1.3.8's Queries\Teams and
 * Queries\Memberships validators: their allowed attributes plus Base's `$id`, `$createdAt`,
 * `$updatedAt`), validated like List Users (collection-queries.ts).
 */
import type { Rule } from '../validation/rules';
import { CollectionListQuery, collectionQueries } from './collection-queries';

export const TEAM_ATTRIBUTE_TYPES = {
  $id: 'string',
  $createdAt: 'datetime',
  $updatedAt: 'datetime',
  name: 'string',
  total: 'integer',
} as const;
export type TeamAttribute = keyof typeof TEAM_ATTRIBUTE_TYPES;
/** What the `queries` description names (Teams::ALLOWED_ATTRIBUTES). */
export const TEAM_QUERY_ATTRIBUTES = ['name', 'total'] as const;

export const MEMBERSHIP_ATTRIBUTE_TYPES = {
  $id: 'string',
  $createdAt: 'datetime',
  $updatedAt: 'datetime',
  userId: 'string',
  teamId: 'string',
  invited: 'datetime',
  joined: 'datetime',
  confirm: 'boolean',
} as const;
export type MembershipAttribute = keyof typeof MEMBERSHIP_ATTRIBUTE_TYPES;
/** What the `queries` description names (Memberships::ALLOWED_ATTRIBUTES). */
export const MEMBERSHIP_QUERY_ATTRIBUTES = ['userId', 'teamId', 'invited', 'joined', 'confirm'] as const;

export type TeamListQuery = CollectionListQuery<TeamAttribute>;
export type MembershipListQuery = CollectionListQuery<MembershipAttribute>;

/**
 * List User Memberships without a limit query: Appwrite 1.3 answered every membership of the user
 * (its subquery stops at 1000); 1.7+, which takes queries there, pages by 25 like every list. The
 * 1.3 answer is kept: SDKs of 1.3 have no way to ask for a second page, newer ones can ask for less.
 */
export const USER_MEMBERSHIPS_DEFAULT_LIMIT = 1000;

const teams = collectionQueries<TeamAttribute>(TEAM_ATTRIBUTE_TYPES);
const memberships = collectionQueries<MembershipAttribute>(MEMBERSHIP_ATTRIBUTE_TYPES);
const userMemberships = collectionQueries<MembershipAttribute>(MEMBERSHIP_ATTRIBUTE_TYPES, { defaultLimit: USER_MEMBERSHIPS_DEFAULT_LIMIT });

/** Throws 400 `general_argument_invalid` (`Invalid queries: …`) on any invalid query. */
export const validateTeamQueries = (queries: unknown): TeamListQuery => teams.validate(queries);
export const validateMembershipQueries = (queries: unknown): MembershipListQuery => memberships.validate(queries);
/** List User Memberships (Appwrite 1.7): the same attributes and rules as List Team Memberships. */
export const validateUserMembershipQueries = (queries: unknown): MembershipListQuery => userMemberships.validate(queries);
/** Param-rule forms (errors in parameter order); their values are the validated queries. */
export const TeamQueries: Rule = teams.rule;
export const MembershipQueries: Rule = memberships.rule;
export const UserMembershipQueries: Rule = userMemberships.rule;
