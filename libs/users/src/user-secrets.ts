import { createHash, randomBytes } from 'node:crypto';
import { formatDate } from '@lib/appwrite';

/**
 * Secrets a user is handed (session secrets, token secrets): generated here, shown to the caller
 * once, and only their hex SHA-256 recorded in an event.
 */

/** Appwrite's session secret: 128 random bytes as 256 lower-case hex chars. */
export const newSessionSecret = (): string => randomBytes(128).toString('hex');

/** Appwrite's `Auth::tokenGenerator($length)`: `length` lower-case hex chars. */
export const newTokenSecret = (length: number): string => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);

/** What is stored of a secret: its SHA-256, hex. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** `at` (Appwrite's date format) plus whole seconds, in the same format. */
export const addSeconds = (at: string, seconds: number): string => formatDate(Date.parse(at) + seconds * 1000);
