import type { UserFields, UserTarget } from '../user';

/**
 * The newest User model (Appwrite 1.9.6), keys in Appwrite's order; older formats are filters
 * over it (libs/appwrite formats/response-filters.ts). Every key is always present, with the
 * model's default when unset. Dates are already in Appwrite's format in the read model.
 */
export function toUserModel(u: UserFields, select?: string[]) {
  const all = !select || select.includes('*');
  // Fields a `select` query leaves out are emitted with their defaults; ids and dates always.
  const pick = <T>(key: string, value: T, fallback: T): T => (all || select!.includes(key) ? value : fallback);
  return {
    $id: u.id,
    $createdAt: u.createdAt,
    $updatedAt: u.updatedAt,
    name: pick('name', u.name, ''),
    password: pick('password', u.password, null),
    hash: pick('hash', u.hash, null as string | null),
    hashOptions: pick('hashOptions', u.hashOptions, null as Record<string, unknown> | null),
    registration: pick('registration', u.registration ?? '', ''),
    status: pick('status', u.status, true),
    labels: pick('labels', u.labels, [] as string[]),
    passwordUpdate: pick('passwordUpdate', u.passwordUpdate ?? '', ''),
    email: pick('email', u.email ?? '', ''),
    phone: pick('phone', u.phone ?? '', ''),
    emailVerification: pick('emailVerification', u.emailVerification, false),
    // Appwrite 1.9.6 answers null for users it has no email metadata for; we keep none.
    emailCanonical: null,
    emailIsFree: null,
    emailIsDisposable: null,
    emailIsCorporate: null,
    emailIsCanonical: null,
    phoneVerification: pick('phoneVerification', u.phoneVerification, false),
    mfa: pick('mfa', u.mfa, false),
    prefs: pick('prefs', prefsModel(u.prefs), {}),
    targets: all ? u.targets.map((t) => toTargetModel(u.id, t)) : [],
    accessedAt: pick('accessedAt', u.accessedAt ?? '', ''),
    impersonator: pick('impersonator', u.impersonator, false),
    // Only set while a request impersonates someone, which no request here does.
    impersonatorUserId: null,
  };
}
export type UserModel = ReturnType<typeof toUserModel>;

/** Appwrite's Target model (1.5; `expired` since 1.7). */
export function toTargetModel(userId: string, t: UserTarget) {
  return {
    $id: t.id,
    $createdAt: t.createdAt,
    $updatedAt: t.updatedAt,
    name: t.name ?? '',
    userId,
    providerId: t.providerId,
    providerType: t.providerType,
    identifier: t.identifier,
    expired: t.expired,
  };
}
export type TargetModel = ReturnType<typeof toTargetModel>;

/** Prefs are always an object on the wire, never `[]`. */
export function prefsModel(prefs: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return prefs && typeof prefs === 'object' && !Array.isArray(prefs) ? prefs : {};
}
