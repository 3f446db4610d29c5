export * from './hashing-jobs';
export * from './kafka-hashing.adapter';
export * from './hasher.service';
export * from './start-hasher';
export * from './slots';
