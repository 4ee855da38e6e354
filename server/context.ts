/**
 * What the routes share: the store, the registry, the verifier's settings,
 * the clock and the cookie policy. buildApp makes one per app.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SameSite } from './config.js';
import type { RateLimiter } from './rate-limit.js';
import type { PopulationRegistry } from './registry/population-registry.js';
import type { Store } from './store/store.js';

export interface AppContext {
  store: Store;
  registry: PopulationRegistry;
  trustAnchors: Uint8Array[];
  intermediates: Uint8Array[];
  acceptTestIins: boolean;
  /** The server's clock; tests may set it, nothing else does. */
  now: () => Date;
  /** When set (tests only), certificates are checked at this moment. */
  verificationTime: Date | undefined;
  publicOrigin: string;
  allowedOrigins: ReadonlySet<string>;
  challengeLifetimeMs: number;
  sessionLifetimeMs: number;
  cookieSameSite: SameSite;
  cookieSecure: boolean;
  /** The path the API lives under, e.g. "/api"; cookies are scoped to it. */
  apiPrefix: string;
  limiter: RateLimiter | null;
}

export const SESSION_COOKIE = 'qoltanba_session';
export const PRELOGIN_COOKIE = 'qoltanba_login';

/** Sets an HttpOnly cookie for the API path, Secure where it can be. */
export function setCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeMs: number,
): void {
  reply.setCookie(name, value, {
    httpOnly: true,
    sameSite: ctx.cookieSameSite,
    secure: ctx.cookieSecure || request.protocol === 'https',
    path: ctx.apiPrefix,
    // Max-Age is in whole seconds; 0 would delete the cookie at once.
    maxAge: Math.max(1, Math.ceil(maxAgeMs / 1000)),
  });
}

export function clearCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
): void {
  reply.clearCookie(name, {
    httpOnly: true,
    sameSite: ctx.cookieSameSite,
    secure: ctx.cookieSecure || request.protocol === 'https',
    path: ctx.apiPrefix,
  });
}
