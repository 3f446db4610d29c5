/**
 * Read-your-writes: a write answers only once the read models include it. Embedded, the
 * in-process projection runner knows; distributed, the gateway watches the projector's checkpoints.
 */
export abstract class ProjectionSync {
  abstract waitFor(position: string): Promise<void>;
  /**
   * waitFor after many writes at once (a bulk import), whose read-model updates may take longer
   * than one write's wait: gives up only when the read models stop advancing.
   */
  abstract waitWhileAdvancing(position: string): Promise<void>;
}
