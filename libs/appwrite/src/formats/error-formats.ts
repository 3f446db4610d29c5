import { ERROR_TYPES } from '../errors/appwrite-exception';
import { isBelow, ResponseFormat } from './response-format';

/**
 * Errors whose status (and text) changed between Appwrite releases: older formats get what
 * their release answered. Only types this service emits are listed.
 */
interface ErrorChange {
  type: keyof typeof ERROR_TYPES;
  below: string;
  code: number;
  message: string;
}

export const ERROR_CHANGES: readonly ErrorChange[] = [
  { type: 'user_blocked', below: '1.9.0', code: 401, message: 'The current user has been blocked. You can unblock the user from the Appwrite console.' },
];

/** The envelope in that format: an older status, and the older text unless the message was custom. */
export function errorForFormat<E extends { type: string; code: number; message: string }>(error: E, format: ResponseFormat): E {
  const change = ERROR_CHANGES.find((c) => c.type === error.type && isBelow(format, c.below));
  if (!change) return error;
  const isDefaultText = error.message === ERROR_TYPES[change.type].message;
  return { ...error, code: change.code, message: isDefaultText ? change.message : error.message };
}
