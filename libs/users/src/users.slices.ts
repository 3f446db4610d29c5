import type { Slice } from '@lib/http';
import { createUserSlice } from './create-user/create-user.slice';
import { createJwt } from './create-jwt/create-jwt';
import { createServerSession } from './create-server-session/create-server-session';
import { createTokenSlice } from './create-token/create-token';
import { deleteSession } from './delete-session/delete-session';
import { deleteSessions } from './delete-sessions/delete-sessions';
import { deleteUserSlice } from './delete-user/delete-user';
import { eraseUserSlice } from './erase-user/erase-user';
import { getUser } from './get-user/get-user';
import { getUserPrefs } from './get-user-prefs/get-user-prefs';
import { listUsers } from './list-users/list-users';
import { listLogs } from './logs/list-logs';
import { listSessions } from './sessions/list-sessions';
import { updateEmail } from './update-email/update-email';
import { updateEmailVerification } from './update-email-verification/update-email-verification';
import { updateName } from './update-name/update-name';
import { updatePassword } from './update-password/update-password';
import { updatePhone } from './update-phone/update-phone';
import { updatePhoneVerification } from './update-phone-verification/update-phone-verification';
import { updatePrefs } from './update-prefs/update-prefs';
import { updateStatus } from './update-status/update-status';
import { updateLabels } from './update-labels/update-labels';
import { updateMfa } from './update-mfa/update-mfa';
import { updateImpersonator } from './update-impersonator/update-impersonator';
import { mfaFactors } from './mfa/mfa-factors';
import { mfaRecoveryCodes } from './mfa/mfa-recovery-codes';
import { listTargets } from './list-targets/list-targets';
import { createTargetSlice } from './create-target/create-target';
import { getTarget } from './get-target/get-target';
import { updateTargetSlice } from './update-target/update-target';
import { deleteTargetSlice } from './delete-target/delete-target';
import { identities } from './identities/identities';
import { passkeysAndChallenges } from './passkeys/passkeys';
import { listUserEvents } from './list-user-events/list-user-events';
import { importUsers } from './import-users/import-users';
import { exportUsers } from './export-users/export-users';

/** Every use case of the Users API, one line each: Appwrite 1.3's in its reference page's order, then 1.4–1.9's, then our own (history, bulk moves). */
export const USERS_SLICES: Slice[] = [
  createUserSlice,
  listUsers,
  getUser,
  getUserPrefs,
  listSessions,
  createServerSession,
  createTokenSlice,
  createJwt,
  listLogs,
  updateStatus,
  updatePhoneVerification,
  updateName,
  updatePassword,
  updateEmail,
  updatePhone,
  updateEmailVerification,
  updatePrefs,
  deleteSession,
  deleteSessions,
  deleteUserSlice,
  updateLabels,
  identities,
  updateMfa,
  mfaFactors,
  mfaRecoveryCodes,
  listTargets,
  createTargetSlice,
  getTarget,
  updateTargetSlice,
  deleteTargetSlice,
  updateImpersonator,
  passkeysAndChallenges,
  // Our own: what only an event-sourced user store can do.
  listUserEvents,
  importUsers,
  exportUsers,
  eraseUserSlice,
];
