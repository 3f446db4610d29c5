import { createHash, type Hash } from 'node:crypto';
import { EventMetadata, EventStore, EventToAppend, RecordedEvent } from '@lib/event-store';
import { holdsUnsealedPersonalData, PersonalDataEventStore, type PersonalDataPolicy } from '@lib/personal-data';
import { isReservationStream, ReservationNames, ReservationRenames } from '@lib/users';

/**
 * The copy behind `npm run migrate-log`, adapter-generic: an event log written before
 * personal-data sealing (or partly after it) into a new one, through the seal. Every event keeps
 * its id, type, data, metadata, its place in its stream and in the global log; the personal fields
 * of user events are sealed on the way in (a fresh data key per user); email, phone and push-token
 * reservations take their keyed names (ReservationRenames). Reservation events lose the request's
 * ip and user agent, as this version writes them (no one's key can seal them), and unmapped
 * reservations are left out (nobody holds their values) and reported.
 */
export interface LogCopyOptions {
  /** The old log as stored. */
  source: EventStore;
  /**
   * The old log opened with its own keys, for a log that holds sealed events (an upgraded version
   * wrote into it); called at the first such event. Throws when the old keys are not to be had.
   */
  openSealedSource: () => Promise<{ events: EventStore; names: ReservationNames }>;
  /** The new log as stored: must be empty (or, resuming, hold the start of this very copy). */
  targetLog: EventStore;
  /** The same new log through the seal: every event is appended here. */
  target: PersonalDataEventStore;
  /** The new log's reservation names (its master key's). */
  names: ReservationNames;
  policy: PersonalDataPolicy;
  /** Go on from where an interrupted copy into this target stopped. */
  resume?: boolean;
  onProgress?: (progress: LogCopyProgress) => void;
}

export interface LogCopyProgress {
  phase: 'scan' | 'copy' | 'verify';
  done: number;
  total: number;
}

export interface UnmappedReservation {
  stream: string;
  events: number;
  /** Its last claimant, if the claim was not released (they never held the value). */
  claimedBy: string | null;
}

export interface LogCopySummary {
  /** Events of the old log. */
  events: number;
  /** Events appended by this run, and found already copied by an earlier one (`--resume`). */
  copied: number;
  alreadyCopied: number;
  /** Events of unmapped reservations, not copied. */
  left: number;
  streams: number;
  /** Users whose events are sealed in the new log, each with data keys of its own. */
  usersSealed: number;
  /** Events that were sealed in the old log already, opened with its keys and sealed again. */
  reopened: number;
  reservations: { renamed: number; unmapped: UnmappedReservation[]; merged: string[] };
  seconds: number;
}

export class LogCopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogCopyRefusedError';
  }
}

const BATCH = 500;

/** One pass of the old log, in order, `limit` events at most. */
async function* eventsOf(log: EventStore, limit = Infinity): AsyncGenerator<RecordedEvent> {
  let after: string | null = null;
  let seen = 0;
  while (seen < limit) {
    const batch = await log.readAll(after, BATCH);
    for (const event of batch) {
      if (seen++ >= limit) return;
      yield event;
    }
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1].position;
    // A turn of the event loop per batch: an adapter may keep a turn's reads (SQLite does), and a
    // pass that never yields would keep the whole log in memory.
    await new Promise((next) => setImmediate(next));
  }
}

/** What the scan learns: the values users named, the reservations' fates, the log's size. */
interface Scan {
  reader: EventStore;
  renames: ReservationRenames;
  total: number;
  lastPosition: string | null;
  reopened: number;
  /** Reservation stream → its events and last claimant. */
  reservations: Map<string, { events: number; claimedBy: string | null }>;
}

async function scan(options: LogCopyOptions): Promise<Scan> {
  const pass = async (reader: EventStore, renames: ReservationRenames): Promise<Scan> => {
    const result: Scan = { reader, renames, total: 0, lastPosition: null, reopened: 0, reservations: new Map() };
    for await (const event of eventsOf(reader)) {
      // Read as stored, a sealed event names its values only once opened: counted, and read again opened.
      if (event.metadata.sealed) {
        if (reader !== options.source) throw new Error(`event ${event.id} stayed sealed`);
        result.reopened++;
      }
      result.total++;
      result.lastPosition = event.position;
      renames.learn(event);
      if (isReservationStream(event.streamId)) {
        const r = result.reservations.get(event.streamId) ?? { events: 0, claimedBy: null };
        r.events++;
        r.claimedBy = event.type === 'UniqueValueClaimed' ? String(event.data.owner) : event.type === 'UniqueValueReleased' && r.claimedBy === event.data.owner ? null : r.claimedBy;
        result.reservations.set(event.streamId, r);
      }
      if (result.total % 10_000 === 0) options.onProgress?.({ phase: 'scan', done: result.total, total: 0 });
    }
    return result;
  };
  const stored = await pass(options.source, new ReservationRenames(options.names));
  if (stored.reopened === 0) return stored;
  const opened = await options.openSealedSource();
  return { ...(await pass(opened.events, new ReservationRenames(options.names, opened.names))), reopened: stored.reopened };
}

/** A running digest of event ids in log order: the copy and the new log must agree on it. */
const idChain = (): Hash => createHash('sha256');

