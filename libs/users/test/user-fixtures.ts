import { CHROME_MAC_CLIENT } from '@lib/client-info/testing';
import type { UserAttribute, UserListQuery, UserOrder } from '@lib/appwrite';
import type { LogRecord } from '../src/logs/logs.read-model';
import type { SessionRecord } from '../src/sessions/sessions.read-model';
import type { UserRecord } from '../src/user-directory/user-directory.port';

export const T0 = '2023-01-01T00:00:00.000+00:00';

/** An event's sort key as the event store mints it: 40 decimal digits, text order = log order. */
export function sortKey(n: number | bigint): string {
  return String(n).padStart(40, '0');
}

/** `sequence`: the sort key of the user's UserCreated event (a number is turned into one). */
export function makeUser(projectId: string, id: string, sequence: number | string, over: Partial<UserRecord> = {}): UserRecord {
  return {
    projectId,
    id,
    sequence: typeof sequence === 'number' ? sortKey(sequence) : sequence,
    createdAt: T0,
    updatedAt: T0,
    name: id,
    email: `${id.toLowerCase()}@example.com`,
    phone: null,
    status: true,
    emailVerification: false,
    phoneVerification: false,
    password: null,
    hash: 'argon2',
    hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
    passwordUpdate: null,
    registration: T0,
    prefs: {},
    labels: [],
    mfa: false,
    impersonator: false,
    accessedAt: null,
    targets: [],
    revision: 0,
    ...over,
  };
}

export function makeSession(projectId: string, userId: string, id: string, createdAt: string): SessionRecord {
  return {
    projectId,
    userId,
    id,
    createdAt,
    expire: null,
    provider: 'email',
    providerUid: `${userId}@example.com`,
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    ip: '127.0.0.1',
    secretHash: null,
    factors: [],
    ...CHROME_MAC_CLIENT,
    countryCode: '--',
  };
}

/** `sequence`: the sort key of the event that produced the record (a number is turned into one). */
export function makeLog(projectId: string, userId: string, sequence: number | string, id: string, time: string): LogRecord {
  return {
    projectId,
    userId,
    sequence: typeof sequence === 'number' ? sortKey(sequence) : sequence,
    id,
    event: 'user.update',
    actorId: userId,
    userEmail: `${userId}@example.com`,
    userName: userId,
    mode: 'admin',
    ip: '127.0.0.1',
    time,
    osCode: '',
    osName: '',
    osVersion: '',
    clientType: 'library',
    clientCode: '',
    clientName: 'Node Fetch',
    clientVersion: '',
    clientEngine: '',
    clientEngineVersion: '',
    deviceName: '',
    deviceBrand: '',
    deviceModel: '',
    countryCode: '--',
  };
}

export function userQuery(over: Partial<UserListQuery> = {}): UserListQuery {
  return { filters: [], orders: [], limit: 25, offset: 0, ...over };
}

export const asc = (attribute: UserAttribute | null): UserOrder => ({ attribute, direction: 'asc' });
export const desc = (attribute: UserAttribute | null): UserOrder => ({ attribute, direction: 'desc' });

/** Deterministic PRNG so a failure replays identically. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
