import { countryNameOf } from '@lib/client-info';
import type { SessionRecord } from './sessions.read-model';

/**
 * The newest Session model (Appwrite 1.9.6); older formats are filters over it. `secret` is
 * shown only to whoever made the session (`users.createSession`), "" everywhere else.
 */
export function toSessionModel(s: SessionRecord, secret = '') {
  return {
    $id: s.id,
    $createdAt: s.createdAt,
    // Sessions are never changed, only made and ended.
    $updatedAt: s.createdAt,
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
    factors: s.factors,
    secret,
    mfaUpdatedAt: '',
  };
}

