import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppwriteException } from '@lib/appwrite';
import type { AuthenticatedRequest } from '@lib/http';

/**
 * Appwrite's abuse limit of the email login (`abuse-limit` 10, `abuse-key`
 * `url:{url},email:{param-email}`, the default `abuse-time` of 3600 s: utopia-php/abuse's
 * TimeLimit). Windows are fixed and aligned to multiples of their length, as TimeLimit's are;
 * within one, the first `limit` attempts pass and every further one is refused with 429.
 */
export const LOGIN_ABUSE_LIMIT = 10;
export const LOGIN_ABUSE_WINDOW_SECONDS = 3600;
/** Keys remembered at once; beyond that the oldest are forgotten (a spray of emails cannot grow memory for ever). */
export const LOGIN_ABUSE_MAX_KEYS = 100_000;

export interface AttemptVerdict {
  allowed: boolean;
  limit: number;
  /** What Appwrite reports as `X-RateLimit-Remaining`: computed before this attempt counts. */
  remaining: number;
  /** End of the window, seconds since the epoch (`X-RateLimit-Reset`). */
  reset: number;
}

/**
 * Counts attempts per key in the current window, in memory: per gateway process. Several gateways
 * each allow `limit` per window (Appwrite shares its counters in its database).
 */
export class FixedWindowLimiter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = LOGIN_ABUSE_MAX_KEYS,
  ) {}

  attempt(key: string): AttemptVerdict {
    const nowSeconds = Math.floor(this.now() / 1000);
    const window = nowSeconds - (nowSeconds % this.windowSeconds);
    if (window !== this.window) {
      // Every key's window ends at the same moment: the counts of the last one all go at once.
      this.counts.clear();
      this.window = window;
    }
    const count = this.counts.get(key) ?? 0;
    const verdict = { limit: this.limit, remaining: Math.max(0, this.limit - (count + 1)), reset: window + this.windowSeconds };
    if (count >= this.limit) return { allowed: false, ...verdict };
    if (!this.counts.has(key) && this.counts.size >= this.maxKeys) this.counts.delete(this.counts.keys().next().value as string);
    this.counts.set(key, count + 1);
    return { allowed: true, ...verdict };
  }

  get size(): number {
    return this.counts.size;
  }
}

/** The limiter of the email login, one per gateway process. */
@Injectable()
export class LoginRateLimiter extends FixedWindowLimiter {
  constructor() {
    super(LOGIN_ABUSE_LIMIT, LOGIN_ABUSE_WINDOW_SECONDS);
  }
}

/**
 * The key of an attempt: the project and the `email` parameter as sent (before validation, as
 * Appwrite counts before it validates), lower-cased so that case variants share one budget. An
 * empty or missing email keeps Appwrite's unreplaced placeholder, one shared bucket.
 */
export function loginAttemptKey(projectId: string, body: unknown): string {
  const email = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).email : undefined;
  const value = typeof email === 'string' ? email.toLowerCase() : email === undefined || email === null || email === '' ? '' : JSON.stringify(email);
  return `${projectId}\n${value === '' ? '{param-email}' : value}`;
}

/**
 * Runs after authentication and before parameter validation, like Appwrite's abuse check: sets
 * the `X-RateLimit-*` headers on the answer and refuses with 429 once the window's budget is
 * spent. API keys are not limited (Appwrite exempts app users).
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: LoginRateLimiter) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const principal = req.principal;
    if (!principal || principal.kind === 'key') return true;
    const verdict = this.limiter.attempt(loginAttemptKey(principal.projectId, req.body));
    reply.header('x-ratelimit-limit', String(verdict.limit));
    reply.header('x-ratelimit-remaining', String(verdict.remaining));
    reply.header('x-ratelimit-reset', String(verdict.reset));
    if (!verdict.allowed) {
      req.log?.warn({ event: 'account.login.refused', reason: 'rate_limited', projectId: principal.projectId, ip: req.ip }, 'email login refused');
      throw new AppwriteException('general_rate_limit_exceeded');
    }
    return true;
  }
}
