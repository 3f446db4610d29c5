export * from './hashing-jobs';
export * from './kafka-hashing.adapter';
export { parseBrokers, type KafkaLogger } from './kafka-support';
