import { parseStreamName } from '@lib/event-sourcing';
import { parseUserStreamId } from '../user';
import type { TargetDetails, UserEventDataMap } from '../user.events';
import type { ReservationNames } from './reservation-names';
import { UniqueKind, uniqueValueDigest } from './unique-value';
import { targetIdentifierValue, UniqueValue } from './unique-values';

/** What the copy of a log calls one of its streams (see ReservationRenames). */
export type ReservationRename =
  /** Not a reservation stream, or one whose name does not change (target ids: plain SHA-256 names). */
  | { kind: 'same' }
  | { kind: 'renamed'; to: string }
  /** A reservation of a value no user event of the log names: nobody holds it (see ReservationRenames). */
  | { kind: 'unmapped' };

const KEYED_KINDS: ReadonlySet<string> = new Set<UniqueKind>(['email', 'phone', 'push']);

/** The unique values a stored user event names, opened (plaintext). */
function valuesNamedBy(type: string, data: Record<string, unknown>): UniqueValue[] {
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
  switch (type) {
    case 'UserCreated': {
      const d = data as Partial<UserEventDataMap['UserCreated']>;
      return [...(text(d.email) ? [['email', d.email] as UniqueValue] : []), ...(text(d.phone) ? [['phone', d.phone] as UniqueValue] : [])];
    }
    case 'UserEmailChanged':
      return text(data.email) ? [['email', data.email]] : [];
    case 'UserPhoneChanged':
      return text(data.phone) ? [['phone', data.phone]] : [];
    case 'TargetCreated':
    case 'TargetUpdated': {
      const t = data as Partial<TargetDetails>;
      return t.providerType && text(t.identifier) ? [targetIdentifierValue(t.providerType, t.identifier)] : [];
    }
    default:
      return [];
  }
}

/**
 * Renames the email, phone and push-token reservation streams of a log being copied into a new
 * one: from their name in the old log (the value's SHA-256 before names were keyed; or, in a log
 * an upgraded version wrote into, the keyed name under that deployment's master key) to the
 * keyed name under the new one. Never by the shape of a name (a keyed name and a plain hash are
 * both 64 hex digits): a name is renamed only when it is the name of a value some user event of
 * the log names (every email, phone and target identifier a user ever had, learnt first).
 *
 * A reservation stream that no such value names is unmapped: no user of the log ever held its
 * value (a claim undone when another value of the same request was taken, or a write that never
 * followed its claim), so it decides nothing a new claim of its value would not decide alike.
 */
export class ReservationRenames {
  /** `<project>\n<kind>` → name part in the old log → the value's digest. */
  private readonly known = new Map<string, Map<string, string>>();

  constructor(
    /** The names of the log being written. */
    private readonly target: ReservationNames,
    /** The names the old log's keyed streams have, when an upgraded version wrote into it. */
    private readonly source: ReservationNames | null = null,
  ) {}

  /** Learns the values a user event (opened: plaintext) names; other events are ignored. */
  learn(event: { streamId: string; type: string; data: Record<string, unknown> }): void {
    const user = parseUserStreamId(event.streamId);
    if (!user) return;
    for (const [kind, value] of valuesNamedBy(event.type, event.data)) {
      if (!KEYED_KINDS.has(kind)) continue;
      const scope = `${user.projectId}\n${kind}`;
      let parts = this.known.get(scope);
      if (!parts) this.known.set(scope, (parts = new Map()));
      const digest = uniqueValueDigest(value);
      parts.set(digest, digest);
      if (this.source) parts.set(this.namePart(this.source.streamIdOfDigest(user.projectId, kind, digest)), digest);
    }
  }

  /** What a stream of the old log is called in the copy. */
  renameOf(streamId: string): ReservationRename {
    const parts = parseStreamName('unique', streamId, 3);
    if (!parts) return { kind: 'same' };
    const [projectId, kind, name] = parts;
    if (kind === 'target') return { kind: 'same' };
    const digest = KEYED_KINDS.has(kind) ? this.known.get(`${projectId}\n${kind}`)?.get(name) : undefined;
    if (digest === undefined) return { kind: 'unmapped' };
    const to = this.target.streamIdOfDigest(projectId, kind as UniqueKind, digest);
    return to === streamId ? { kind: 'same' } : { kind: 'renamed', to };
  }

  private namePart(streamId: string): string {
    return streamId.slice(streamId.lastIndexOf(':') + 1);
  }
}

/** Whether a stream is a reservation of a unique value (its events are nobody's to seal). */
export const isReservationStream = (streamId: string): boolean => parseStreamName('unique', streamId, 3) !== null;
