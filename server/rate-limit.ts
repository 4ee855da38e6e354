/**
 * A small per-key fixed-window counter, enough to slow down a script that
 * hammers the login routes from one address. It lives in memory, so each
 * server process counts on its own; a portal behind several processes puts
 * its real limit in the proxy.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import { ApiHttpError } from './errors.js';

export class RateLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /**
   * Counts one request for `key`. Returns 0 when it is allowed, otherwise
   * the seconds until the window resets.
   */
  hit(key: string, now: number): number {
    if (this.#windows.size > 10_000) this.#prune(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.#max) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(key);
    }
  }
}

/** Counts a login request from the caller's address; RATE_LIMITED past it. */
export function limitRate(
  ctx: AppContext,
  request: FastifyRequest,
  bucket: string,
): void {
  if (!ctx.limiter) return;
  const retryAfter = ctx.limiter.hit(
    `${bucket}:${request.ip}`,
    ctx.now().getTime(),
  );
  if (retryAfter > 0) {
    throw new ApiHttpError('RATE_LIMITED', 'Too many login attempts.', {
      'retry-after': String(retryAfter),
    });
  }
}
