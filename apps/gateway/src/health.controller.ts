import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readiness } from './readiness';

/** Unauthenticated probes: healthz = the process answers; readyz = bootstrapped and caught up. */
@Controller()
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('/healthz')
  @HttpCode(200)
  health() {
    return { status: 'pass' };
  }

  @Get('/readyz')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (!this.readiness.ready) reply.status(503);
    return { status: this.readiness.ready ? 'pass' : 'starting' };
  }
}
