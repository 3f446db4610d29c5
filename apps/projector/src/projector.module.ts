import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import type pino from 'pino';
import { PlatformModule, ServiceConfig, ServiceMetrics } from '@lib/platform';

@Controller()
class ProjectorHealthController {
  @Get('/healthz')
  health() {
    return { status: 'pass' };
  }
}

/** The read models (and the downstream publisher) kept up to date from the event log. */
@Module({})
export class ProjectorModule {
  static register(config: ServiceConfig, logger: pino.Logger, metrics: ServiceMetrics | null): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [PlatformModule.register(config, logger, { runProjections: true, hashing: false }, metrics)],
      controllers: [ProjectorHealthController],
    };
  }
}
