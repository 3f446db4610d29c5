export * from './kafka-support';
