import type { UserRecord } from './user-directory.port';

/**
 * Appwrite 1.3 response models (models.md): every key always present, in this order, with
 * the model's default when unset. Dates are already in Appwrite's format in the read model.
 */
export function toUserModel(u: UserRecord, select?: string[]) {
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
    passwordUpdate: pick('passwordUpdate', u.passwordUpdate ?? '', ''),
    email: pick('email', u.email ?? '', ''),
    phone: pick('phone', u.phone ?? '', ''),
    emailVerification: pick('emailVerification', u.emailVerification, false),
    phoneVerification: pick('phoneVerification', u.phoneVerification, false),
    prefs: pick('prefs', prefsModel(u.prefs), {}),
  };
}
export type UserModel = ReturnType<typeof toUserModel>;

/** Prefs are always an object on the wire, never `[]`. */
export function prefsModel(prefs: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return prefs && typeof prefs === 'object' && !Array.isArray(prefs) ? prefs : {};
}

