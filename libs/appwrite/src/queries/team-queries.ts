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

const teams = collectionQueries<TeamAttribute>(TEAM_ATTRIBUTE_TYPES);
const memberships = collectionQueries<MembershipAttribute>(MEMBERSHIP_ATTRIBUTE_TYPES);

/** Throws 400 `general_argument_invalid` (`Invalid queries: …`) on any invalid query. */
export const validateTeamQueries = (queries: unknown): TeamListQuery => teams.validate(queries);
export const validateMembershipQueries = (queries: unknown): MembershipListQuery => memberships.validate(queries);
/** Param-rule forms (errors in parameter order); their values are the validated queries. */
export const TeamQueries: Rule = teams.rule;
export const MembershipQueries: Rule = memberships.rule;
