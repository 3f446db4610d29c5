import type Database from 'better-sqlite3';
import type { ListResult } from '../read-model';
import { registerRegexFunction } from './sqlite-regex';
import { PlannedSqlList, runPlannedList } from './sqlite-list-plan';

/**
 * Prepared statements of dynamic SQL (list queries), kept by their text: the number of distinct
 * query shapes in use is small, and preparing costs more than running. Emptied when full. The
 * connection also gets the functions list queries call (the `regex` matcher).
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly max = 256,
  ) {
    registerRegexFunction(db);
  }

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= this.max) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The `n` of a `SELECT count(*) AS n …`; 0 without a count (the `total` parameter was false). */
  count(q: { sql: string; params: unknown[] } | null): number {
    if (q === null) return 0;
    return (this.get(q.sql).get(...q.params) as { n: number }).n;
  }

  /**
   * The total and the page of a compiled list query (its rows mapped, back in the requested
   * order after a cursorBefore). Run it inside a read transaction, so both come from one snapshot.
   */
  list<Row, T>(compiled: { count: { sql: string; params: unknown[] } | null; page: { sql: string; params: unknown[] } | null; reverse: boolean }, map: (row: Row) => T): ListResult<T> {
    const total = this.count(compiled.count);
    if (compiled.page === null) return { total, items: [] };
    const rows = this.get(compiled.page.sql).all(...compiled.page.params) as Row[];
    if (compiled.reverse) rows.reverse();
    return { total, items: rows.map(map) };
  }

  /** A planned list (sqlite-list-plan.ts); inside a read transaction, like `list`. */
  listPlanned<Row, T>(plan: PlannedSqlList, map: (row: Row) => T): ListResult<T> {
    return runPlannedList<Row, T>(
      { all: (sql, params) => this.get(sql).all(...params) as Row[], count: (sql, params) => (this.get(sql).get(...params) as { n: number }).n },
      plan,
      map,
    );
  }
}
