import { resolve } from 'node:path';

/** Every setting the gateway reads, from the environment, in one place (README's configuration table). */
export interface GatewayConfig {
  port: number;
  host: string;
  dataDir: string;
  bootstrapProjectId: string | null;
  bootstrapApiKey: string | null;
  logLevel: string;
  appwriteVersion: string;
  hashingPoolSize: number | undefined;
  /** Hash jobs allowed to wait for a worker; beyond it a request gets 503 instead of piling up memory. */
  hashingQueueLimit: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    bootstrapProjectId: env.BOOTSTRAP_PROJECT_ID || null,
    bootstrapApiKey: env.BOOTSTRAP_API_KEY || null,
    logLevel: env.LOG_LEVEL ?? 'info',
    appwriteVersion: env.APPWRITE_VERSION ?? '1.3.8',
    hashingPoolSize: env.HASHING_POOL_SIZE ? Number(env.HASHING_POOL_SIZE) : undefined,
    hashingQueueLimit: Number(env.HASHING_QUEUE_LIMIT ?? 1000),
  };
}
