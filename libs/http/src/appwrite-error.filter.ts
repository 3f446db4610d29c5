import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppwriteException } from '../../appwrite/src/errors/appwrite-exception';
import { HashingBusyError } from '../../passwords/src/local-hashing.adapter';
import { ProjectionLagError } from '../../projections/src/checkpoint-projection-sync';
import { UserDomainError } from '../../users/src/domain/user.errors';
import { transportErrorBody } from './transport-errors';

/** Every failure leaves as Appwrite's error envelope; anything unexpected is a 500 that hides its cause. */
@Catch()
export class AppwriteErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');
  constructor(private readonly version: string) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const error = this.translate(exception);
    const body = transportErrorBody(error, this.version);
    if (body.code >= 500) this.logger.error({ err: exception, requestId: request.id, url: request.url }, 'request failed');
    void reply
      .status(body.code)
      .header('cache-control', 'no-cache, no-store, must-revalidate')
      .header('expires', '0')
      .header('pragma', 'no-cache')
      .header('content-type', 'application/json; charset=UTF-8')
      .send(body);
  }

  private translate(exception: unknown): unknown {
    if (exception instanceof AppwriteException) return exception;
    if (exception instanceof UserDomainError) return new AppwriteException(exception.type);
    // Too much hashing queued: tell the client to come back rather than queueing without bound.
    // A saturated hashing pool or a stalled projector: the write may be stored, but we cannot
    // answer for it now; the client retries (writes are not lost, reads catch up).
    if (exception instanceof HashingBusyError || exception instanceof ProjectionLagError) return new AppwriteException('general_service_unavailable');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return new AppwriteException('general_route_not_found');
      if (status === 413) return new AppwriteException('general_argument_invalid', 'Request body is too large.');
      if (status < 500) return new AppwriteException('general_argument_invalid', exception.message);
    }
    return exception;
  }
}
