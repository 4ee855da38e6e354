/**
 * What the routes share: the store, the registry, the verifier's settings,
 * the clock and the cookie policy. buildApp makes one per app.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RevocationChecker } from '../src/crypto/revocation/index.js';
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
  /** CRL/OCSP checks for every login; mode "off" checks nothing. */
  revocation: RevocationChecker;
  /** Accept keys of a legal entity's employee (default no). */
  acceptLegalEntityKeys: boolean;
  /** How far a certificate's validity is stretched for clock skew. */
  clockSkewMs: number;
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

/**
 * How long a cookie outlives what it stands for. The server keeps expired
 * challenges and sessions for an hour (see the purge in routes/auth.ts), so
 * a browser that still sends the cookie hears "expired" rather than "not
 * logged in"; a cookie that died with its session would hide that reason.
 */
const COOKIE_GRACE_MS = 60 * 60 * 1000;

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
    // Max-Age is in whole seconds.
    maxAge: Math.ceil((maxAgeMs + COOKIE_GRACE_MS) / 1000),
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
