import { Inject, Injectable } from '@nestjs/common';
import type { StreamAppend } from '@lib/event-store';
import { COMMAND_DEPS, CommandContext, CommandDeps, EventSchema, DomainEvent, handleCommand, loadStream, Prepared, toEventsToAppend, Undo, withoutClient } from '@lib/event-sourcing';
import { USER_STREAM, UserFields, userStreamId, UserTarget } from '../user';
import type { TargetProviderType } from '../user.events';
import { ReservationNames } from './reservation-names';
import { UNIQUE_VALUE, UniqueKind, UniqueValueTakenError } from './unique-value';

/** How long a claim whose owner never wrote the value blocks others. */
const CLAIM_LEASE_MS = 30_000;

export type UniqueValue = [UniqueKind, string];

/** One owner's values to claim in a batch (see UniqueValues.claimBatch). */
export interface ClaimRequest {
  owner: string;
  values: UniqueValue[];
  at: string;
}

/** A batch claim's outcome for one owner: how to release its values, or why they are not its. */
export type ClaimOutcome = { undo: Undo } | { error: unknown };

export function uniqueValuesOf(u: { email: string | null; phone: string | null; targets?: readonly UserTarget[] }): UniqueValue[] {
  const out: UniqueValue[] = [];
  if (u.email) out.push(['email', u.email]);
  if (u.phone) out.push(['phone', u.phone]);
  for (const t of u.targets ?? []) {
    out.push(['target', t.id]);
    const identifier = targetIdentifierValue(t.providerType, t.identifier);
    if (!out.some(([k, v]) => k === identifier[0] && v === identifier[1])) out.push(identifier);
  }
  return out;
}

/** The unique value a target's identifier takes (see UniqueKind). */
export const targetIdentifierValue = (providerType: TargetProviderType, identifier: string): UniqueValue => [
  providerType === 'email' ? 'email' : providerType === 'sms' ? 'phone' : 'push',
  identifier,
];

/** Whether this user record holds the value (as its email or phone, or in one of its targets). */
export function userHolds(user: UserFields, kind: UniqueKind, value: string): boolean {
  if ((kind === 'email' || kind === 'phone') && user[kind] === value) return true;
  if (kind === 'target') return user.targets.some((t) => t.id === value);
  return user.targets.some((t) => {
    const [k, v] = targetIdentifierValue(t.providerType, t.identifier);
    return k === kind && v === value;
  });
}

/**
 * Claims and releases unique emails/phones of a project through their reservation streams. Their
 * events record who asked and when, not from where (`withoutClient`): the request's ip and user
 * agent are a person's, and these streams are not sealed with anyone's key.
 */
@Injectable()
export class UniqueValues {
  private readonly deps: Pick<CommandDeps, 'events'>;
  constructor(@Inject(COMMAND_DEPS) deps: CommandDeps, private readonly names: ReservationNames) {
    // No read-your-writes wait per claim: the user's own append, which follows, waits for the read models.
    this.deps = { events: deps.events };
  }

  /**
   * Claims every value for `owner`, as a command's `prepare` (handleCommand). Where the store
   * appends atomically, the claims are decided and returned for the command's own append to commit
   * them with its events: both or neither, one commit. Elsewhere each is appended first and how to
   * release them again is returned (a crash before the command's append leaves a claim whose owner
   * does not hold the value: its lease runs out). Throws UniqueValueTakenError (after releasing
   * what it had claimed) when someone else holds one.
   */
  async claimAll(ctx: CommandContext, projectId: string, values: UniqueValue[], owner: string, at: string): Promise<Prepared> {
    if (this.deps.events.appendsAtomically) return { alongside: await this.claimAppends(ctx, projectId, values, owner, at) };
    const claimed: UniqueValue[] = [];
    const undo = async () => {
      for (const [kind, value] of claimed) await this.release(ctx, projectId, kind, value, owner, at);
    };
    try {
      for (const [kind, value] of values) {
        await this.claim(ctx, projectId, kind, value, owner, at);
        claimed.push([kind, value]);
      }
    } catch (err) {
      await undo();
      throw err;
    }
    return undo;
  }

  /**
   * The appends that claim every value for `owner`, decided and not yet written: for the owner's
   * own append to commit them with its events (EventStore.appendToStreams, where appendsAtomically).
   * None for a value the owner holds already. Throws UniqueValueTakenError when someone else holds one.
   */
  async claimAppends(ctx: CommandContext, projectId: string, values: UniqueValue[], owner: string, at: string): Promise<StreamAppend[]> {
    const clientless = withoutClient(ctx);
    const appends: StreamAppend[] = [];
    for (const [kind, value] of values) {
      const { streamId, expected, events } = await this.decideClaim(projectId, kind, value, owner, at);
      if (events.length > 0) appends.push({ streamId, events: toEventsToAppend(events, clientless, UNIQUE_VALUE.schema as EventSchema<DomainEvent>), expected });
    }
    return appends;
  }

