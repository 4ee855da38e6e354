/**
 * Finds the logged-in user from the session cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedLogin } from '../src/crypto/cms-verify.js';
import {
  type AppContext,
  clearCookie,
  SESSION_COOKIE,
  setCookie,
} from './context.js';
import { ApiHttpError } from './errors.js';
import { looksLikeToken, randomToken, sha256Hex } from './security.js';
import type { SessionRecord, UserRecord } from './store/store.js';
import type { SessionResponse } from '../src/api/protocol.js';

export interface Authenticated {
  session: SessionRecord;
  user: UserRecord;
}

/**
 * The session and user behind the request's cookie. Throws
 * NOT_AUTHENTICATED without a live session and SESSION_EXPIRED after its
 * lifetime (clearing the cookie, so the browser stops sending it).
 */
export async function requireSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Authenticated> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || !looksLikeToken(token)) {
    throw new ApiHttpError('NOT_AUTHENTICATED', 'Log in first.');
  }
  const session = await ctx.store.findSession(sha256Hex(token));
  if (!session) {
    throw new ApiHttpError('NOT_AUTHENTICATED', 'Log in first.');
  }
  if (session.expiresAt <= ctx.now()) {
    clearCookie(ctx, request, reply, SESSION_COOKIE);
    throw new ApiHttpError('SESSION_EXPIRED', 'The session has expired.');
  }
  const user = await ctx.store.findUser(session.userIin);
  if (!user) {
    throw new ApiHttpError('NOT_AUTHENTICATED', 'Log in first.');
  }
  return { session, user };
}

export function sessionResponse(user: UserRecord): SessionResponse {
  return {
    user: { iin: user.iin, fullName: user.fullName, email: user.email },
    needsEmail: user.email === null,
  };
}

/**
 * Logs in the signer of a verified login, whichever way it was signed: the
 * user comes from the certificate, never from the request; a new session
 * each login (no fixation), and a previous one in this browser ends now
 * rather than lingering until it expires.
 */
export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  verified: Pick<VerifiedLogin, 'iin' | 'fullName'>,
): Promise<UserRecord> {
  const now = ctx.now();
  const user = await ctx.store.upsertUser(verified.iin, verified.fullName, now);
  const previous = request.cookies[SESSION_COOKIE];
  if (previous && looksLikeToken(previous)) {
    await ctx.store.deleteSession(sha256Hex(previous));
  }
  const token = randomToken(32);
  await ctx.store.createSession({
    tokenHash: sha256Hex(token),
    userIin: user.iin,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.sessionLifetimeMs),
  });
  setCookie(ctx, request, reply, SESSION_COOKIE, token, ctx.sessionLifetimeMs);
  return user;
}
