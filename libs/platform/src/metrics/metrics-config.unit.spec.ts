import { ConfigError, loadConfig, loadHasherConfig } from '../config';

const HASHER_ENV = { KAFKA_BROKERS: 'localhost:9092', HASHER_SHARED_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('METRICS and METRICS_PORT', () => {
  it('on by default, on the app\'s HTTP port', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, port: null });
  });

  it('off, or on a port of its own', () => {
    expect(loadConfig({ METRICS: 'off' }).metrics.enabled).toBe(false);
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ enabled: true, port: 9464 });
  });

  it('refuses what it cannot mean: another switch value, a port out of range, the API\'s own port', () => {
    expect(() => loadConfig({ METRICS: 'yes' })).toThrow(new ConfigError('METRICS must be one of on, off; got "yes"'));
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be an integer between 1 and 65535/);
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT must differ from PORT/);
  });

  it('the hasher, whose only HTTP it is, serves it on METRICS_PORT, else on PORT', () => {
    expect(loadHasherConfig({ ...HASHER_ENV, PORT: '3300' }).metrics).toMatchObject({ enabled: true, port: 3300 });
    expect(loadHasherConfig({ ...HASHER_ENV, PORT: '3300', METRICS_PORT: '9464', HOST: '127.0.0.1' }).metrics).toMatchObject({ port: 9464, host: '127.0.0.1' });
    expect(loadHasherConfig({ ...HASHER_ENV, METRICS: 'off' }).metrics.enabled).toBe(false);
  });
});