export async function copyLog(options: LogCopyOptions): Promise<LogCopySummary> {
  const started = performance.now();
  const found = await scan(options);
  const { renames, reader } = found;
  const targetOf = new Map<string, string | null>();
  const nameOf = (streamId: string): string | null => {
    let name = targetOf.get(streamId);
    if (name === undefined) {
      const rename = renames.renameOf(streamId);
      name = rename.kind === 'same' ? streamId : rename.kind === 'renamed' ? rename.to : null;
      targetOf.set(streamId, name);
    }
    return name;
  };
  const unmapped: UnmappedReservation[] = [];
  const sourcesOf = new Map<string, string[]>();
  let renamed = 0;
  for (const [stream, r] of found.reservations) {
    const to = nameOf(stream);
    if (to === null) unmapped.push({ stream, events: r.events, claimedBy: r.claimedBy });
    else {
      if (to !== stream) renamed++;
      sourcesOf.set(to, [...(sourcesOf.get(to) ?? []), stream]);
    }
  }
  // Two old streams of one value (an old claim, and one an upgraded version made without seeing it): one stream, in log order.
  const merged = [...sourcesOf].filter(([, from]) => from.length > 1).map(([to]) => to);

  const done = await alreadyCopied(options);
  const revisions = done.revisions;
  const chain = idChain();
  const streams = new Set<string>();
  let position = 0;
  let copied = 0;
  let left = 0;
  let pending: { stream: string; events: EventToAppend[] } | null = null;
  const flush = async () => {
    if (!pending) return;
    const { stream, events } = pending;
    pending = null;
    const revision = revisions.get(stream);
    const result = await options.target.append(stream, events, revision === undefined ? 'no_stream' : revision);
    revisions.set(stream, result.nextRevision);
    copied += events.length;
  };
  let read = 0;
  for await (const event of eventsOf(reader, found.total)) {
    read++;
    const stream = nameOf(event.streamId);
    if (stream === null) {
      left++;
      continue;
    }
    streams.add(stream);
    chain.update(`${event.id}\n`);
    if (position++ < done.ids.length) {
      if (done.ids[position - 1] !== event.id) throw new LogCopyRefusedError(`the new log is not the start of this copy (its event ${position} is ${done.ids[position - 1]}, the copy's ${event.id}): it cannot be resumed; start over on an empty one`);
      continue;
    }
    const copy: EventToAppend = { id: event.id, type: event.type, data: event.data, metadata: copiedMetadata(event, options.policy.subjectOf(event.streamId) !== null) };
    if (options.policy.isErasure(event.type)) {
      // As the erase command does: the keys this copy sealed the person with go first, then the erasure is recorded.
      await flush();
      await options.target.destroyKeysOf(stream);
    }
    if (pending && pending.stream === stream && pending.events.length < BATCH) pending.events.push(copy);
    else {
      await flush();
      pending = { stream, events: [copy] };
    }
    if (read % 1000 === 0) options.onProgress?.({ phase: 'copy', done: read, total: found.total });
  }
  await flush();
  if (done.ids.length > position) throw new LogCopyRefusedError(`the new log holds ${done.ids.length - position} events after this copy's last: something else wrote into it; start over on an empty one`);
  if ((await reader.readAll(found.lastPosition, 1)).length > 0) {
    throw new LogCopyRefusedError('the old log grew while it was copied: stop every process of the old version, then run the copy again with --resume');
  }
  const verified = await verify(options, position);
  if (verified.chain !== chain.digest('hex')) throw new Error('the new log does not hold the events of the old one in their order');
  return {
    events: found.total,
    copied,
    alreadyCopied: done.ids.length,
    left,
    streams: streams.size,
    usersSealed: verified.usersSealed,
    reopened: found.reopened,
    reservations: { renamed, unmapped, merged },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * The metadata as stored anew: unsealed (the seal seals it again); the request's ip and agent kept
 * only on a person's own stream, as this version writes them (reservations, teams and memberships
 * are sealed with no one's key).
 */
function copiedMetadata(event: RecordedEvent, personsStream: boolean): EventMetadata {
  const { sealed: _sealed, ...metadata } = event.metadata;
  return personsStream ? metadata : { ...metadata, ip: '', userAgent: '' };
}

/** What an earlier, interrupted run copied: refused unless resuming, and then only a copy's start. */
async function alreadyCopied(options: LogCopyOptions): Promise<{ ids: string[]; revisions: Map<string, number> }> {
  const ids: string[] = [];
  const revisions = new Map<string, number>();
  if ((await options.targetLog.readAll(null, 1)).length === 0) return { ids, revisions };
  if (!options.resume) throw new LogCopyRefusedError('the new event log is not empty: give the copy a new log (DATA_DIR, EVENTSTORE_CONNECTION_STRING), or --resume an interrupted copy into it');
  for await (const event of eventsOf(options.targetLog)) {
    ids.push(event.id);
    revisions.set(event.streamId, event.revision);
  }
  return { ids, revisions };
}

/** Reads the new log as stored: every event in order (by their ids' digest), and no personal value in clear. */
async function verify(options: LogCopyOptions, expected: number): Promise<{ chain: string; usersSealed: number }> {
  const chain = idChain();
  const sealedSubjects = new Set<string>();
  let count = 0;
  for await (const event of eventsOf(options.targetLog)) {
    count++;
    chain.update(`${event.id}\n`);
    if (holdsUnsealedPersonalData(event, options.policy)) throw new Error(`event ${event.id} of the new log holds personal data in clear`);
    if (event.metadata.sealed) sealedSubjects.add(options.policy.subjectOf(event.streamId) ?? event.streamId);
    if (count % 10_000 === 0) options.onProgress?.({ phase: 'verify', done: count, total: expected });
  }
  if (count !== expected) throw new Error(`the new log holds ${count} events, the copy wrote ${expected}`);
  return { chain: chain.digest('hex'), usersSealed: sealedSubjects.size };
}
