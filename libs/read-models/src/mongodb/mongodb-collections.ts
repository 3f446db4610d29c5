import type { Db } from 'mongodb';
import { mongodb } from './mongodb-driver';

const NAMESPACE_NOT_FOUND = 26;
const NOT_IMPLEMENTED = 238;
const NAMESPACE_EXISTS = 48;
const ATTEMPTS = 50;

export function isNamespaceNotFound(err: unknown): boolean {
  return err instanceof mongodb().MongoServerError && (err.code === NAMESPACE_NOT_FOUND || /ns not found|does not exist/i.test(err.message));
}

/**
 * renameCollection with dropTarget replaces a collection atomically on MongoDB. FerretDB 1.24
 * does not implement dropTarget (NotImplemented, code 238): there the live collection is first
 * renamed aside, the new one takes its name, and the old one is dropped, so readers may find
 * the collection missing (an empty list) for the moment between the two renames.
 */
export async function replaceCollection(db: Db, from: string, to: string): Promise<void> {
  try {
    await db.renameCollection(from, to, { dropTarget: true });
    return;
  } catch (err) {
    // A rebuilt collection that nothing was written to does not exist: the live one is emptied instead.
    if (isNamespaceNotFound(err) && !(await exists(db, from))) {
      await db.collection(to).deleteMany({});
      return;
    }
    if (!(err instanceof mongodb().MongoServerError && err.code === NOT_IMPLEMENTED)) throw err;
  }
  if (!(await exists(db, from))) {
    await db.collection(to).deleteMany({});
    return;
  }
  const aside = `${to}__replaced_${Date.now()}`;
  let moved = false;
  try {
    await db.renameCollection(to, aside);
    moved = true;
  } catch (err) {
    if (!isNamespaceNotFound(err)) throw err;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await db.renameCollection(from, to);
      break;
    } catch (err) {
      // A straggler's write (or index creation) re-created the collection in between: what it
      // holds belongs to the old epoch and gets re-applied, so it goes too.
      if (!(err instanceof mongodb().MongoServerError && err.code === NAMESPACE_EXISTS) || attempt >= ATTEMPTS) throw err;
      await db.dropCollection(to).catch((e: unknown) => {
        if (!isNamespaceNotFound(e)) throw e;
      });
    }
  }
  if (moved) await db.dropCollection(aside);
}

async function exists(db: Db, name: string): Promise<boolean> {
  return (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
}
