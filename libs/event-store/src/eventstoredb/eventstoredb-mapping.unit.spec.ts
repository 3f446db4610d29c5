import { ANY, NO_STREAM, STREAM_EXISTS, StreamNotFoundError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../event-store.port';
import {
  isReportedPosition,
  isStreamNotFound,
  isSystemEvent,
  isTransientError,
  plainCause,
  toActualRevision,
  toAppendError,
  toEsdbExpectedRevision,
  toEventData,
  toRecordedEvent,
  toRevisionNumber,
} from './eventstoredb-mapping';

const metadata = {
  eventId: '6a0f0d1e-1b7e-4c39-8f5e-0a4b1c2d3e4f',
  occurredAt: '2024-01-01T00:00:00.000+00:00',
  schemaVersion: 1,
  actor: { type: 'apiKey' as const, id: 'key-1' },
  requestId: 'r1',
  ip: '127.0.0.1',
  userAgent: 'jest',
};

describe('EventStoreDB mapping', () => {
  it('maps expected revisions to the client constants and bigints', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => toEsdbExpectedRevision(bad)).toThrow(RangeError);
  });

  it('turns our event into JSON event data keyed by our id, metadata in the metadata field', () => {
    const data = toEventData({ id: 'b1c7f3a2-5d4e-4f60-8a9b-0c1d2e3f4a5b', type: 'user.created', data: { n: 1 }, metadata });
    expect(data).toEqual({
      id: 'b1c7f3a2-5d4e-4f60-8a9b-0c1d2e3f4a5b',
      contentType: 'application/json',
      type: 'user.created',
      data: { n: 1 },
      metadata,
    });
  });

  it('maps revisions and refuses ones a number cannot hold', () => {
    expect(toRevisionNumber(0n)).toBe(0);
    expect(toRevisionNumber(12345n)).toBe(12345);
    expect(() => toRevisionNumber(-1n)).toThrow(RangeError);
    expect(() => toRevisionNumber(2n ** 53n)).toThrow(RangeError);
    expect(toActualRevision(NO_STREAM)).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision(undefined)).toBe('no_stream');
    expect(toActualRevision(7n)).toBe(7);
  });

  it('maps the client WrongExpectedVersionError to WrongExpectedRevisionError with stream, expected and actual', () => {
    const fromClient = new WrongExpectedVersionError(undefined, { streamName: 'user-1', expected: 0n, current: 3n });
    const mapped = toAppendError(fromClient, 'user-1', 0);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'user-1', expected: 0, actual: 3 });
    expect((mapped as Error).message).toBe('Stream user-1: expected revision 0, actual 3');
    expect((mapped as Error).cause).toEqual({
      name: 'WrongExpectedVersionError',
      message: '',
      type: 'wrong-expected-version',
      streamName: 'user-1',
      expectedVersion: '0',
      actualVersion: '3',
    });

    const noStream = new WrongExpectedVersionError(undefined, { streamName: 'user-2', expected: STREAM_EXISTS, current: NO_STREAM });
    expect(toAppendError(noStream, 'user-2', 'stream_exists')).toMatchObject({
      streamId: 'user-2',
      expected: 'stream_exists',
      actual: 'no_stream',
    });

    // An error from another copy of the client package: recognised by its type tag.
    const foreign = Object.assign(new Error('Wrong expected version'), { type: 'wrong-expected-version', actualVersion: 0n });
    expect(toAppendError(foreign, 'user-3', 'no_stream')).toMatchObject({ streamId: 'user-3', expected: 'no_stream', actual: 0 });
  });

  it('keeps errors serialisable: the client error with its bigints becomes a plain cause that survives JSON and cloning', () => {
    const fromClient = new WrongExpectedVersionError(undefined, { streamName: 'user-1', expected: NO_STREAM, current: 7n });
    // This is what loses a whole spec file's results when jest sends a failure between processes.
    expect(() => JSON.stringify(fromClient)).toThrow(/BigInt/);
    const mapped = toAppendError(fromClient, 'user-1', 'no_stream') as WrongExpectedRevisionError;
    const overJson = JSON.parse(JSON.stringify(mapped));
    expect(overJson).toEqual({
      name: 'WrongExpectedRevisionError',
      streamId: 'user-1',
      expected: 'no_stream',
      actual: 7,
      cause: { name: 'WrongExpectedVersionError', message: '', type: 'wrong-expected-version', streamName: 'user-1', expectedVersion: 'no_stream', actualVersion: '7' },
    });
    expect(structuredClone(mapped.cause)).toEqual(mapped.cause);
    expect(structuredClone(mapped)).toMatchObject({ message: mapped.message });

    const unavailable = new UnavailableError(Object.assign(new Error('14 UNAVAILABLE: gone'), { code: 14, metadata: {} }) as never);
    expect(plainCause(unavailable)).toEqual({ name: 'UnavailableError', message: '14 UNAVAILABLE: gone', code: 14, type: 'unavailable' });
    expect(plainCause('boom')).toEqual({ name: 'string', message: 'boom' });
    expect(isTransientError(unavailable)).toBe(true);
    expect(isTransientError(fromClient)).toBe(false);
  });

  it('leaves every other error unchanged', () => {
    const other = new Error('unavailable');
    expect(toAppendError(other, 's', 'any')).toBe(other);
    expect(toAppendError('boom', 's', 'any')).toBe('boom');
    expect(toAppendError(undefined, 's', 'any')).toBeUndefined();
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'x'))).toBe(true);
    expect(isStreamNotFound({ type: 'stream-not-found' })).toBe(true);
    expect(isStreamNotFound(new Error('stream-not-found'))).toBe(false);
    expect(isStreamNotFound(null)).toBe(false);
  });

  it('treats system event types and system streams as not ours', () => {
    expect(isSystemEvent({ type: '$>', streamId: '$ce-user' })).toBe(true);
    expect(isSystemEvent({ type: '$metadata', streamId: '$$user-1' })).toBe(true);
    expect(isSystemEvent({ type: 'Result', streamId: '$projections-p-result' })).toBe(true);
    expect(isSystemEvent({ type: 'user.created', streamId: 'user-1' })).toBe(false);
  });

  it('accepts only positions the server really reported', () => {
    expect(isReportedPosition(undefined)).toBe(false);
    expect(isReportedPosition({ commit: 0n, prepare: 0n })).toBe(false);
    expect(isReportedPosition({ commit: 5n, prepare: 5n })).toBe(true);
  });

  it('maps a recorded event, and refuses events this store did not write', () => {
    const raw = {
      streamId: 'user-1',
      id: 'b1c7f3a2-5d4e-4f60-8a9b-0c1d2e3f4a5b',
      revision: 2n,
      type: 'user.updated',
      isJson: true,
      data: { name: 'x' },
      metadata,
    };
    expect(toRecordedEvent(raw, { commit: 300n, prepare: 300n })).toEqual({
      id: raw.id,
      type: 'user.updated',
      streamId: 'user-1',
      revision: 2,
      position: '00000000000000000300/00000000000000000300',
      sortKey: ((300n << 64n) | 300n).toString().padStart(40, '0'),
      data: { name: 'x' },
      metadata,
    });
    const position = { commit: 1n, prepare: 1n };
    expect(() => toRecordedEvent({ ...raw, isJson: false, data: new Uint8Array([1]) }, position)).toThrow(/not a JSON object/);
    expect(() => toRecordedEvent({ ...raw, data: [1, 2] }, position)).toThrow(/not a JSON object/);
    expect(() => toRecordedEvent({ ...raw, metadata: undefined }, position)).toThrow(/no JSON metadata/);
  });
});
