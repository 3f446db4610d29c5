/** The composition root every app shares: configuration, logger, adapters, the platform module. */
export * from './config';
export * from './logger';
export * from './adapters';
export * from './read-models';
export * from './platform.module';
export * from './run-process';
export * from './jwt-key';
export * from './personal-data';
export * from './unsealed-log-guard';
export * from './metrics/service-metrics';
export { serveMetrics, type MetricsListener, type MetricsListenOptions } from './metrics/metrics-endpoint';
