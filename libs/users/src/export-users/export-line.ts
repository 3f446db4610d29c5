import type { UserFields } from '../user';

/**
 * A user as one line of an export: exactly what an import line takes (see import-line.ts), so an
 * export imports as is. The hash travels with its options as stored, so logins keep working; a
 * user without a password has none (an import records the default algorithm again), and an empty
 * name is null (Create User's name rule refuses "", absent means "").
 */
export function toExportLine(user: UserFields): Record<string, unknown> {
  return {
    userId: user.id,
    email: user.email,
    phone: user.phone,
    name: user.name === '' ? null : user.name,
    password: user.password,
    ...(user.password === null ? {} : { hash: user.hash, hashOptions: user.hashOptions }),
    labels: user.labels,
    prefs: user.prefs,
    status: user.status,
    emailVerification: user.emailVerification,
    phoneVerification: user.phoneVerification,
    mfa: user.mfa,
    impersonator: user.impersonator,
  };
}

/** The key of an export's last line, `{"$position": …, "total": n}`: no user has it, so an import skips that line. */
export const EXPORT_TRAILER_KEY = '$position';

/** The last line of an export: the log position every line is as of, and how many users came before it. */
export const exportTrailer = (position: string | null, total: number) => ({ [EXPORT_TRAILER_KEY]: position, total });
