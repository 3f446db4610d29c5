import { LoggerService } from '@nestjs/common';
import pino from 'pino';

/**
 * Structured JSON logs for every app. Headers and bodies are never logged (they hold API keys
 * and passwords); the redaction list is a second line of defence for fields that might reach a
 * log object anyway.
 */
export function createLogger(level: string, service = 'users-gateway', destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    redact: {
      paths: [
        'req.headers',
        'headers',
        'body',
        ...['password', 'secret', 'key', 'hash', 'stored', 'result', 'value'].flatMap((field) => [field, `*.${field}`]),
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's own messages (bootstrap, route mapping, errors) into the same pino stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: pino.Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    if (message && typeof message === 'object') this.logger.error({ context, ...(message as object) }, 'error');
    else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
