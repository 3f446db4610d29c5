/**
 * The MongoDB driver, loaded when a MongoDB adapter is first used: the embedded stack never pays
 * its start-up time (about 160 ms) or memory (the BSON serializer alone reserves a 17 MB buffer).
 */
export const mongodb = (): typeof import('mongodb') => require('mongodb');
