import {
  ANY,
  ErrorType,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import type { AppendExpectedRevision, EventData, Position } from '@eventstore/db-client';
import {
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { encodePosition, toSortKey } from './eventstoredb-position';

/** The fields of the client's RecordedEvent this adapter reads (stream reads and `$all` reads alike). */
export interface EsdbRecordedEventLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a non-negative integer, got ${String(expected)}`);
      }
      return BigInt(expected);
  }
}

/**
 * Our event as EventStoreDB event data: our id is the EventStoreDB event id (the server then
 * treats a retried append of the same ids as already done), our metadata goes to the event's
 * metadata field, both as JSON.
 */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  });
}

/** Revisions are u64 in EventStoreDB and numbers in the port: refuse to round silently. */
export function toRevisionNumber(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`EventStoreDB revision ${revision} does not fit the port's revision number`);
  }
  return Number(revision);
}

/** The client reports "no stream" as 'no_stream', and older paths as -1. */
export function toActualRevision(current: bigint | 'no_stream' | undefined): number | 'no_stream' {
  if (current === undefined || current === NO_STREAM || current < 0n) return 'no_stream';
  return toRevisionNumber(current);
}

/**
 * The client's WrongExpectedVersionError as the port's WrongExpectedRevisionError, with a plain copy
 * of it as `cause` (see plainCause); any other error unchanged.
 */
export function toAppendError(err: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!isWrongExpectedVersion(err)) return err;
  const mapped = new WrongExpectedRevisionError(streamId, expected, toActualRevision(err.actualVersion));
  (mapped as Error & { cause?: unknown }).cause = plainCause(err);
  return mapped;
}

/** What plainCause keeps of an error: its name, message and own plain fields, bigints as decimal text. */
export interface PlainCause {
  name: string;
  message: string;
  [field: string]: string | number | boolean;
}

/**
 * A copy of a client error that survives JSON and structured cloning. The client's errors hold
 * bigints (a WrongExpectedVersionError's expectedVersion/actualVersion) and the raw gRPC error
 * (`_raw`); jest sends test results between processes as JSON, and one bigint in a failed
 * assertion's error throws there and loses the results of the whole file.
 */
export function plainCause(err: unknown): PlainCause {
  if (typeof err !== 'object' || err === null) return { name: typeof err, message: String(err) };
  const fields = err as Record<string, unknown>;
  const className = err.constructor?.name;
  const name = className && className !== 'Error' && className !== 'Object' ? className : String(fields.name ?? 'Error');
  const out: PlainCause = { name, message: String(fields.message ?? '') };
  for (const [key, value] of Object.entries(fields)) {
    if (key in out || key.startsWith('_') || key === 'stack') continue;
    if (typeof value === 'bigint') out[key] = value.toString(10);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/**
 * Errors after which the append may or may not have been written (connection lost, deadline, the
 * node stepped down): retrying it with the same event ids is safe, the server recognises them.
 */
export function isTransientError(err: unknown): boolean {
  const type = errorType(err);
  return (
    type === ErrorType.UNAVAILABLE ||
    type === ErrorType.DEADLINE_EXCEEDED ||
    type === ErrorType.TIMEOUT ||
    type === ErrorType.NOT_LEADER
  );
}

export function isWrongExpectedVersion(err: unknown): err is Pick<WrongExpectedVersionError, 'actualVersion'> {
  // instanceof for the normal case; the `type` tag also recognises errors from a second copy of the client package.
  return err instanceof WrongExpectedVersionError || errorType(err) === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof StreamNotFoundError || errorType(err) === ErrorType.STREAM_NOT_FOUND;
}

function errorType(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
}

/**
 * EventStoreDB's own records: system event types (`$metadata`, `$statsCollected`, link events
 * `$>` written by the system projections, ...) and anything in a system stream (`$...`), e.g.
 * projection results. None of them is ours.
 */
export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * A position the server really reported. Stream reads carry positions only from EventStoreDB
 * 22.6 on; before that the fields arrive as 0/0, which no user event can have (the log starts
 * with the server's own records).
 */
export function isReportedPosition(position: Position | undefined): position is Position {
  return position !== undefined && (position.commit > 0n || position.prepare > 0n);
}

export function toRecordedEvent(event: EsdbRecordedEventLike, position: Position): RecordedEvent {
  if (!event.isJson || !isPlainObject(event.data)) {
    throw new Error(
      `Event ${event.id} in ${event.streamId} is not a JSON object event; this store only holds events appended through EventStoreDbEventStore`,
    );
  }
  if (!isPlainObject(event.metadata)) {
    throw new Error(`Event ${event.id} in ${event.streamId} has no JSON metadata`);
  }
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: toRevisionNumber(event.revision),
    position: encodePosition(position),
    sortKey: toSortKey(position),
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
