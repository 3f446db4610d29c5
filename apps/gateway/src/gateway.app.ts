import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@lib/event-store';
import { ProjectionSync } from '@lib/event-sourcing';
import { createLogger, PinoNestLogger, PlatformOverrides, ServiceConfig, ServiceMetrics } from '@lib/platform';
import { maxHeaderSize } from 'node:http';
import { appwriteClientErrorHandler, appwriteFrameworkErrors, bodyPolicies, bodyPolicyKey, DEFAULT_BODY_POLICY, lazyRequestLogger, literalMalformedPath, parseRequestBody, timeRequests, warnAboutNewerFormat } from '@lib/http';
import { KNOWN_SCOPES, ProjectAdmin } from '@lib/projects';
import { ALL_BODY_ALLOWANCES, ALL_ENDPOINTS } from './contexts';
import { GatewayModule } from './gateway.module';
import { Readiness } from './readiness';

/** Builds, bootstraps and starts the gateway; used by main and by the in-process end-to-end tests. */
export async function startGateway(config: ServiceConfig, logger = createLogger(config.logLevel), overrides: PlatformOverrides = {}) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One lean access line per request (below), not Fastify's two with the full request and
    // reply serialised: at info level those cost a quarter of a GET's throughput.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Per route (onRoute below, libs/http/src/body-limits.ts); this one is for routes we did not declare.
    bodyLimit: DEFAULT_BODY_POLICY.limit,
    // Any path Node's parser accepts reaches the validator (Appwrite: 400 "Invalid userId: …", not 414).
    routerOptions: { maxParamLength: maxHeaderSize },
    rewriteUrl: literalMalformedPath,
    frameworkErrors: appwriteFrameworkErrors(config.appwriteVersion),
    clientErrorHandler: appwriteClientErrorHandler(config.appwriteVersion),
    // Only these peers may tell the client's address (X-Forwarded-For); anyone else is the client.
    trustProxy: config.trustedProxies,
  });
  const fastify = adapter.getInstance();
  const policies = bodyPolicies(ALL_ENDPOINTS, ALL_BODY_ALLOWANCES);
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const policy = methods.map((m) => policies.get(bodyPolicyKey(m, route.url))).find(Boolean) ?? DEFAULT_BODY_POLICY;
    route.bodyLimit = policy.limit;
    route.config = { ...(route.config as object), oversizeMessage: policy.oversizeMessage };
  });
  // Appwrite treats a body that is not valid JSON as an empty object (then "Param … is not optional").
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', parseRequestBody);
  // The same parser under the type nearly every request has: Fastify remembers the parser it
  // found for a type, but not the catch-all, which it looks for again (parsing the header) each time.
  fastify.addContentTypeParser('application/json', parseRequestBody);
  // This gateway's registry (not the process's global one): apps started side by side in one process keep their own series.
  const metrics = ServiceMetrics.create(config.metrics);
  if (metrics) timeRequests(fastify, metrics.requestDurations());
  // Both hooks with callbacks, not async: a promise each per request for work that never waits.
  fastify.addHook('onResponse', (request, reply, done) => {
    // The path without the query string: a GET /v1/graphql query may hold a password.
    if (logger.isLevelEnabled('info')) request.log.info({ method: request.method, path: request.url.split('?')[0], statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    warnAboutNewerFormat(request, reply);
    // Appwrite sets no type on 204s and Swoole then sends its default, `text/html`; SDKs (Python)
    // read the header on every answer. Set on the raw response: Fastify drops it from 204 replies.
    if (!reply.hasHeader('content-type')) reply.raw.setHeader('content-type', 'text/html');
    done(null, payload);
  });

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(config, logger, metrics, overrides), adapter, {
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
      positions.push(await admin.ensureKey(config.bootstrapProjectId, { name: 'bootstrap', scopes: [...KNOWN_SCOPES], secret: config.bootstrapApiKey }));
    }
    for (const p of positions) if (p) await app.get(ProjectionSync).waitFor(p);
  }
  await app.listen({ port: config.port, host: config.host });
  // Only the processes that keep the read models parse user agents (the log and session projections).
  app.get(Readiness).markReady({ warmUpClientInfo: config.projections === 'inline' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, dataDir: config.dataDir }, 'users gateway ready');
  return { app, port, url: `http://127.0.0.1:${port}` };
}
