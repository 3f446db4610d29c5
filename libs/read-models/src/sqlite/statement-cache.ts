import type Database from 'better-sqlite3';

/**
 * Prepared statements of dynamic SQL (list queries), kept by their text: the number of distinct
 * query shapes in use is small, and preparing costs more than running. Emptied when full.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly max = 256,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= this.max) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The `n` of a `SELECT count(*) AS n …`. */
  count(q: { sql: string; params: unknown[] }): number {
    return (this.get(q.sql).get(...q.params) as { n: number }).n;
  }
}
