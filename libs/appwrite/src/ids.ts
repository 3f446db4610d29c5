/**
 * IDs generated for `userId: "unique()"` (users-api.md §1.3): PHP `uniqid()` (8 hex digits of
 * Unix seconds + 5 hex digits of microseconds) followed by 7 random hex digits.
 */
import { randomInt } from 'node:crypto';

let lastMicros = 0;

function nowMicros(): number {
  // Date.now() keeps the prefix tied to wall-clock time (IDs must decode to the creation
  // second); hrtime only supplies the sub-millisecond digits Date lacks.
  const subMs = Number(process.hrtime.bigint() / 1000n % 1000n);
  let micros = Date.now() * 1000 + subMs;
  // PHP's uniqid() waits for the microsecond to change, so two IDs from one process never share
  // a time prefix; bumping by one gives the same ordering guarantee without sleeping.
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  return micros;
}

export function uniqueId(): string {
  const micros = nowMicros();
  const seconds = Math.floor(micros / 1_000_000);
  const usec = micros % 1_000_000;
  // randomInt draws from Node's pooled random bytes (0.2 µs); randomBytes(4) asks the CSPRNG each time (2 µs).
  const random = randomInt(0x1000_0000).toString(16).padStart(7, '0');
  return seconds.toString(16).padStart(8, '0') + usec.toString(16).padStart(5, '0') + random;
}

/** In 1.3 the empty string also passes CustomId and gets a fresh ID from the database. */
export function isUniqueIdRequest(v: unknown): boolean {
  return v === 'unique()' || v === '';
}
