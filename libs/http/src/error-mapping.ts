import type { AppwriteException } from '@lib/appwrite';

/**
 * Turns an error of some context (a domain rule, a busy adapter) into Appwrite's exception, or
 * returns null when the error is not its own. Each context registers its mappers with the
 * HTTP module; errors nobody maps are 500s that hide their cause.
 */
export type ErrorMapper = (error: unknown) => AppwriteException | null;

export const ERROR_MAPPERS = 'HTTP_ERROR_MAPPERS';
