/**
 * Login by electronic signature: the browser asks for a challenge, the
 * user's key signs it (CMS with the challenge attached), and the server
 * checks the signature, the certificate and the binding to this browser.
 *
 *   POST /auth/challenge  -> ChallengeResponse, sets the pre-login cookie
 *   POST /auth/login      {signature} -> SessionResponse, sets the session
 *   POST /auth/logout     -> 204
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {
  ChallengeResponse,
  SessionResponse,
} from '../../src/api/protocol.js';
import {
  verifyLoginSignature,
  VerifyError,
  type VerifiedLogin,
} from '../../src/crypto/cms-verify.js';
import { stringField } from '../body.js';
import {
  type AppContext,
  clearCookie,
  PRELOGIN_COOKIE,
  SESSION_COOKIE,
  setCookie,
} from '../context.js';
import { ApiHttpError, isApiErrorCode } from '../errors.js';
import {
  looksLikeToken,
  randomToken,
  sameDigest,
  sha256Hex,
} from '../security.js';
import { limitRate } from '../rate-limit.js';
import { sessionResponse, startSession } from '../session.js';

/** Domain.md §6: at least 32 bytes from a CSPRNG. */
const NONCE_BYTES = 32;
/** Expired rows stay this long, so a late login hears "expired". */
const PURGE_GRACE_MS = 60 * 60 * 1000;
/** A login CMS is a few kilobytes; the body limit bounds it further. */
const MAX_SIGNATURE_CHARS = 1024 * 1024;

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/auth/challenge', async (request, reply) => {
    limitRate(ctx, request, 'auth');
    const now = ctx.now();
    await ctx.store.purgeExpired(new Date(now.getTime() - PURGE_GRACE_MS));

    // Only an allowed origin gets here (app.ts refuses the others), so the
    // text names the page the user is actually on.
    const origin = request.headers.origin ?? ctx.publicOrigin;
    const expiresAt = new Date(now.getTime() + ctx.challengeLifetimeMs);
    const text = [
      'Qoltanba login',
      `Origin: ${origin}`,
      `Nonce: ${randomToken(NONCE_BYTES)}`,
      `Issued: ${now.toISOString()}`,
    ].join('\n');

    // The cookie holds the challenge's id and a secret; the store keeps the
    // secret's hash. Only the browser that asked can log in with it.
    const id = randomToken(16);
    const secret = randomToken(32);
    await ctx.store.saveChallenge({
      id,
      text,
      bindingHash: sha256Hex(secret),
      issuedAt: now,
      expiresAt,
      used: false,
    });
    setCookie(
      ctx,
      request,
      reply,
      PRELOGIN_COOKIE,
      `${id}.${secret}`,
      ctx.challengeLifetimeMs,
    );
    request.outcome = 'CHALLENGE_ISSUED';
    const body: ChallengeResponse = {
      challenge: text,
      expiresAt: expiresAt.toISOString(),
    };
    return body;
  });

  app.post('/auth/login', async (request, reply) => {
    limitRate(ctx, request, 'auth');
    // Shape first, so that a broken request does not use up the challenge.
    const signature = stringField(
      request.body,
      'signature',
      MAX_SIGNATURE_CHARS,
    );
    const challenge = await takeChallenge(ctx, request);

    let verified: VerifiedLogin;
    try {
      verified = await verifyLoginSignature({
        signature,
        expectedContent: new TextEncoder().encode(challenge),
        trustAnchors: ctx.trustAnchors,
        intermediates: ctx.intermediates,
        time: ctx.verificationTime,
        acceptTestIins: ctx.acceptTestIins,
        revocation: ctx.revocation,
        // The challenge must name the page the login comes from; a
        // client that sends no Origin may log in for any allowed one.
        allowedOrigins: request.headers.origin
          ? [request.headers.origin]
          : [...ctx.allowedOrigins, ctx.publicOrigin],
        acceptLegalEntityKeys: ctx.acceptLegalEntityKeys,
        clockSkewMs: ctx.clockSkewMs,
      });
    } catch (error) {
      throw verifierFailure(request, error);
    }

    request.certificate = {
      serial: verified.certificate.serialNumber,
      issuer: verified.certificate.issuerDn,
    };
    // The IIN comes from the verified certificate, never from the request.
    const user = await startSession(ctx, request, reply, verified);
    clearCookie(ctx, request, reply, PRELOGIN_COOKIE);
    request.outcome = 'LOGGED_IN';
    const body: SessionResponse = sessionResponse(user);
    return body;
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && looksLikeToken(token)) {
      await ctx.store.deleteSession(sha256Hex(token));
    }
    clearCookie(ctx, request, reply, SESSION_COOKIE);
    request.outcome = 'LOGGED_OUT';
    return reply.code(204).send();
  });
}

/**
 * The challenge text of this browser's pending challenge, used up in one
 * atomic step: of two logins racing with one challenge, exactly one gets
 * past here. A challenge is good for one attempt, even a failed one, as in
 * Web eID; the client asks for a new one to try again.
 */
async function takeChallenge(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<string> {
  const cookie = request.cookies[PRELOGIN_COOKIE] ?? '';
  const [id, secret, extra] = cookie.split('.');
  if (
    !id ||
    !secret ||
    extra !== undefined ||
    !looksLikeToken(id) ||
    !looksLikeToken(secret)
  ) {
    throw new ApiHttpError(
      'CHALLENGE_NOT_FOUND',
      'No login challenge for this browser; ask for one first.',
    );
  }
  const challenge = await ctx.store.findChallenge(id);
  if (!challenge) {
    throw new ApiHttpError(
      'CHALLENGE_NOT_FOUND',
      'The login challenge is unknown; ask for a new one.',
    );
  }
  if (!sameDigest(sha256Hex(secret), challenge.bindingHash)) {
    throw new ApiHttpError(
      'CHALLENGE_SESSION_MISMATCH',
      'The login challenge was issued to another browser session.',
    );
  }
  const now = ctx.now();
  if (challenge.used) {
    throw new ApiHttpError('CHALLENGE_USED', 'The challenge was used already.');
  }
  if (challenge.expiresAt <= now) {
    throw new ApiHttpError('CHALLENGE_EXPIRED', 'The challenge has expired.');
  }
  if (!(await ctx.store.consumeChallenge(id, now))) {
    // Lost a race: another request used it (or it expired) just now.
    const again = await ctx.store.findChallenge(id);
    if (again && !again.used && again.expiresAt <= now) {
      throw new ApiHttpError('CHALLENGE_EXPIRED', 'The challenge has expired.');
    }
    throw new ApiHttpError('CHALLENGE_USED', 'The challenge was used already.');
  }
  return challenge.text;
}

/**
 * The verifier's typed failure as the API's. Anything else it throws is a
 * bug in the verifier, but the cause is still the signature the client
 * sent, so the client hears SIGNATURE_MALFORMED, not a 500, and the log
 * keeps the details (never the signature itself).
 */
function verifierFailure(request: FastifyRequest, error: unknown): Error {
  if (error instanceof VerifyError && isApiErrorCode(error.code)) {
    if (error.certificate) {
      request.certificate = {
        serial: error.certificate.serialNumber,
        issuer: error.certificate.issuerDn,
      };
    }
    return new ApiHttpError(error.code, error.message);
  }
  request.log.error({ err: error }, 'the signature verifier failed');
  return new ApiHttpError(
    'SIGNATURE_MALFORMED',
    'The signature could not be read.',
  );
}
