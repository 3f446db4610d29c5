import { collectionQueries } from './collection-queries';
import { listInMemory } from './in-memory-list';

interface Row {
  id: string;
  name: string | null;
  kind: string;
}
const TYPES = { $id: 'string', name: 'string', kind: 'string' } as const;
const queries = collectionQueries<keyof typeof TYPES>(TYPES);
const rows: Row[] = [
  { id: 'a', name: 'Zed', kind: 'email' },
  { id: 'b', name: null, kind: 'sms' },
  { id: 'c', name: 'anna', kind: 'email' },
  { id: 'd', name: 'Bob', kind: 'push' },
];
const field = (r: Row, a: keyof typeof TYPES) => (a === '$id' ? r.id : r[a]);
const run = (q: string[]) => listInMemory(rows, queries.validate(q), field, (r) => r.id);
const ids = (q: string[]) => run(q).items.map((r) => r.id);

describe('listInMemory', () => {
  it('keeps creation order, filters case-insensitively and counts every match', () => {
    expect(ids([])).toEqual(['a', 'b', 'c', 'd']);
    expect(run(['equal("kind", ["EMAIL"])'])).toEqual({ total: 2, items: [rows[0], rows[2]] });
    expect(ids(['startsWith("name", ["b"])'])).toEqual(['d']);
    expect(ids(['isNull("name")'])).toEqual(['b']);
    expect(ids(['notEqual("kind", ["email"])'])).toEqual(['b', 'd']);
  });

  it('orders with nulls first ascending, last descending', () => {
    expect(ids(['orderAsc("name")'])).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(['orderDesc("name")'])).toEqual(['a', 'd', 'c', 'b']);
  });

  it('pages with limit, offset and cursors both ways', () => {
    expect(run(['limit(2)', 'offset(1)'])).toEqual({ total: 4, items: [rows[1], rows[2]] });
    expect(ids(['cursorAfter("b")', 'limit(1)'])).toEqual(['c']);
    expect(ids(['cursorBefore("d")', 'limit(2)'])).toEqual(['b', 'c']);
    expect(ids(['cursorBefore("d")', 'limit(2)', 'offset(1)'])).toEqual(['a', 'b']);
  });
});
