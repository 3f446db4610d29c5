import type { Slice } from '@lib/http';
import { createMembershipSlice } from './create-membership/create-membership';
import { createTeamSlice } from './create-team/create-team';
import { deleteMembershipSlice } from './delete-membership/delete-membership';
import { deleteTeam } from './delete-team/delete-team';
import { getMembership } from './get-membership/get-membership';
import { getTeam } from './get-team/get-team';
import { getTeamPrefs } from './get-team-prefs/get-team-prefs';
import { listTeamMemberships } from './list-memberships/list-team-memberships';
import { listTeams } from './list-teams/list-teams';
import { listUserMemberships } from './list-user-memberships/list-user-memberships';
import { updateMembershipRoles } from './update-membership-roles/update-membership-roles';
import { updateTeamName } from './update-team-name/update-team-name';
import { updateTeamPrefs } from './update-team-prefs/update-team-prefs';

/** Every use case of the Teams API, one line each, in the order of Appwrite's reference page; then List User Memberships. */
export const TEAMS_SLICES: Slice[] = [
  createTeamSlice,
  listTeams,
  getTeam,
  updateTeamName,
  deleteTeam,
  getTeamPrefs,
  updateTeamPrefs,
  createMembershipSlice,
  listTeamMemberships,
  getMembership,
  updateMembershipRoles,
  deleteMembershipSlice,
  listUserMemberships,
];
