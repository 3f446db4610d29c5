import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../../../libs/event-store/src/event-store.port';
import { ProjectionSync } from '../../../libs/users/src/application/projection-sync.port';
import { ProjectAdmin } from '../../../libs/projects/src/project-admin';
import { ServiceConfig } from '../../../libs/platform/src/config';
import { GatewayModule } from './gateway.module';
import { createLogger, PinoNestLogger } from '../../../libs/platform/src/logger';
import { Readiness } from './readiness';

/** Builds, bootstraps and starts the gateway; used by main and by the in-process end-to-end tests. */
export async function startGateway(config: ServiceConfig, logger = createLogger(config.logLevel)) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
  });
  // Appwrite treats a body that is not valid JSON as an empty object (then "Param … is not optional").
  const fastify = adapter.getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      const parsed = body === '' ? {} : JSON.parse(body as string);
      done(null, parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {});
    } catch {
      done(null, {});
    }
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(config, logger), adapter, {
    logger: new PinoNestLogger(logger),
    // Our own parser above handles every body; Nest must not register Fastify's strict JSON parser again.
    bodyParser: false,
  });
  await app.init();

  if (config.bootstrapProjectId) {
    const admin = new ProjectAdmin(app.get(EventStore));
    const positions = [await admin.ensureProject(config.bootstrapProjectId)];
    if (config.bootstrapApiKey) {
      // Every start after the first finds the key there already.
      positions.push(await admin.ensureKey(config.bootstrapProjectId, { name: 'bootstrap', scopes: ['users.read', 'users.write'], secret: config.bootstrapApiKey }));
    }
    for (const p of positions) if (p) await app.get(ProjectionSync).waitFor(p);
  }
  await app.listen({ port: config.port, host: config.host });
  app.get(Readiness).ready = true;
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, dataDir: config.dataDir }, 'users gateway ready');
  return { app, port, url: `http://127.0.0.1:${port}` };
}
