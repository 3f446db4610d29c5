import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecentCache,
  RecordedEvent,
  SealedFields,
  StreamAppend,
  Subscription,
} from '@lib/event-store';
import type { DataKey, DataKeys } from './data-keys';
import { LogSealingFinding, sealingOfLog } from './log-sealing';
import { ERASED, PersonalDataPolicy } from './personal-data-policy';
import { open, seal, SealBrokenError } from './sealing';

const METADATA_FIELDS = ['ip', 'userAgent'] as const;
/** A person whose next event gets a new key: they have none yet, or theirs was destroyed. */
const NO_KEY = '';
/** Persons whose key is remembered. */
const MEMORY = 10_000;
/**
 * Events whose personal values are kept in clear (a few hundred bytes each): what this process
 * sealed, for its projections, and what it opened, for a command on a stream whose state this
 * process no longer remembers (it then reads the whole stream). As many as the SQLite log keeps
 * of its latest events: the projections read back within that window. More only fills memory for as long as the process
 * runs (50,000 grew RSS through a whole 10-minute soak) to save a decrypt of a few µs.
 */
const PLAIN_MEMORY = 8192;
/**
 * Events sealed here that a live subscription has yet to read, kept until every subscription has
 * (a bulk import runs the projections seconds behind, tens of thousands of events: past the
 * window above, each would be opened again by each projection). Bounded for a subscription that
 * stops or stalls; the entries go as the projections pass them, so a process that keeps up holds
 * few.
 */
const UNREAD_MEMORY = 65_536;

/** The personal values of an event sealed or opened here, and how many live subscriptions are still to read it. */
interface PlainValues {
  subject: string;
  values: unknown[];
  unreadBy: number;
}

/** What a sealed value was sealed for: its event, its stream and its fields, in order. */
const associatedData = (eventId: string, streamId: string, fields: readonly string[]) => Buffer.from(`personal-data/v1\n${eventId}\n${streamId}\n${fields.join(',')}`, 'utf8');

/** Destroys the data keys of a person: what an erasure asks of the log. */
export abstract class PersonalDataErasure {
  /** Destroys every key the person's stream was sealed with, in the key store and in this process. */
  abstract destroyKeysOf(streamId: string): Promise<void>;
}

/** The personal values of one event, where they go back (`data.<field>`, `metadata.<field>`), in order. */
interface PersonalValues {
  fields: string[];
  values: unknown[];
  /** The fields of `data` and of the metadata among them. */
  dataFields: string[];
  metadataFields: Array<(typeof METADATA_FIELDS)[number]>;
}

/** `data.<field>`, made once per field name. */
const dataPaths = new Map<string, string>();
const dataPath = (field: string): string => {
  let path = dataPaths.get(field);
  if (path === undefined) dataPaths.set(field, (path = `data.${field}`));
  return path;
};
const METADATA_PATHS = { ip: 'metadata.ip', userAgent: 'metadata.userAgent' } as const;

/**
 * The event store as every reader and writer uses it: on the way in, the personal fields of a
 * person's events (the policy says which) are sealed with that person's data key; on the way out
 * they are opened again, or read "[erased]" once the key is destroyed. Projections, replays,
 * upcasters, the downstream publisher and the history endpoint all read through it; the stored
 * log (file, EventStoreDB) only ever holds the ciphertext. Events stored before sealing existed
 * carry no `metadata.sealed` marker and pass through as they are.
 *
 * One event's personal fields are sealed together, as one value (AES-256-GCM, a fresh 96-bit IV,
 * associated data: event id, stream and field names): one cipher operation per event, not per
 * field, keeps the create path within its CPU budget. A person's key is the one their stream's
 * latest sealed event names (its first event takes a fresh one, already stored); an erasure event
 * after it means a fresh one again.
 *
 * Events of the inner store are opened in place: this store owns it, and an event its
 * subscriptions share is then opened once, for all of them.
 */
