import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { AppwriteException } from '@lib/appwrite';
import { EventStore } from '@lib/event-store';
import { canonicalJson, IDEMPOTENCY_RETENTION_MS, IdempotencyKey, IdempotencyRecord, IdempotencyStore, isValidIdempotencyKey, StoredAnswer } from '@lib/idempotency';
import type { Principal } from './authenticator';
import type { AuthenticatedRequest } from './endpoint';
import { IdempotentAttempt } from './idempotent-attempt';
import { ReplayedAnswer } from './replayed-answer';
import { rawBodyOf } from './request-body';
import { RESPONSE_FORMAT_HEADER } from './request-format';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Carries an attempt into the in-process calls of its request (GraphQL fields); unguessable, valid while the attempt runs. */
const INNER_CALL_HEADER = 'x-users-idempotent-attempt';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The headers of an answer that its repetition carries too. */
const KEPT_HEADERS = ['content-type', 'etag', 'location', 'set-cookie', 'x-fallback-cookies', 'cache-control', 'expires', 'pragma'];
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const SWEEP_BATCH = 500;

export interface IdempotencyOptions {
  /** How long an attempt holds its key; a retry may take over a crashed attempt only after it. */
  leaseMs: number;
}
export const IDEMPOTENCY_OPTIONS = 'HTTP_IDEMPOTENCY_OPTIONS';

/** What makes a request the same request, as far as the fingerprint goes. */
export interface RequestFacts {
  method: string;
  /** The route's pattern (`/v1/users/:userId/name`). */
  route: string;
  params: unknown;
  query: unknown;
  body: unknown;
  rawBody: Buffer;
  headers: FastifyRequest['headers'];
  principal: Principal;
}

const callerOf = (p: Principal): string => (p.kind === 'key' ? `key:${p.keyId}` : p.kind === 'user' ? `user:${p.userId}:${p.sessionId}` : 'guest');

/**
 * The parts of the fingerprint: method, route, path parameters, query, body (canonical JSON
 * when it is a JSON object, else a hash of its bytes), the response format asked for and the
 * If-Match sent (both change the answer), and the caller (key, or user and session), so that
 * no one else's request can replay an answer that may hold a secret.
 */
export function fingerprintParts(facts: RequestFacts): string[] {
  const header = (name: string) => String(facts.headers[name] ?? '').trim();
  const isObject = facts.body !== null && typeof facts.body === 'object' && Object.keys(facts.body as object).length > 0;
  const body = facts.rawBody.length === 0 ? '' : isObject ? canonicalJson(facts.body) : `sha256:${createHash('sha256').update(facts.rawBody).digest('hex')}`;
  return [facts.method, facts.route, canonicalJson(facts.params ?? {}), canonicalJson(facts.query ?? {}), body, header(RESPONSE_FORMAT_HEADER), header('if-match'), callerOf(facts.principal)];
}

const factsOf = (req: AuthenticatedRequest): RequestFacts => ({
  method: req.method,
  route: req.routeOptions.url ?? req.url.split('?')[0],
  params: req.params,
  query: req.query,
  body: req.body,
  rawBody: rawBodyOf(req),
  headers: req.headers,
  principal: req.principal!,
});

/**
 * `Idempotency-Key` on every write: the same key with the same request within 24 hours gets the
 * first answer again (with `Idempotent-Replayed: true`) and writes nothing; with another request
 * it gets 422 `idempotency_key_mismatch`; while the first still runs, 409 `idempotency_key_in_use`.
 * Keys are per project. The record is claimed after authentication (unauthenticated requests
 * never touch the store) and the answer is kept, durably, before it is sent (onSend).
 *
 * A crashed attempt holds its key until its lease is over; a retry then looks at the stream the
 * attempt recorded as its first write: no event of the attempt there means nothing was written
 * (appends are sequential, and the first of them is recorded before it is made), and the retry
 * runs; an event there means the write happened but its answer is lost: 409
 * `idempotency_answer_lost`, never a second execution.
 */
