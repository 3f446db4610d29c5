/** Shared by the `validateUserQueries` specs (src/queries/user-queries*.unit.spec.ts). */
import { AppwriteException } from '../src/errors/appwrite-exception';
import { validateUserQueries } from '../src/queries/user-queries';
import type { UserListQuery } from '../src/queries/user-list-query';

/** The AppwriteException that `validateUserQueries(queries)` throws; fails the test if none is thrown. */
export function errorOf(queries: unknown): { type: string; code: number; message: string } {
  try {
    validateUserQueries(queries);
  } catch (e) {
    expect(e).toBeInstanceOf(AppwriteException);
    const err = e as AppwriteException;
    return { type: err.type, code: err.code, message: err.message };
  }
  throw new Error(`expected ${JSON.stringify(queries)} to fail`);
}

export const message = (queries: unknown): string => errorOf(queries).message;

export const RANGE = 'Value must be a valid range between 0 and 9,223,372,036,854,775,808';
export const UID_TEXT =
  "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";

/** The query an empty list gives. */
export const base: UserListQuery = { filters: [], orders: [], limit: 25, offset: 0 };