export class PersonalDataEventStore extends EventStore implements PersonalDataErasure {
  /** Each person's current key id (NO_KEY: the next event takes a fresh one), as last read or written. */
  private readonly keyOf = new RecentCache<string, string>(MEMORY);
  /** The personal values of recent events by event id: read back without a cipher operation. */
  private readonly plain = new RecentCache<string, PlainValues>(PLAIN_MEMORY);
  /** The events sealed here not yet read by every live subscription (see UNREAD_MEMORY), by event id. */
  private readonly unread = new RecentCache<string, PlainValues>(UNREAD_MEMORY);
  private subscribers = 0;
  private readonly redactionListeners: Array<(streamId: string) => void> = [];

  constructor(
    private readonly inner: EventStore,
    /** Owned: closed with this store. */
    readonly keys: DataKeys,
    private readonly policy: PersonalDataPolicy,
  ) {
    super();
  }

  /**
   * The log as stored, personal fields sealed: for readers that need none of them (how far a
   * follower is behind: positions and `occurredAt`), which then cost no cipher operation and
   * leave the cache of opened values alone.
   */
  get stored(): EventStore {
    return this.inner;
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const subject = this.policy.subjectOf(streamId);
    return this.inner.append(streamId, subject === null ? events : await this.sealed(subject, streamId, events), expected);
  }

  override get appendsAtomically(): boolean {
    return this.inner.appendsAtomically;
  }

