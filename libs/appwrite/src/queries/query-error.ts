/**
 * A rejected query. `message` is the detail Appwrite's Queries validator reports (e.g.
 * `Invalid query: limit 5`, `Query not valid: …`); the param layer prefixes `Invalid queries: `.
 * Kept separate from AppwriteException so the same detail can feed both a thrown 400 and a
 * validation rule's message.
 */
export class QueryError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'QueryError';
  }
}
