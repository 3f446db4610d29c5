export * from './hashing-jobs';
export * from './kafka-hashing.adapter';
export { parseBrokers, type KafkaLogger } from '../../../messaging/src/kafka-support';