@Injectable()
export class IdempotentRequests implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('idempotency');
  private readonly innerCalls = new Map<string, IdempotentAttempt>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly events: EventStore,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(IDEMPOTENCY_OPTIONS) private readonly options: IdempotencyOptions,
  ) {}

  onModuleInit(): void {
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().addHook('onSend', (req, reply, payload, done) => {
      const attempt = (req as AuthenticatedRequest).idempotentAttempt;
      if (attempt === undefined) return done(null, payload);
      if (attempt.request !== req) {
        attempt.noteInnerAnswer(reply.statusCode);
        return done(null, payload);
      }
      this.settle(attempt, reply, payload).then(
        () => done(null, payload),
        (err: unknown) => {
          // The client gets its answer; a retry finds the attempt's record and cannot run twice.
          this.logger.error({ err, requestId: req.id }, 'could not keep the answer of an idempotent request');
          done(null, payload);
        },
      );
    });
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.store.close();
  }

  /**
   * After authentication: begins the request's attempt, or answers the retry at once
   * (throws ReplayedAnswer, or Appwrite's 400/409/422). A no-op for requests without the header.
   */
  async open(req: AuthenticatedRequest): Promise<void> {
    const inner = req.headers[INNER_CALL_HEADER];
    const outer = typeof inner === 'string' ? this.innerCalls.get(inner) : undefined;
    if (outer !== undefined) {
      req.idempotentAttempt = outer;
      return;
    }
    const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
    if (raw === undefined || !WRITE_METHODS.has(req.method) || req.principal === undefined) return;
    if (typeof raw !== 'string' || !isValidIdempotencyKey(raw)) {
      throw new AppwriteException('general_argument_invalid', 'Invalid `Idempotency-Key` header: Value must be between 1 and 255 visible ASCII characters.');
    }
    const key = new IdempotencyKey(req.principal.projectId, raw);
    const fingerprint = key.fingerprint(fingerprintParts(factsOf(req)));
    const now = Date.now();
    const attemptId = randomUUID();
    const leaseUntil = now + this.options.leaseMs;
    const held = await this.store.claim(key.record, { fingerprint, attemptId, leaseUntil, expiresAt: now + IDEMPOTENCY_RETENTION_MS }, now);
    if (held !== null) await this.answerOrTakeOver(key, held, fingerprint, { attemptId, leaseUntil }, now);
    const attempt = new IdempotentAttempt(attemptId, key, req, this.store, this.options.leaseMs);
    req.idempotentAttempt = attempt;
    this.innerCalls.set(attempt.innerCallToken, attempt);
    req.headers[INNER_CALL_HEADER] = attempt.innerCallToken;
  }

  /** The key is held: answers the retry, unless the holder crashed without writing; then this attempt takes over. */
  private async answerOrTakeOver(key: IdempotencyKey, held: IdempotencyRecord, fingerprint: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<void> {
    if (held.fingerprint !== fingerprint) throw new AppwriteException('idempotency_key_mismatch');
    if (held.answer !== null) throw new ReplayedAnswer(key.open(held.answer));
    if (held.leaseUntil > now) throw new AppwriteException('idempotency_key_in_use');
    if (await this.committed(held)) throw new AppwriteException('idempotency_answer_lost');
    if (!(await this.store.takeOver(key.record, held.attemptId, attempt, now))) throw new AppwriteException('idempotency_key_in_use');
  }

  private async committed(held: IdempotencyRecord): Promise<boolean> {
    if (held.firstStream === null) return false;
    return (await this.events.readStream(held.firstStream)).some((e) => e.metadata.idempotencyAttemptId === held.attemptId);
  }

  private async settle(attempt: IdempotentAttempt, reply: FastifyReply, payload: unknown): Promise<void> {
    this.innerCalls.delete(attempt.innerCallToken);
    const { record } = attempt.key;
    const body = payload === undefined || payload === null ? Buffer.alloc(0) : typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.from(payload) : null;
    if (body !== null && attempt.remembers(reply.statusCode)) {
      const headers: StoredAnswer['headers'] = {};
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String) : String(value);
      }
      const saved = await this.store.saveAnswer(record, attempt.id, attempt.key.seal({ status: reply.statusCode, headers, body: body.toString('base64') }), [...attempt.streamsWritten]);
      if (!saved) this.logger.warn({ requestId: attempt.request.id }, 'an idempotent request outlived its lease: its answer is not kept');
    } else if (attempt.mayHaveWritten) {
      await this.store.release(record, attempt.id);
    } else {
      await this.store.forget(record, attempt.id);
    }
  }

  /** Deletes expired records, a batch at a time, off the request path. */
  private async sweep(): Promise<void> {
    try {
      while ((await this.store.deleteExpired(Date.now(), SWEEP_BATCH)) === SWEEP_BATCH);
    } catch (err) {
      this.logger.warn({ err }, 'idempotency clean-up failed; the next round retries');
    }
  }
}

/** The same for the routes Nest serves (account logins, GraphQL): after the guards, before validation. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly requests: IdempotentRequests) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') await this.requests.open(context.switchToHttp().getRequest<AuthenticatedRequest>());
    return next.handle();
  }
}
