import { countryNameOf } from '@lib/client-info';
import type { LogRecord } from './logs.read-model';

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
