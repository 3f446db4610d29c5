import { type LogEntry, logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';

/** The logger methods the messaging adapters use; a pino logger fits. */
export interface MessagingLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export const silentLogger: MessagingLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** KafkaJS's own log lines into our structured logger (its default writes JSON to the console). */
export function kafkaLogCreator(logger: MessagingLogger, component: string): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _ts, ...extra } = log;
      // Deliberate: an idempotent producer with bounded retries, so a stuck send fails and the
      // publisher restarts from its checkpoint with a fresh producer.
      if (message === 'Limiting retries for the idempotent producer may invalidate EoS guarantees') return;
      const obj = { component, kafka: namespace, ...extra };
      if (level === KafkaLogLevel.ERROR) logger.error(obj, message);
      else if (level === KafkaLogLevel.WARN) logger.warn(obj, message);
      else if (level === KafkaLogLevel.INFO) logger.info(obj, message);
      else logger.debug(obj, message);
    };
}

export function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
