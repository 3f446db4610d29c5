import type { LogRecord, MembershipRecord, SessionRecord, UserRecord } from '../../../read-store/src/read-store.port';
import { countryNameOf } from '../../../client-info/src';

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

export function toSessionModel(s: SessionRecord) {
  return {
    $id: s.id,
    $createdAt: s.createdAt,
    userId: s.userId,
    expire: s.expire ?? '',
    provider: s.provider,
    providerUid: s.providerUid,
    providerAccessToken: s.providerAccessToken,
    providerAccessTokenExpiry: s.providerAccessTokenExpiry ?? '',
    providerRefreshToken: s.providerRefreshToken,
    ip: s.ip,
    osCode: s.osCode,
    osName: s.osName,
    osVersion: s.osVersion,
    clientType: s.clientType,
    clientCode: s.clientCode,
    clientName: s.clientName,
    clientVersion: s.clientVersion,
    clientEngine: s.clientEngine,
    clientEngineVersion: s.clientEngineVersion,
    deviceName: s.deviceName,
    deviceBrand: s.deviceBrand,
    deviceModel: s.deviceModel,
    countryCode: s.countryCode,
    countryName: countryNameOf(s.countryCode),
    current: false,
  };
}

export function toMembershipModel(m: MembershipRecord, user: { name: string; email: string | null }) {
  return {
    $id: m.id,
    $createdAt: m.createdAt,
    $updatedAt: m.updatedAt,
    userId: m.userId,
    userName: user.name,
    userEmail: user.email ?? '',
    teamId: m.teamId,
    teamName: m.teamName,
    invited: m.invited ?? '',
    joined: m.joined ?? '',
    confirm: m.confirm,
    roles: m.roles,
  };
}

/** userId/userEmail/userName come from the user the log belongs to (what Appwrite 1.5 fills in). */
export function toLogModel(l: LogRecord, user: { id: string; name: string; email: string | null }) {
  return {
    event: l.event,
    userId: user.id,
    userEmail: user.email ?? '',
    userName: user.name,
    mode: l.mode,
    ip: l.ip,
    time: l.time,
    osCode: l.osCode,
    osName: l.osName,
    osVersion: l.osVersion,
    clientType: l.clientType,
    clientCode: l.clientCode,
    clientName: l.clientName,
    clientVersion: l.clientVersion,
    clientEngine: l.clientEngine,
    clientEngineVersion: l.clientEngineVersion,
    deviceName: l.deviceName,
    deviceBrand: l.deviceBrand,
    deviceModel: l.deviceModel,
    countryCode: l.countryCode,
    countryName: countryNameOf(l.countryCode),
  };
}
