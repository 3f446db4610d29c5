import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppwriteException, errorForFormat } from '@lib/appwrite';
import type { ErrorMapper } from './error-mapping';
import { ReplayedAnswer } from './replayed-answer';
import { requestFormat } from './request-format';
import { transportErrorBody } from './transport-errors';

/** Every failure leaves as Appwrite's error envelope; anything unexpected is a 500 that hides its cause. */
@Catch()
export class AppwriteErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');
  constructor(
    private readonly version: string,
    private readonly mappers: readonly ErrorMapper[] = [],
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    this.reply(exception, host.switchToHttp().getRequest<FastifyRequest>(), host.switchToHttp().getResponse<FastifyReply>());
  }

  /** Answers a failed request with the envelope (also for routes served outside Nest's router). */
  reply(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (exception instanceof ReplayedAnswer) return exception.sendTo(reply);
    const error = this.translate(exception);
    const body = errorForFormat(transportErrorBody(error, this.version), requestFormat(request));
    if (body.code >= 500) this.logger.error({ err: exception, requestId: request.id, url: request.url }, 'request failed');
    if (error instanceof AppwriteException && error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
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
    for (const map of this.mappers) {
      const mapped = map(exception);
      if (mapped) return mapped;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return new AppwriteException('general_route_not_found');
      if (status === 413) return new AppwriteException('general_argument_invalid', 'Request body is too large.');
      if (status < 500) return new AppwriteException('general_argument_invalid', exception.message);
    }
    return exception;
  }
}
