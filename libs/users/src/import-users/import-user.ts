import { evolveUser, UserState } from '../user';
import type { UserDecide } from '../user-command';
import type { UserEvent } from '../user.events';
import { decideCreateUser, NewUser } from '../create-user/create-user';
import { decideChangeEmailVerification } from '../update-email-verification/update-email-verification';
import { decideChangeUserImpersonator } from '../update-impersonator/update-impersonator';
import { decideReplaceUserLabels } from '../update-labels/update-labels';
import { decideChangeUserMfa } from '../update-mfa/update-mfa';
import { decideChangePhoneVerification } from '../update-phone-verification/update-phone-verification';
import { decideReplaceUserPrefs } from '../update-prefs/update-prefs';
import { decideChangeUserStatus } from '../update-status/update-status';

/** What an import line sets beyond Create User's params: what the update routes would set next. */
export interface ImportedFields {
  labels?: string[];
  prefs?: Record<string, unknown>;
  status?: boolean;
  emailVerification?: boolean;
  phoneVerification?: boolean;
  mfa?: boolean;
  impersonator?: boolean;
}

/** One update route's decision, when the line sets its field apart from a new user's value. */
type FollowUp = (fields: ImportedFields, at: string) => ((state: UserState) => UserEvent[]) | null;

const when =
  <D>(applies: (f: ImportedFields) => boolean, decide: UserDecide<D>, data: (f: ImportedFields) => D): FollowUp =>
  (fields, at) =>
    applies(fields) ? (state) => decide({ ...data(fields), at }, state) : null;

/** In the order of the line's params; a new user has no labels or prefs, is active, unverified, without MFA or impersonation. */
const FOLLOW_UPS: FollowUp[] = [
  when((f) => (f.labels?.length ?? 0) > 0, decideReplaceUserLabels, (f) => ({ labels: f.labels! })),
  when((f) => Object.keys(f.prefs ?? {}).length > 0, decideReplaceUserPrefs, (f) => ({ prefs: f.prefs! })),
  when((f) => f.status === false, decideChangeUserStatus, () => ({ status: false })),
  when((f) => f.emailVerification === true, decideChangeEmailVerification, () => ({ emailVerification: true })),
  when((f) => f.phoneVerification === true, decideChangePhoneVerification, () => ({ phoneVerification: true })),
  when((f) => f.mfa === true, decideChangeUserMfa, () => ({ mfa: true })),
  when((f) => f.impersonator === true, decideChangeUserImpersonator, () => ({ impersonator: true })),
];

/**
 * Pure: an imported user is Create User's events, then the events each update route would add
 * for the fields the line sets, decided in turn on the state so far, all at the creation's time:
 * the same events as the create call and the update calls, in one append.
 */
export const decideImportUser =
  (fields: ImportedFields) =>
  (user: NewUser, state: UserState): UserEvent[] => {
    const events = decideCreateUser(user, state);
    let current = events.reduce(evolveUser, state);
    for (const followUp of FOLLOW_UPS) {
      const decide = followUp(fields, user.at);
      if (!decide) continue;
      const more = decide(current);
      events.push(...more);
      current = more.reduce(evolveUser, current);
    }
    return events;
  };