  override async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    const stored: StreamAppend[] = [];
    for (const a of appends) {
      const subject = this.policy.subjectOf(a.streamId);
      stored.push(subject === null ? a : { streamId: a.streamId, events: await this.sealed(subject, a.streamId, a.events), expected: a.expected });
    }
    return this.inner.appendToStreams(stored);
  }

  /** The events as stored: each person's personal fields sealed with their key. */
  private async sealed(subject: string, streamId: string, events: EventToAppend[]): Promise<EventToAppend[]> {
    let key: DataKey | null = null;
    const stored: EventToAppend[] = [];
    for (const event of events) {
      const personal = this.personalValuesOf(event);
      if (personal === null) {
        stored.push(event);
        continue;
      }
      key ??= await this.keyFor(subject, streamId);
      stored.push(sealEvent(event, streamId, personal, key));
      const plain: PlainValues = { subject, values: personal.values, unreadBy: this.subscribers };
      this.plain.set(event.id, plain);
      if (plain.unreadBy > 0) this.unread.set(event.id, plain);
    }
    return stored;
  }

  /** The event's values to seal; null when there is nothing to seal. */
  private personalValuesOf(event: EventToAppend): PersonalValues | null {
    if (this.policy.isErasure(event.type)) return null;
    const personal: PersonalValues = { fields: [], values: [], dataFields: [], metadataFields: [] };
    for (const field of this.policy.fieldsOf(event.type)) {
      const value = event.data[field];
      if (value === undefined || value === null || value === '') continue;
      personal.fields.push(dataPath(field));
      personal.values.push(value);
      personal.dataFields.push(field);
    }
    for (const field of METADATA_FIELDS) {
      if (event.metadata[field] === '') continue;
      personal.fields.push(METADATA_PATHS[field]);
      personal.values.push(event.metadata[field]);
      personal.metadataFields.push(field);
    }
    return personal.fields.length === 0 ? null : personal;
  }

  private async keyFor(subject: string, streamId: string): Promise<DataKey> {
    let keyId = this.keyOf.get(subject);
    // Not read here lately: the stream says (commands read it just before; this is the rare miss).
    if (keyId === undefined) keyId = latestKeyId(await this.inner.readStream(streamId), this.policy) ?? NO_KEY;
    if (keyId !== NO_KEY) {
      const key = this.keys.cached(keyId) ?? (await this.keys.load([{ keyId, subject }])).get(keyId);
      if (key) return { id: keyId, key };
    }
    const fresh = await this.keys.fresh(subject);
    this.keyOf.set(subject, fresh.id);
    return fresh;
  }

  async destroyKeysOf(streamId: string): Promise<void> {
    const subject = this.policy.subjectOf(streamId);
    if (subject === null) return;
    const keyIds = [...new Set((await this.inner.readStream(streamId)).flatMap((e) => (e.metadata.sealed ? [e.metadata.sealed.keyId] : [])))];
    this.forget(subject, streamId);
    await this.keys.destroy(keyIds);
  }

  async readStream(streamId: string, from = 0): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamId, from);
    const subject = this.policy.subjectOf(streamId);
    if (subject === null) return events;
    // What the next append to the stream seals with (the read before a command's append); a read
    // of the stream's end that names no key leaves what is known of the earlier events.
    const keyId = latestKeyId(events, this.policy);
    if (keyId !== undefined) this.keyOf.set(subject, keyId);
    else if (from === 0) this.keyOf.set(subject, NO_KEY);
    return this.openAll(events);
  }

  async readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]> {
    // Not remembered: a read of the log in batches (a replay, an export) reads no event twice.
    return this.openAll(await this.inner.readAll(after, maxCount), false);
  }

  subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription {
    this.subscribers++;
    let live = true;
    const ended = () => {
      if (live) this.subscribers--;
      live = false;
    };
    const subscription = this.inner.subscribeAll(
      after,
      (event) => {
        this.noticeErasure(event);
        const opening = this.openEvent(event);
        this.readBySubscriber(event.id);
        return opening ? opening.then(() => handler(event)) : handler(event);
      },
      (err) => {
        ended();
        onError?.(err);
      },
    );
    return {
      stop: () => {
        ended();
        return subscription.stop();
      },
    };
  }

  private readBySubscriber(eventId: string): void {
    const plain = this.unread.get(eventId);
    if (plain !== undefined && --plain.unreadBy <= 0) this.unread.delete(eventId);
  }

  /** How the stored log keeps personal data (see sealingOfLog): what a process checks before it runs on a log. */
  storedSealing(): Promise<LogSealingFinding> {
    return sealingOfLog(this.inner, this.policy);
  }

  override countAll(): Promise<number> {
    return this.inner.countAll();
  }

  comparePositions(a: string | null, b: string | null): number {
    return this.inner.comparePositions(a, b);
  }

  identity(): Promise<string> {
    return this.inner.identity();
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.keys.close();
  }

  private async openAll(events: RecordedEvent[], remember = true): Promise<RecordedEvent[]> {
    let sealed = false;
    // An erasure anywhere in the batch voids the cached keys before any of its events is opened.
    for (const event of events) {
      this.noticeErasure(event);
      sealed ||= event.metadata.sealed !== undefined;
    }
    if (!sealed) return events;
    // The batch's keys, held for it: the cache may not keep them all (a replay's batch of
    // thousands of persons), nor keep them across the key store's round trip.
    let keys: Map<string, Buffer | null> | null = null;
    let missing: Array<{ keyId: string; subject: string | null }> | null = null;
    for (const e of events) {
      const keyId = e.metadata.sealed?.keyId;
      if (keyId === undefined || keys?.has(keyId) || this.plain.has(e.id) || this.unread.has(e.id)) continue;
      const key = this.keys.cached(keyId);
      if (key !== undefined) (keys ??= new Map()).set(keyId, key);
      else (missing ??= []).push({ keyId, subject: this.policy.subjectOf(e.streamId) });
    }
    if (missing) for (const [keyId, key] of await this.keys.load(missing)) (keys ??= new Map()).set(keyId, key);
    let pending: Array<Promise<void>> | null = null;
    for (const e of events) {
      const opening = this.openEvent(e, keys, remember);
      if (opening) (pending ??= []).push(opening);
    }
    if (pending) await Promise.all(pending);
    return events;
  }

  private plainValuesOf(eventId: string): PlainValues | undefined {
    return this.plain.get(eventId) ?? this.unread.get(eventId);
  }

  /** An erasure read: another process destroyed the person's keys, and the next event takes a fresh one. */
  private noticeErasure(event: RecordedEvent): void {
    if (!this.policy.isErasure(event.type)) return;
    const subject = this.policy.subjectOf(event.streamId);
    if (subject !== null) this.forget(subject, event.streamId);
  }

  /** The person's stream is erased: nothing of what this process opened of it stays, here or with the listeners. */
  private forget(subject: string, streamId: string): void {
    this.keyOf.set(subject, NO_KEY);
    this.keys.forgetSubject(subject);
    for (const cache of [this.plain, this.unread]) for (const [id, entry] of [...cache.entries()]) if (entry.subject === subject) cache.delete(id);
    for (const listener of this.redactionListeners) listener(streamId);
  }

  /** Called on every erasure made here (destroyKeysOf) or read here (another process's erasure event). */
  override onStreamRedacted(listener: (streamId: string) => void): void {
    this.redactionListeners.push(listener);
  }

  /**
   * Puts the event's sealed fields back in place, with its key from `keys` if there, else from
   * memory; a promise only when its key had to be loaded. Idempotent: an opened event has no
   * `sealed` marker left.
   */
  private openEvent(event: RecordedEvent, keys: ReadonlyMap<string, Buffer | null> | null = null, remember = true): Promise<void> | null {
    const sealed = event.metadata.sealed;
    if (!sealed) return null;
    const plain = this.plainValuesOf(event.id);
    if (plain) {
      restore(event, sealed, plain.values);
      return null;
    }
    const known = keys?.get(sealed.keyId);
    const key = known !== undefined ? known : this.keys.cached(sealed.keyId);
    if (key !== undefined) {
      this.openWith(event, sealed, key, remember);
      return null;
    }
    // Once loaded, the key is known: opened again, the event takes what another reader (of this
    // object, or of its own copy) opened meanwhile, else is opened with it.
    return this.keys.load([{ keyId: sealed.keyId, subject: this.policy.subjectOf(event.streamId) }]).then((keys) => void this.openEvent(event, keys, remember));
  }

  /** Opens the event's sealed values with its key; every value "[erased]" when the key was destroyed (null). */
  private openWith(event: RecordedEvent, sealed: SealedFields, key: Buffer | null, remember: boolean): void {
    if (key === null) return restore(event, sealed, sealed.fields.map(() => ERASED));
    const values = openValues(event, sealed, key);
    if (remember) {
      const subject = this.policy.subjectOf(event.streamId);
      if (subject !== null) this.plain.set(event.id, { subject, values, unreadBy: 0 });
    }
    restore(event, sealed, values);
  }
}

