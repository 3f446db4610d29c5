import { countryNameOf } from '@lib/client-info';
import type { LogRecord } from './logs.read-model';

/**
 * The Log model of a record. `userId`/`userEmail`/`userName`/`mode` are the ACTOR's as the
 * record holds them (what Appwrite 1.5 returns from its audit data: values taken when the
 * request ran), not the log owner's as they are now. Records written before actors were kept
 * have no `actorId`: "".
 */
export function toLogModel(l: LogRecord) {
  return {
    event: l.event,
    userId: l.actorId ?? '',
    userEmail: l.userEmail ?? '',
    userName: l.userName ?? '',
    mode: l.mode ?? '',
    userType: userTypeOf(l.mode),
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

/** Appwrite 1.9.6's `userType` (user, admin, guest, keyProject, …): who made the change, by its mode. */
function userTypeOf(mode: string | null | undefined): string {
  if (mode === 'admin') return 'keyProject';
  if (mode === 'user') return 'user';
  return '';
}
