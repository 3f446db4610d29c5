import { AccessDirectory, ApiKeyRecord, ProjectRecord } from './access.read-model';

interface Cached<T> {
  stamp: number;
  value: T;
}

/** Projects remembered at most; past it the copy starts over (unknown ids must not grow it without bound). */
const MAX_PROJECTS = 10_000;

/**
 * The access read model in memory: every request looks its project and keys up, and they change
 * rarely. Each copy carries the stamp (`changes()`, the access projection's change counter) read
 * before it was fetched; a copy whose stamp is not the current one is fetched again, so a
 * revoked key is refused by the first request after the revocation is projected, exactly as
 * without the copy.
 */
export class CachedAccessDirectory extends AccessDirectory {
  private readonly projects = new Map<string, Cached<ProjectRecord | null>>();
  private readonly keys = new Map<string, Cached<ApiKeyRecord[]>>();

  constructor(
    private readonly source: AccessDirectory,
    private readonly changes: () => number,
  ) {
    super();
  }

  getProject(projectId: string): Promise<ProjectRecord | null> {
    return this.read(this.projects, projectId, () => this.source.getProject(projectId));
  }

  listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return this.read(this.keys, projectId, () => this.source.listApiKeys(projectId));
  }

  private async read<T>(copies: Map<string, Cached<T>>, projectId: string, fetch: () => Promise<T>): Promise<T> {
    const stamp = this.changes();
    const copy = copies.get(projectId);
    if (copy && copy.stamp === stamp) return copy.value;
    const value = await fetch();
    if (copies.size >= MAX_PROJECTS) copies.clear();
    copies.set(projectId, { stamp, value });
    return value;
  }
}
