import { deriveKey } from '@lib/personal-data';
import { UniqueKind, uniqueDigestStreamId, uniqueValueDigest } from './unique-value';

/**
 * The names of reservation streams: keyed per project, derived from the master key
 * (DATA_ENCRYPTION_KEY), so every process of a deployment names a value's stream alike, with
 * no lookup. Nest's token for it, provided by the platform.
 */
export class ReservationNames {
  private readonly projectKeys = new Map<string, Buffer>();

  private constructor(private readonly secret: Buffer) {}

  static fromMasterKey(master: Buffer): ReservationNames {
    return new ReservationNames(deriveKey(master, 'reservation-names/v1'));
  }

  streamIdOf(projectId: string, kind: UniqueKind, value: string): string {
    return this.streamIdOfDigest(projectId, kind, uniqueValueDigest(value));
  }

  /** The stream of the value whose SHA-256 is `digest` (the name part of its stream in a log from before keyed names). */
  streamIdOfDigest(projectId: string, kind: UniqueKind, digest: string): string {
    let key = this.projectKeys.get(projectId);
    if (!key) this.projectKeys.set(projectId, (key = deriveKey(this.secret, `reservation-names/v1/${projectId}`)));
    return uniqueDigestStreamId(projectId, kind, digest, key);
  }
}
