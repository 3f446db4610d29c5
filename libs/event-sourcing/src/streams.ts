/**
 * Stream names carry their key: `<category>-<key part>:<key part>…`. The category comes before
 * the first `-` (EventStoreDB's convention, so `$ce-user` works there); `:` cannot occur in
 * Appwrite ids, so it separates the key parts unambiguously.
 */
export function streamName(category: string, ...keyParts: string[]): string {
  return `${category}-${keyParts.join(':')}`;
}

/**
 * The key parts of a stream of `category` with exactly `parts` parts (the last one may hold
 * `:`), or null for a stream of another category or shape.
 */
export function parseStreamName(category: string, streamId: string, parts: number): string[] | null {
  const prefix = `${category}-`;
  if (!streamId.startsWith(prefix)) return null;
  const rest = streamId.slice(prefix.length);
  const out: string[] = [];
  let from = 0;
  for (let i = 1; i < parts; i++) {
    const colon = rest.indexOf(':', from);
    if (colon < 0) return null;
    out.push(rest.slice(from, colon));
    from = colon + 1;
  }
  out.push(rest.slice(from));
  return out;
}
