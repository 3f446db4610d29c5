import type { Collection, Document } from 'mongodb';
import { compareCodePoints, LIST_TOTAL_CAP } from '@lib/appwrite';
import type { CompiledMongoList } from './mongodb-list-query';
import type { StoredDoc } from './mongodb-storage';

/*
 * Runs a compiled list query (mongodb-list-query.ts) on its collection: the total (unless the
 * `total` parameter said false) and the page, in the requested order.
 */

/**
 * `projection`: what a read returns (an exclusion projection). No snapshot spans the two reads
 * (no transactions): a write landing between them can make the total and the page differ by it.
 */
export async function runMongoList(collection: Collection<StoredDoc>, compiled: CompiledMongoList, projection: Document): Promise<{ total: number; docs: Document[] }> {
  const page = compiled.page;
  const [total, docs] = await Promise.all([
    // Counting stops at the cap: the server never walks more than LIST_TOTAL_CAP matches.
    compiled.count ? collection.countDocuments(compiled.filter, { limit: LIST_TOTAL_CAP }) : Promise.resolve(0),
    page === null
      ? Promise.resolve([] as Document[])
      : page.random
        ? randomPage(collection, page, projection)
        : collection.find(page.filter, { projection, sort: page.sort, skip: page.skip, limit: page.limit }).toArray(),
  ]);
  if (compiled.reverse) docs.reverse();
  return { total, docs };
}

/**
 * A page of a random order (orderRandom), which `find` cannot sort by: the sort keys before the
 * random one are read for every match, each match draws a random number, and the page is the
 * slice of that order -- a uniform shuffle within ties, as SQLite's ORDER BY ..., random() gives.
 * Reading every match's keys is what ORDER BY random() costs a SQL database too.
 */
async function randomPage(collection: Collection<StoredDoc>, page: NonNullable<CompiledMongoList['page']>, projection: Document): Promise<Document[]> {
  const keyProjection: Document = { _id: 1, ...Object.fromEntries(page.sort.map(([field]) => [field, 1])) };
  const drawn = (await collection.find(page.filter, { projection: keyProjection }).toArray()).map((doc) => ({ doc, draw: Math.random() }));
  drawn.sort((a, b) => {
    for (const [field, direction] of page.sort) {
      const d = compareSortValues(a.doc[field], b.doc[field]);
      if (d !== 0) return d * direction;
    }
    return a.draw - b.draw;
  });
  const ids = drawn.slice(page.skip, page.skip + page.limit).map(({ doc }) => doc._id as string);
  if (ids.length === 0) return [];
  // The page's documents, fetched with their _id (to put them in the drawn order) and handed back without it.
  const { _id: _excluded, ...withId } = projection;
  const docs = await collection.find({ _id: { $in: ids } }, { projection: withId }).toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  return ids.flatMap((id) => {
    const doc = byId.get(id);
    if (doc === undefined) return [];
    const { _id, ...rest } = doc;
    return [rest];
  });
}

/** BSON sort order for the values list fields hold: null (or missing) < numbers < strings (by code point) < booleans. */
export function compareSortValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}
