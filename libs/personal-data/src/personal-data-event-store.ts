import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  SealedFields,
  Subscription,
} from '@lib/event-store';
import type { DataKeys } from './data-keys';
import { ERASED, PersonalDataPolicy } from './personal-data-policy';
import { open, seal, SealBrokenError } from './sealing';

const METADATA_FIELDS = ['ip', 'userAgent'] as const;

/** What a sealed value was sealed for: its event, its stream and its fields, in order. */
const associatedData = (eventId: string, streamId: string, fields: readonly string[]) => Buffer.from(`personal-data/v1\n${eventId}\n${streamId}\n${fields.join(',')}`, 'utf8');

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
 * field, keeps the create path within its CPU budget.
 */
export class PersonalDataEventStore extends EventStore {
  /** Opened copies of the events the inner store hands to several readers at once (its subscriptions share them). */
  private readonly opened = new WeakMap<RecordedEvent, RecordedEvent | Promise<RecordedEvent>>();

  constructor(
    private readonly inner: EventStore,
    /** Owned: closed with this store. */
    readonly keys: DataKeys,
    private readonly policy: PersonalDataPolicy,
  ) {
    super();
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const subject = this.policy.subjectOf(streamId);
    if (subject === null) return this.inner.append(streamId, events, expected);
    const stored: EventToAppend[] = [];
    for (const event of events) stored.push(await this.sealEvent(subject, streamId, event));
    return this.inner.append(streamId, stored, expected);
  }

  private async sealEvent(subject: string, streamId: string, event: EventToAppend): Promise<EventToAppend> {
    if (this.policy.isErasure(event.type)) return event;
    const fields: string[] = [];
    const values: unknown[] = [];
    const data = { ...event.data };
    for (const field of this.policy.fieldsOf(event.type)) {
      const value = data[field];
      if (value === undefined || value === null || value === '') continue;
      fields.push(`data.${field}`);
      values.push(value);
      delete data[field];
    }
    const metadata = { ...event.metadata };
    for (const field of METADATA_FIELDS) {
      if (metadata[field] === '') continue;
      fields.push(`metadata.${field}`);
      values.push(metadata[field]);
      metadata[field] = '';
    }
    if (fields.length === 0) return event;
    const { id: keyId, key } = await this.keys.current(subject);
    const sealed: SealedFields = { v: 1, keyId, fields, value: seal(key, Buffer.from(JSON.stringify(values), 'utf8'), associatedData(event.id, streamId, fields)).toString('base64') };
    return { ...event, data, metadata: { ...metadata, sealed } };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId));
  }

  async readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(after, maxCount));
  }

  subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription {
    return this.inner.subscribeAll(
      after,
      async (event) => {
        this.noticeErasure(event);
        const opened = this.openEvent(event);
        await handler(opened instanceof Promise ? await opened : opened);
      },
      onError,
    );
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

  private async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    // An erasure anywhere in the batch voids the cached key before any of its events is opened.
    for (const event of events) this.noticeErasure(event);
    const keyIds = events.flatMap((e) => (e.metadata.sealed && this.keys.cached(e.metadata.sealed.keyId) === undefined ? [e.metadata.sealed.keyId] : []));
    if (keyIds.length > 0) await this.keys.load(keyIds);
    return Promise.all(events.map((e) => this.openEvent(e)));
  }

  private noticeErasure(event: RecordedEvent): void {
    if (!this.policy.isErasure(event.type)) return;
    const subject = this.policy.subjectOf(event.streamId);
    if (subject !== null) this.keys.forget(subject);
  }

  /** The event with its sealed fields back in place (synchronously when its key is in memory). */
  private openEvent(event: RecordedEvent): RecordedEvent | Promise<RecordedEvent> {
    const sealed = event.metadata.sealed;
    if (!sealed) return event;
    const known = this.opened.get(event);
    if (known) return known;
    const key = this.keys.cached(sealed.keyId);
    const opened = key === undefined ? this.keys.load([sealed.keyId]).then(() => restore(event, sealed, this.keys.cached(sealed.keyId)!)) : restore(event, sealed, key);
    this.opened.set(event, opened);
    return opened;
  }
}

/** The event as it was appended; every sealed field "[erased]" when its key was destroyed (null). */
function restore(event: RecordedEvent, sealed: SealedFields, key: Buffer | null): RecordedEvent {
  const values: unknown[] = key === null ? sealed.fields.map(() => ERASED) : openValues(event, sealed, key);
  const data = { ...event.data };
  const { sealed: _marker, ...metadata } = event.metadata;
  sealed.fields.forEach((path, i) => {
    if (path.startsWith('data.')) data[path.slice(5)] = values[i];
    else (metadata as Record<string, unknown>)[path.slice(9)] = values[i];
  });
  return { ...event, data, metadata };
}

function openValues(event: RecordedEvent, sealed: SealedFields, key: Buffer): unknown[] {
  try {
    return JSON.parse(open(key, Buffer.from(sealed.value, 'base64'), associatedData(event.id, event.streamId, sealed.fields)).toString('utf8'));
  } catch (err) {
    if (err instanceof SealBrokenError) throw new SealBrokenError(`event ${event.id} of ${event.streamId}: its sealed personal fields failed authentication (changed, or moved from another event)`, { cause: err });
    throw err;
  }
}