  /** A claim of the value for `owner` as decided on its stream's events: none when the owner holds it already. */
  private async decideClaim(projectId: string, kind: UniqueKind, value: string, owner: string, at: string) {
    const streamId = this.names.streamIdOf(projectId, kind, value);
    const { state, expected } = await loadStream(this.deps.events, streamId, UNIQUE_VALUE);
    const currentOwnerHoldsValue = state.owner !== null && state.owner !== owner && (await this.holds(projectId, state.owner, kind, value));
    try {
      const events = UNIQUE_VALUE.decider.decide({ type: 'ClaimUniqueValue', data: { owner, at, currentOwnerHoldsValue, leaseMs: CLAIM_LEASE_MS } }, state);
      return { streamId, expected, events };
    } catch (err) {
      throw err instanceof UniqueValueTakenError ? new UniqueValueTakenError(err.owner, kind) : err;
    }
  }

  /**
   * Claims the values of many owners at once, as claimAll would claim each owner's, but with one
   * read of every value's stream and all their appends issued together (one commit): an import's
   * thousands of users. Per owner: all its values, or none (what it had claimed is released
   * again, the error says why: UniqueValueTakenError with its kind, WrongExpectedRevisionError
   * when a concurrent claim came between the read and the append). The owners' values must not
   * overlap (the import's within-file check).
   */
  async claimBatch(ctx: CommandContext, projectId: string, requests: readonly ClaimRequest[]): Promise<ClaimOutcome[]> {
    const clientless = withoutClient(ctx);
    const decided = await Promise.all(
      requests.map(async ({ owner, at, values }) => {
        try {
          return await Promise.all(values.map(([kind, value]) => this.decideClaim(projectId, kind, value, owner, at)));
        } catch (error) {
          return { error };
        }
      }),
    );
    const appends = decided.flatMap((d) => ('error' in d ? [] : d.filter((a) => a.events.length > 0)));
    // Every stream recorded first, so that the appends below are issued in one turn and share a commit.
    try {
      if (ctx.execution) await Promise.all(appends.map((a) => ctx.execution!.beforeAppend(a.streamId)));
    } catch (error) {
      // Nothing appended yet: every owner fails alike (the attempt no longer holds its key).
      return requests.map(() => ({ error }));
    }
    const schema = UNIQUE_VALUE.schema as EventSchema<DomainEvent>;
    const appended = new Map(appends.map((a) => [a, this.deps.events.append(a.streamId, toEventsToAppend(a.events, clientless, schema), a.expected).then(() => null, (error: unknown) => ({ error }))]));
    return Promise.all(
      decided.map(async (d, i): Promise<ClaimOutcome> => {
        const { owner, at, values } = requests[i];
        const undo = () => this.releaseAll(ctx, projectId, values, owner, at);
        if ('error' in d) return d;
        const failures = (await Promise.all(d.map((a) => appended.get(a) ?? null))).filter((f) => f !== null);
        if (failures.length === 0) return { undo };
        // Releasing what was not claimed is a no-op (the owner's release only frees its own claim).
        await undo();
        return failures[0]!;
      }),
    );
  }

  private async claim(ctx: CommandContext, projectId: string, kind: UniqueKind, value: string, owner: string, at: string): Promise<void> {
    try {
      await handleCommand(this.deps, UNIQUE_VALUE, this.names.streamIdOf(projectId, kind, value), async (state) => ({
        type: 'ClaimUniqueValue' as const,
        data: {
          owner,
          at,
          currentOwnerHoldsValue: state.owner !== null && state.owner !== owner && (await this.holds(projectId, state.owner, kind, value)),
          leaseMs: CLAIM_LEASE_MS,
        },
      }), withoutClient(ctx));
    } catch (err) {
      throw err instanceof UniqueValueTakenError ? new UniqueValueTakenError(err.owner, kind) : err;
    }
  }

  /** Frees the value unless `owner` (still or again) holds it; a no-op for a value someone else owns. */
  async release(ctx: CommandContext, projectId: string, kind: UniqueKind, value: string, owner: string, at: string): Promise<void> {
    if (await this.holds(projectId, owner, kind, value)) return;
    await handleCommand(this.deps, UNIQUE_VALUE, this.names.streamIdOf(projectId, kind, value), { type: 'ReleaseUniqueValue', data: { owner, at } }, withoutClient(ctx));
  }

  async releaseAll(ctx: CommandContext, projectId: string, values: UniqueValue[], owner: string, at: string): Promise<void> {
    for (const [kind, value] of values) await this.release(ctx, projectId, kind, value, owner, at);
  }

  private async holds(projectId: string, userId: string, kind: UniqueKind, value: string): Promise<boolean> {
    const { state } = await loadStream(this.deps.events, userStreamId(projectId, userId), USER_STREAM);
    return state.lifecycle === 'active' && state.user !== null && userHolds(state.user, kind, value);
  }
}

export { UniqueValueTakenError };
