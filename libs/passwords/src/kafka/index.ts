export * from './hashing-jobs';
export * from './kafka-hashing.adapter';
export * from './kafka-hashing.options';
export * from './hasher.service';
export * from './start-hasher';
export * from './slots';
