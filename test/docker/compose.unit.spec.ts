import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV_VARS, loadConfig } from '@lib/platform';

/**
 * No Docker engine runs here, so docker-compose.yml and docker/Dockerfile are kept honest by
 * reading them: every service the code needs, every variable one the code knows, every
 * configuration one that loads, every address one that resolves to a service.
 */
const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
const services: Record<string, any> = compose.services;
const APPS = ['gateway', 'projector', 'hasher'];
const SECRETS = { HASHER_SHARED_KEY: 'k'.repeat(44), BOOTSTRAP_API_KEY: 'secret', DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };

/** ${VAR:-default} and ${VAR:?message} as compose resolves them with an empty environment plus `given`. */
function resolveEnv(environment: Record<string, string>, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(environment)) {
    out[key] = String(raw).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string, arg: string) => {
      if (given[name] !== undefined) return given[name];
      if (op === '-') return arg;
      throw new Error(`${name} is required: ${arg}`);
    });
  }
  return out;
}

describe('docker-compose.yml', () => {
  it('runs the whole distributed stack: EventStoreDB, Kafka 3.9 (KRaft), MongoDB 7 and the three apps', () => {
    expect(Object.keys(services).sort()).toEqual(['eventstore', 'gateway', 'hasher', 'kafka', 'mongodb', 'projector']);
    expect(services.kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.mongodb.image).toMatch(/^mongo:7\.\d+\.\d+$/);
    expect(services.eventstore.image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+/);
    expect(services.eventstore.environment.EVENTSTORE_INSECURE).toBe('true');
  });

  it('pins every image and gives every service a healthcheck (apps: in the Dockerfile)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) expect([name, service.image]).not.toEqual([name, expect.stringMatching(/:latest$|^[^:]+$/)]);
      if (APPS.includes(name)) expect(dockerfile).toMatch(new RegExp(`FROM runtime AS ${name}\\n(?:.*\\n)*?HEALTHCHECK`));
      else expect(service.healthcheck?.test).toBeDefined();
    }
  });

  it.each(APPS)('%s: built from docker/Dockerfile (multi-stage, non-root) with a target that exists', (app) => {
    const build = services[app].build;
    expect(build.dockerfile).toBe('docker/Dockerfile');
    expect(dockerfile).toContain(`AS ${build.target}\n`);
    expect(dockerfile).toMatch(/FROM .* AS build/);
    expect(dockerfile).toContain('USER node');
  });

  it.each(APPS)('%s: only variables the code reads, a configuration that loads, addresses of compose services', (app) => {
    const env = resolveEnv(services[app].environment, SECRETS);
    for (const key of Object.keys(env)) expect([app, key, key in ENV_VARS]).toEqual([app, key, true]);
    const config = loadConfig(env);
    const hosts = [
      ...config.kafkaBrokers.map((b) => b.split(':')[0]),
      ...(config.mongodbUrl ? [new URL(config.mongodbUrl).hostname] : []),
      ...(config.eventstoreConnectionString ? [new URL(config.eventstoreConnectionString.replace(/^esdb:/, 'http:')).hostname] : []),
    ];
    for (const host of hosts) expect(Object.keys(services)).toContain(host);
    for (const dependency of Object.keys(services[app].depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
  });

  it('exposes the gateway on its configured PORT and needs the secrets it must not default', () => {
    const env = resolveEnv(services.gateway.environment, SECRETS);
    expect(services.gateway.ports).toContain(`${env.PORT}:${env.PORT}`);
    expect(() => resolveEnv(services.gateway.environment, {})).toThrow(/required/);
    const gateway = loadConfig(env);
    expect([gateway.eventStore, gateway.readModel, gateway.hasher, gateway.projections]).toEqual(['eventstoredb', 'mongodb', 'kafka', 'external']);
    expect(() => resolveEnv(services.projector.environment, {})).toThrow(/DATA_ENCRYPTION_KEY is required/);
    const projector = loadConfig(resolveEnv(services.projector.environment, SECRETS));
    expect(projector.publisher).toBe('kafka');
    expect(projector.dataEncryptionKey).toEqual(gateway.dataEncryptionKey);
  });
});
