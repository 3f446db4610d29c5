import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type pino from 'pino';
import { ApiKeyGuard } from '../../../libs/http/src/api-key.guard';
import { AppwriteErrorFilter } from '../../../libs/http/src/appwrite-error.filter';
import { UsersModule } from '../../../libs/users/src/users.module';
import { ServiceConfig } from '../../../libs/platform/src/config';
import { PlatformModule } from '../../../libs/platform/src/platform.module';
import { HealthController } from './health.controller';
import { OpenApiController } from './openapi.controller';
import { Readiness } from './readiness';

@Module({})
export class GatewayModule {
  static register(config: ServiceConfig, logger: pino.Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.register(config, logger, { runProjections: config.projections === 'inline', hashing: true }), UsersModule],
      controllers: [HealthController, OpenApiController],
      providers: [
        Readiness,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useFactory: () => new AppwriteErrorFilter(config.appwriteVersion) },
      ],
    };
  }
}
