import { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port';
import { EventWriter } from '../application/event-writer';
import { RequestContext } from '../application/request-context';
import { toUserEvent } from '../domain/recorded-user-event';
import { evolveUser, initialUserState } from '../domain/user.decider';
import { UniqueKind, uniqueValueStreamId, userStreamId } from '../shared/stream-names';
import { UniqueValueEvent, uniqueValueDecider } from './unique-value.decider';

const MAX_ATTEMPTS = 10;

/** Claims and releases unique emails/phones through their reservation streams (see the decider). */
export class UniqueValues {
  constructor(
    private readonly writer: EventWriter,
    /** How long a claim whose owner never wrote the value blocks others. */
    private readonly leaseMs = 30_000,
  ) {}

  /** Throws UniqueValueTakenError when someone else holds the value. */
  async claim(ctx: RequestContext, kind: UniqueKind, value: string, owner: string, at: string): Promise<void> {
    const streamId = uniqueValueStreamId(ctx.projectId, kind, value);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { state, expected } = await this.loadClaim(streamId);
      const currentOwnerHoldsValue =
        state.owner !== null && state.owner !== owner && (await this.holds(ctx.projectId, state.owner, kind, value));
      const events = uniqueValueDecider.decide(
        { type: 'ClaimUniqueValue', data: { owner, at, currentOwnerHoldsValue, leaseMs: this.leaseMs } },
        state,
      );
      if (events.length === 0) return;
      try {
        await this.writer.append(streamId, events.map((e) => ({ ...e, occurredAt: at })), expected, ctx, 1);
        return;
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
      }
    }
    throw new Error(`could not claim ${kind}: too much contention`);
  }

  /** Frees the value unless `owner` (still or again) holds it; a no-op for a value someone else owns. */
  async release(ctx: RequestContext, kind: UniqueKind, value: string, owner: string, at: string): Promise<void> {
    const streamId = uniqueValueStreamId(ctx.projectId, kind, value);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { state, expected } = await this.loadClaim(streamId);
      if (state.owner !== owner || (await this.holds(ctx.projectId, owner, kind, value))) return;
      const events = uniqueValueDecider.decide({ type: 'ReleaseUniqueValue', data: { owner } }, state);
      try {
        await this.writer.append(streamId, events.map((e) => ({ ...e, occurredAt: at })), expected, ctx, 1);
        return;
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
      }
    }
  }

  private loadClaim(streamId: string) {
    return this.writer.load(streamId, uniqueValueDecider.initialState(), uniqueValueDecider.evolve, (r) => r as unknown as UniqueValueEvent);
  }

  private async holds(projectId: string, userId: string, kind: UniqueKind, value: string): Promise<boolean> {
    const { state } = await this.writer.load(userStreamId(projectId, userId), initialUserState(), evolveUser, toUserEvent);
    return state.lifecycle === 'active' && state.user?.[kind] === value;
  }
}
