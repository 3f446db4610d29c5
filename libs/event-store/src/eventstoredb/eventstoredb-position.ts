import type { Position } from '@eventstore/db-client';

/**
 * The port's positions are opaque strings; EventStoreDB's `$all` positions are a pair of
 * unsigned 64-bit integers {commit, prepare}, ordered by commit, then prepare.
 *
 * Encoding: both numbers in decimal, zero-padded to 20 digits (the width of 2^64 - 1), joined
 * by a slash: `00000000000000012345/00000000000000012345`. Every encoded position has the same
 * length and the slash sits at the same index, so plain string order equals position order
 * (handy for logs, checkpoints stored as text, and ORDER BY in a read store), and decoding is
 * exact: no Number() on the way, so positions past 2^53 survive.
 */

const DIGITS = 20;
const MAX_U64 = (1n << 64n) - 1n;
const ENCODED = /^(\d{20})\/(\d{20})$/;

export function encodePosition(position: Position): string {
  return `${encodePart(position.commit, 'commit')}/${encodePart(position.prepare, 'prepare')}`;
}

export function decodePosition(encoded: string): Position {
  const match = ENCODED.exec(encoded);
  if (!match) throw new Error(`Not an EventStoreDB position: ${JSON.stringify(encoded)} (expected 20 digits/20 digits)`);
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_U64 || prepare > MAX_U64) throw new Error(`EventStoreDB position out of range: ${encoded}`);
  return { commit, prepare };
}

/** Negative if a < b, 0 if equal, positive if a > b (commit first, then prepare). */
export function compareDecodedPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The port's comparePositions: on the decoded numbers; null (the start of the log) sorts first. */
export function compareEncodedPositions(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareDecodedPositions(decodePosition(a), decodePosition(b));
}

function encodePart(value: bigint, name: string): string {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new Error(`EventStoreDB ${name} position must be an unsigned 64-bit bigint, got ${String(value)}`);
  }
  return value.toString(10).padStart(DIGITS, '0');
}

const SORT_KEY_DIGITS = 40;
const SORT_KEY = /^\d{40}$/;

/**
 * The port's `sortKey`: the position as one unsigned 128-bit number, commit in the high 64 bits and
 * prepare in the low 64 (so its order is position order), in decimal zero-padded to 40 digits
 * (2^128 - 1 has 39), so that plain text order is log order too.
 */
export function toSortKey(position: Position): string {
  const commit = BigInt(encodePart(position.commit, 'commit'));
  const prepare = BigInt(encodePart(position.prepare, 'prepare'));
  return ((commit << 64n) | prepare).toString(10).padStart(SORT_KEY_DIGITS, '0');
}

/** The position a sortKey was made from (for tests and diagnostics; stores keep passing positions). */
export function fromSortKey(sortKey: string): Position {
  if (!SORT_KEY.test(sortKey)) throw new Error(`Not an EventStoreDB sort key: ${JSON.stringify(sortKey)} (expected 40 digits)`);
  const value = BigInt(sortKey);
  if (value >> 128n !== 0n) throw new Error(`EventStoreDB sort key out of range: ${sortKey}`);
  return { commit: value >> 64n, prepare: value & MAX_U64 };
}
