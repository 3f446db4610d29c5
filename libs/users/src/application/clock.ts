import { formatDate } from '../../../appwrite/src/dates';

/** The one source of "now" for commands, so tests can pin time. */
export class Clock {
  now(): string {
    return formatDate(Date.now());
  }
}
