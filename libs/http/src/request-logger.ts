import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Record<string, unknown>;
/** Pino's loggers say which levels they write; a logger that does not is asked to write them all. */
type Logger = FastifyBaseLogger & { isLevelEnabled?(level: string): boolean; levels?: { values: Record<string, number> } };

/**
 * A request's logger, made (`parent.child(bindings)`) on its first line at an enabled level:
 * Fastify makes one per request, and a pino child with redaction costs about a hundredth of a
 * create's CPU and allocations, for a request that most of the time logs nothing at all.
 */
class RequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    /** Fastify's: the route's level (`logLevel`, else the server's) and serializers. */
    private readonly options: { level?: string },
  ) {}

  get level(): string {
    return this.made?.level ?? (this.options.level || this.parent.level);
  }

  set level(level: string) {
    this.logger().level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.made) return this.made.isLevelEnabled?.(level) ?? true;
    // The level the child will have: the route's, else the parent's.
    const values = this.parent.levels?.values;
    const own = this.options.level;
    if (own && values?.[own] !== undefined && values[level] !== undefined) return values[level] >= values[own];
    return this.parent.isLevelEnabled?.(level) ?? true;
  }

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  private write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.logger()[level] as (...a: unknown[]) => void)(...args);
  }

  private logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}

/** Fastify's `childLoggerFactory`: each request's logger, bound to its id, made only when it logs. */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: { level?: string }): FastifyBaseLogger {
  return new RequestLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
