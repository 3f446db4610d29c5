import { CommandContext, CommandDeps, handleCommand, loadStream, Undo } from '@lib/event-sourcing';
import { USER_STREAM, userStreamId } from '../user';
import { UNIQUE_VALUE, UniqueKind, uniqueValueStreamId, UniqueValueTakenError } from './unique-value';

/** How long a claim whose owner never wrote the value blocks others. */
const CLAIM_LEASE_MS = 30_000;

export type UniqueValue = [UniqueKind, string];

export function uniqueValuesOf(u: { email: string | null; phone: string | null }): UniqueValue[] {
  const out: UniqueValue[] = [];
  if (u.email) out.push(['email', u.email]);
  if (u.phone) out.push(['phone', u.phone]);
  return out;
}

/** Claims and releases unique emails/phones of a project through their reservation streams. */
export class UniqueValues {
  constructor(private readonly deps: Pick<CommandDeps, 'events'>) {}

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
    await handleCommand(this.deps, UNIQUE_VALUE, uniqueValueStreamId(projectId, kind, value), async (state) => ({
      type: 'ClaimUniqueValue' as const,
      data: {
        owner,
        at,
        currentOwnerHoldsValue: state.owner !== null && state.owner !== owner && (await this.holds(projectId, state.owner, kind, value)),
        leaseMs: CLAIM_LEASE_MS,
      },
    }), ctx);
  }

  /** Frees the value unless `owner` (still or again) holds it; a no-op for a value someone else owns. */
  async release(ctx: CommandContext, projectId: string, kind: UniqueKind, value: string, owner: string, at: string): Promise<void> {
    if (await this.holds(projectId, owner, kind, value)) return;
    await handleCommand(this.deps, UNIQUE_VALUE, uniqueValueStreamId(projectId, kind, value), { type: 'ReleaseUniqueValue', data: { owner, at } }, ctx);
  }

  async releaseAll(ctx: CommandContext, projectId: string, values: UniqueValue[], owner: string, at: string): Promise<void> {
    for (const [kind, value] of values) await this.release(ctx, projectId, kind, value, owner, at);
  }

  private async holds(projectId: string, userId: string, kind: UniqueKind, value: string): Promise<boolean> {
    const { state } = await loadStream(this.deps.events, userStreamId(projectId, userId), USER_STREAM);
    return state.lifecycle === 'active' && state.user?.[kind] === value;
  }
}

export { UniqueValueTakenError };
