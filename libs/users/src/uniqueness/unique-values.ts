import { Inject, Injectable } from '@nestjs/common';
import { COMMAND_DEPS, CommandContext, CommandDeps, handleCommand, loadStream, Undo, withoutClient } from '@lib/event-sourcing';
import { USER_STREAM, UserFields, userStreamId, UserTarget } from '../user';
import type { TargetProviderType } from '../user.events';
import { ReservationNames } from './reservation-names';
import { UNIQUE_VALUE, UniqueKind, UniqueValueTakenError } from './unique-value';

/** How long a claim whose owner never wrote the value blocks others. */
const CLAIM_LEASE_MS = 30_000;

export type UniqueValue = [UniqueKind, string];

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
   * Claims every value for `owner`; returns how to release them again. Throws
   * UniqueValueTakenError (after releasing what it had claimed) when someone else holds one.
   */
  async claimAll(ctx: CommandContext, projectId: string, values: UniqueValue[], owner: string, at: string): Promise<Undo> {
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
