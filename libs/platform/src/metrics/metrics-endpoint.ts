import { Controller, Get, OnApplicationBootstrap, OnApplicationShutdown, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { AppwriteException, toErrorBody } from '@lib/appwrite';
import { ERROR_HEADERS } from '@lib/http';
import { ServiceMetrics } from './service-metrics';

/** GET /metrics on the app's own HTTP port (METRICS_PORT unset); unauthenticated, like /healthz. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('/metrics')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.metrics.exposition();
    void reply.header('content-type', this.metrics.contentType);
    return body;
  }
}

export interface MetricsListener {
  close(): Promise<void>;
}

export interface MetricsListenOptions {
  port: number;
  host: string;
  /** The `version` of its 404 envelope. */
  appwriteVersion: string;
}

/**
 * GET /metrics on a port of its own (METRICS_PORT), apart from the API: a plain Node server,
 * anything else there is Appwrite's route-not-found envelope.
 */
export async function serveMetrics(metrics: ServiceMetrics, options: MetricsListenOptions): Promise<MetricsListener> {
  const notFound = JSON.stringify(toErrorBody(new AppwriteException('general_route_not_found'), options.appwriteVersion));
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, ERROR_HEADERS).end(notFound);
      return;
    }
    metrics.exposition().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body),
      () => res.writeHead(500, ERROR_HEADERS).end(JSON.stringify(toErrorBody(null, options.appwriteVersion))),
    );
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The METRICS_PORT server of a Nest app (gateway, projector): listening once the app is up, closed with it. */
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener: MetricsListener | undefined;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly options: MetricsListenOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = await serveMetrics(this.metrics, this.options);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }
}
