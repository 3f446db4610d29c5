/**
 * Read-your-writes: a write answers only once the read models include it. Embedded, the
 * in-process projection runner knows; distributed, the gateway watches the projector's checkpoints.
 */
export abstract class ProjectionSync {
  abstract waitFor(position: string): Promise<void>;
}
