import { AppwriteException } from '../errors/appwrite-exception';
import { collectionQueries } from './collection-queries';
import { listInMemory } from './in-memory-list';

/** A query no store can serve is answered as such in memory too, not run on its stand-in filter. */
describe('listInMemory refuses what validation marked as unservable', () => {
  const queries = collectionQueries({ $id: 'string', name: 'string' } as const);
  const items = [{ id: 'a', name: 'Ann' }];
  const run = (...q: string[]) => listInMemory(items, queries.validate(q), (item, attribute) => (attribute === '$id' ? item.id : item.name), (item) => item.id);

  it.each([
    ['{"method":"search","attribute":"name","values":["x"]}', 'Searching by attribute "name" requires a fulltext index.'],
    ['{"method":"exists","values":["name"]}', 'Exists queries are not supported by this database'],
  ])('%s', (query, reason) => {
    expect(() => run(query)).toThrow(new AppwriteException('general_query_invalid', reason));
  });

  it('runs the rest', () => {
    expect(run('equal("name", "ann")').items).toEqual(items);
  });
});
