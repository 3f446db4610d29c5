import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { warmUpClientInfoInBackground } from '@lib/client-info';
import { createLogger, loadConfig, PinoNestLogger, runProcess, ServiceMetrics } from '@lib/platform';
import { ProjectorModule } from './projector.module';

/**
 * `npm run start:projector`: subscribes to the global log from each projection's checkpoint
 * and keeps the read models current. Several may run: an event is applied once per stream
 * revision, whichever process gets there first. Serves /healthz on PORT for orchestrators, and
 * /metrics (projection lag, publisher lag) there or on METRICS_PORT.
 */
runProcess(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'users-projector');
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorModule.register(config, logger, ServiceMetrics.create(config.metrics)), new FastifyAdapter({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) }), {
    logger: new PinoNestLogger(logger),
  });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ eventStore: config.eventStore, readModel: config.readModel }, 'users projector running');
  // Once /healthz answers: the log projection's first events would otherwise compile the
  // user-agent regexes in one block (see Readiness in the gateway).
  const warmUps = new AbortController();
  void warmUpClientInfoInBackground(warmUps.signal);
  return {
    stop: () => {
      warmUps.abort();
      return app.close();
    },
  };
});
