import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { formatResponse } from '@lib/appwrite';
import { endpointOf } from './endpoint';
import { requestFormat } from './request-format';

/**
 * Handlers answer in the newest format; this turns the answer into the format the client asked
 * for, by the model its endpoint declares (libs/appwrite formats/response-filters.ts).
 */
@Injectable()
export class ResponseFormatInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const model = endpointOf(context)?.success.model;
    if (!model) return next.handle();
    const format = requestFormat(context.switchToHttp().getRequest<FastifyRequest>());
    return next.handle().pipe(map((body) => formatResponse(model, body, format)));
  }
}
