import { randomUUID } from 'node:crypto';
import { EventStore, EventToAppend, ExpectedRevision, RecordedEvent } from '../../../event-store/src/event-store.port';
import { RequestContext } from './request-context';

export interface LoadedStream<S> {
  state: S;
  /** What to pass as expected revision when appending after this read. */
  expected: ExpectedRevision;
}

/** Turns decided events into stored ones with the full metadata, and loads streams into state. */
export class EventWriter {
  constructor(private readonly events: EventStore) {}

  async load<S, E>(streamId: string, initial: S, evolve: (s: S, e: E) => S, toEvent: (r: RecordedEvent) => E | null): Promise<LoadedStream<S>> {
    const recorded = await this.events.readStream(streamId);
    let state = initial;
    for (const r of recorded) {
      const e = toEvent(r);
      if (e !== null) state = evolve(state, e);
    }
    return { state, expected: recorded.length ? recorded[recorded.length - 1].revision : 'no_stream' };
  }

  append(
    streamId: string,
    decided: Array<{ type: string; data: object; occurredAt: string }>,
    expected: ExpectedRevision,
    ctx: Omit<RequestContext, 'projectId'>,
    schemaVersion: number,
  ) {
    const toAppend: EventToAppend[] = decided.map((e) => {
      const id = randomUUID();
      return {
        id,
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: {
          eventId: id,
          occurredAt: e.occurredAt,
          schemaVersion,
          actor: ctx.actor,
          requestId: ctx.requestId,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
      };
    });
    return this.events.append(streamId, toAppend, expected);
  }
}