/** What these events (a stream's, or its end) say of its current key: a key id, NO_KEY after an erasure, undefined when they say nothing. */
function latestKeyId(events: readonly RecordedEvent[], policy: PersonalDataPolicy): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    if (policy.isErasure(events[i].type)) return NO_KEY;
    const sealed = events[i].metadata.sealed;
    if (sealed) return sealed.keyId;
  }
  return undefined;
}

/** The event as stored: its personal fields out of `data` (the metadata's blank), sealed into `metadata.sealed`. */
function sealEvent(event: EventToAppend, streamId: string, personal: PersonalValues, key: DataKey): EventToAppend {
  const data: Record<string, unknown> = {};
  for (const field of Object.keys(event.data)) if (!personal.dataFields.includes(field)) data[field] = event.data[field];
  const value = seal(key.key, JSON.stringify(personal.values), associatedData(event.id, streamId, personal.fields)).toString('base64');
  const sealed: SealedFields = { v: 1, keyId: key.id, fields: personal.fields, value };
  const metadata = { ...event.metadata, sealed };
  for (const field of personal.metadataFields) metadata[field] = '';
  return { id: event.id, type: event.type, data, metadata };
}

/** Puts the values back into the event (in place), and clears its `sealed` marker. */
function restore(event: RecordedEvent, sealed: SealedFields, values: readonly unknown[]): void {
  const fields = sealed.fields;
  const metadata = event.metadata as unknown as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    // `data.<field>` or `metadata.<field>`.
    if (fields[i].charCodeAt(0) === 100) event.data[fields[i].slice(5)] = values[i];
    else metadata[fields[i].slice(9)] = values[i];
  }
  // Left undefined rather than deleted: a delete would turn the object into a slow dictionary.
  event.metadata.sealed = undefined;
}

function openValues(event: RecordedEvent, sealed: SealedFields, key: Buffer): unknown[] {
  try {
    return JSON.parse(open(key, Buffer.from(sealed.value, 'base64'), associatedData(event.id, event.streamId, sealed.fields)).toString('utf8'));
  } catch (err) {
    if (err instanceof SealBrokenError) throw new SealBrokenError(`event ${event.id} of ${event.streamId}: its sealed personal fields failed authentication (changed, or moved from another event)`, { cause: err });
    throw err;
  }
}
