export * from './kafka-test-env';
