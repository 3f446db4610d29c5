export class ProjectionSwapError extends Error {
  constructor(projection: string, detail: string) {
    super(`Projection ${projection}: ${detail}; retry from the checkpoint`);
    this.name = 'ProjectionSwapError';
  }
}
