import { randomFillSync } from 'node:crypto';

/*
 * Random bits drawn from the OS a block at a time: one draw serves 1,024 ids, where a draw per
 * id cost as much as formatting it.
 */
const RANDOM_BYTES = 10;
const pool = Buffer.alloc(RANDOM_BYTES * 1024);
let offset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A new event id: a UUID version 7 (RFC 9562), the millisecond of its making in the first 48
 * bits, then 74 random bits. Ids made later sort later, so the log's index of event ids (and
 * every read model keyed by them) grows at its end instead of touching a random page per event:
 * a commit writes a few pages where random ids dirtied one per event.
 */
export function newEventId(now = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += RANDOM_BYTES;
  const ms = now.toString(16).padStart(12, '0');
  return (
    `${ms.slice(0, 8)}-${ms.slice(8)}-7${HEX[pool[r] & 0x0f].slice(1)}${HEX[pool[r + 1]]}-` +
    `${HEX[(pool[r + 2] & 0x3f) | 0x80]}${HEX[pool[r + 3]]}-${HEX[pool[r + 4]]}${HEX[pool[r + 5]]}${HEX[pool[r + 6]]}${HEX[pool[r + 7]]}${HEX[pool[r + 8]]}${HEX[pool[r + 9]]}`
  );
}
