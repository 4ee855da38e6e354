/**
 * Login with the eGov mobile app (domain.md §2): the page shows a QR code
 * holding `mobileSign:<API-1 URL>`; the phone reads API-1 (who asks, until
 * when, where the document is), fetches the document with the auth token
 * from API-2 (the login challenge, as for every source), signs it with the
 * user's key and PUTs it back. The signature goes through the same
 * verifier as every login; the page, polling, then gets its session.
 *
 * Routes are listed in src/api/egov-protocol.ts. The phone's routes carry
 * no cookie and no CSRF header (app.ts exempts /egov/): the unguessable
 * session id and the auth token are their credentials, and completing the
 * login needs the cookie of the browser that showed the QR.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  EgovApi1Response,
  EgovApi2Response,
  EgovStartResponse,
  EgovStatusResponse,
} from '../../src/api/egov-protocol.js';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import {
  verifyLoginSignature,
  VerifyError,
  type VerifiedLogin,
} from '../../src/crypto/cms-verify.js';
import { toBase64 } from '../../src/crypto/pem.js';
import { type AppContext, clearCookie, setCookie } from '../context.js';
import { ApiHttpError, isApiErrorCode } from '../errors.js';
import {
  looksLikeToken,
  randomToken,
  sameDigest,
  sha256Hex,
} from '../security.js';
import { limitRate } from '../rate-limit.js';
import { sessionResponse, startSession } from '../session.js';
import type { EgovSessionRecord } from '../store/store.js';

export const EGOV_COOKIE = 'qoltanba_egov';

/** Who asks for the signature, as the eGov app shows it. */
export const EGOV_ORGANISATION: EgovApi1Response['organisation'] = {
  nameKz: 'Qoltanba демо порталы',
  nameRu: 'Демо-портал Qoltanba',
  nameEn: 'Qoltanba demo portal',
  bin: '040540001230',
};

/** A login CMS is a few kilobytes; the body limit bounds it further. */
const MAX_SIGNATURE_CHARS = 1024 * 1024;
/** Sessions kept after expiry, so a late phone or poll hears "expired". */
const PURGE_GRACE_MS = 60 * 60 * 1000;

// Signing sessions live in the store, not in this process: the phone's
// requests, the browser's polls and a restart may each meet another
// server process on the same database. Every change of state is one
// conditional update there, so two requests racing cannot both win.
export function egovRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/auth/egov', async (request, reply) => {
    limitRate(ctx, request, 'auth');
    const now = ctx.now();
    await ctx.store.purgeExpired(new Date(now.getTime() - PURGE_GRACE_MS));
    const origin = request.headers.origin ?? ctx.publicOrigin;
    const expiresAt = new Date(now.getTime() + ctx.challengeLifetimeMs);
    const challenge = [
      'Qoltanba login',
      `Origin: ${origin}`,
      `Nonce: ${randomToken(32)}`,
      `Issued: ${now.toISOString()}`,
    ].join('\n');
    const id = randomToken(16);
    const secret = randomToken(32);
    await ctx.store.saveEgovSession({
      id,
      bindingHash: sha256Hex(secret),
      tokenHash: null,
      challenge,
      origin,
      expiresAt,
      state: 'pending',
      failure: null,
      signer: null,
    });
    setCookie(
      ctx,
      request,
      reply,
      EGOV_COOKIE,
      `${id}.${secret}`,
      ctx.challengeLifetimeMs,
    );
    const api1 = `${ctx.publicOrigin}${ctx.apiPrefix}/egov/${id}`;
    request.outcome = 'EGOV_STARTED';
    const body: EgovStartResponse = {
      qr: `mobileSign:${api1}`,
      deepLink: `https://m.egov.kz/mobileSign?link=${encodeURIComponent(api1)}`,
      expiresAt: expiresAt.toISOString(),
    };
    return body;
  });

  app.post('/auth/egov/status', async (request, reply) => {
    const session = await browserSession(request);
    if (session.state === 'failed') {
      await ctx.store.deleteEgovSession(session.id);
      clearCookie(ctx, request, reply, EGOV_COOKIE);
      throw new ApiHttpError(
        isApiErrorCode(session.failure) ? session.failure : 'SIGNATURE_INVALID',
        'The phone sent a signature that does not log in.',
      );
    }
    if (session.state === 'done') {
      throw new ApiHttpError('CHALLENGE_USED', 'Already logged in.');
    }
    if (session.state === 'pending' || session.state === 'verifying') {
      // A signature being checked right now may still log in, even if
      // the check ends after the expiry: it was sent in time.
      if (session.state === 'pending' && session.expiresAt <= ctx.now()) {
        throw new ApiHttpError('CHALLENGE_EXPIRED', 'The QR code expired.');
      }
      request.outcome = 'EGOV_PENDING';
      const body: EgovStatusResponse = {
        status: 'pending',
        expiresAt: session.expiresAt.toISOString(),
      };
      return body;
    }
    const signer = await ctx.store.completeEgovSession(session.id);
    if (!signer) {
      // Another poll of this browser (or another process) got it first.
      throw new ApiHttpError('CHALLENGE_USED', 'Already logged in.');
    }
    request.certificate = {
      serial: signer.certSerial,
      issuer: signer.certIssuer,
    };
    const user = await startSession(ctx, request, reply, signer);
    clearCookie(ctx, request, reply, EGOV_COOKIE);
    request.outcome = 'LOGGED_IN';
    const body: EgovStatusResponse = {
      status: 'done',
      ...sessionResponse(user),
    };
    return body;
  });

  // API-1: the phone learns who asks and where the document is. A new auth
  // token each time: only the phone that read API-1 last can fetch it.
  app.get<{ Params: { id: string } }>('/egov/:id', async (request, reply) => {
    const session = await phoneSession(request.params.id, reply);
    if (!session) return reply;
    const token = randomToken(32);
    const now = ctx.now();
    if (!(await ctx.store.setEgovToken(session.id, sha256Hex(token), now))) {
      // Signed or expired between the read above and this update.
      return refuse(reply, 'CHALLENGE_USED', 'The document is signed already.');
    }
    request.outcome = 'EGOV_API1';
    const body: EgovApi1Response = {
      description: 'Qoltanba login',
      expiry_date: session.expiresAt.toISOString(),
      organisation: EGOV_ORGANISATION,
      document: {
        uri: `${ctx.publicOrigin}${ctx.apiPrefix}/egov/${session.id}/document`,
        auth_type: 'Token',
        auth_token: token,
      },
    };
    return body;
  });

  // API-2: the document to sign, the login challenge.
  app.get<{ Params: { id: string } }>(
    '/egov/:id/document',
    async (request, reply) => {
      const session = await phoneSession(request.params.id, reply, request);
      if (!session) return reply;
      request.outcome = 'EGOV_API2';
      const body: EgovApi2Response = {
        signMethod: 'CMS_WITH_DATA',
        documentsToSign: [
          {
            id: 1,
            nameKz: 'Порталға кіру',
            nameRu: 'Вход на портал',
            nameEn: 'Log in to the portal',
            meta: [{ name: 'origin', value: ctx.publicOrigin }],
            document: {
              file: {
                mime: 'text/plain',
                data: toBase64(new TextEncoder().encode(session.challenge)),
              },
            },
          },
        ],
      };
      return body;
    },
  );

  // The signed document: verified like every login; 200 or 403.
  app.put<{ Params: { id: string } }>(
    '/egov/:id/document',
    async (request, reply) => {
      const session = await phoneSession(request.params.id, reply, request);
      if (!session) return reply;
      const signature = signedData(request.body);
      if (signature === null) {
        return refuse(reply, 'BAD_REQUEST', 'No signed document.');
      }
      // One PUT per session gets past here, whichever process it meets;
      // the others hear CHALLENGE_USED, as a second login would.
      if (
        !(await ctx.store.claimEgovSession(
          session.id,
          session.tokenHash!,
          ctx.now(),
        ))
      ) {
        const again = await ctx.store.findEgovSession(session.id);
        if (again?.state === 'pending' && again.expiresAt <= ctx.now()) {
          return refuse(reply, 'CHALLENGE_EXPIRED', 'The session expired.');
        }
        if (again?.state === 'pending') {
          return refuse(reply, 'NOT_AUTHENTICATED', 'The token was replaced.');
        }
        return refuse(reply, 'CHALLENGE_USED', 'The document is signed.');
      }
      let verified: VerifiedLogin;
      try {
        verified = await verifyLoginSignature({
          signature,
          expectedContent: new TextEncoder().encode(session.challenge),
          trustAnchors: ctx.trustAnchors,
          intermediates: ctx.intermediates,
          time: ctx.verificationTime,
          acceptTestIins: ctx.acceptTestIins,
          revocation: ctx.revocation,
          // The phone has no origin; the challenge must name the page
          // that showed the QR.
          allowedOrigins: [session.origin],
          acceptLegalEntityKeys: ctx.acceptLegalEntityKeys,
          clockSkewMs: ctx.clockSkewMs,
        });
      } catch (error) {
        const code =
          error instanceof VerifyError && isApiErrorCode(error.code)
            ? error.code
            : 'SIGNATURE_MALFORMED';
        if (!(error instanceof VerifyError)) {
          request.log.error({ err: error }, 'the signature verifier failed');
        }
        await ctx.store.finishEgovSigning(session.id, { failure: code });
        return refuse(reply, code, 'The signature does not log in.');
      }
      request.certificate = {
        serial: verified.certificate.serialNumber,
        issuer: verified.certificate.issuerDn,
      };
      await ctx.store.finishEgovSigning(session.id, {
        signer: {
          iin: verified.iin,
          fullName: verified.fullName,
          certSerial: verified.certificate.serialNumber,
          certIssuer: verified.certificate.issuerDn,
        },
      });
      request.outcome = 'EGOV_SIGNED';
      return { status: 'OK' };
    },
  );

  /** The session of this browser's cookie, in whatever state. */
  async function browserSession(
    request: FastifyRequest,
  ): Promise<EgovSessionRecord> {
    const [id, secret, extra] = (request.cookies[EGOV_COOKIE] ?? '').split(
      '.',
    );
    const session =
      id &&
      secret &&
      extra === undefined &&
      looksLikeToken(id) &&
      looksLikeToken(secret)
        ? await ctx.store.findEgovSession(id)
        : null;
    if (!session) {
      throw new ApiHttpError(
        'CHALLENGE_NOT_FOUND',
        'No QR login for this browser; start one first.',
      );
    }
    if (!sameDigest(sha256Hex(secret!), session.bindingHash)) {
      throw new ApiHttpError(
        'CHALLENGE_SESSION_MISMATCH',
        'The QR login was started in another browser.',
      );
    }
    return session;
  }

  /**
   * The session a phone asks about, still open to signing, and with the
   * right token when `request` is given; else answers 403 and gives null.
   */
  async function phoneSession(
    id: string,
    reply: FastifyReply,
    request?: FastifyRequest,
  ): Promise<EgovSessionRecord | null> {
    const session = looksLikeToken(id)
      ? await ctx.store.findEgovSession(id)
      : null;
    if (!session) {
      refuse(reply, 'CHALLENGE_NOT_FOUND', 'Unknown signing session.');
      return null;
    }
    if (session.expiresAt <= ctx.now()) {
      refuse(reply, 'CHALLENGE_EXPIRED', 'The signing session expired.');
      return null;
    }
    if (session.state !== 'pending') {
      refuse(reply, 'CHALLENGE_USED', 'The document is signed already.');
      return null;
    }
    if (request) {
      const auth = request.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (
        !session.tokenHash ||
        !looksLikeToken(token) ||
        !sameDigest(sha256Hex(token), session.tokenHash)
      ) {
        refuse(reply, 'NOT_AUTHENTICATED', 'Wrong or missing auth token.');
        return null;
      }
    }
    return session;
  }
}

/** The eGov protocol answers a phone 200 or 403, whatever the reason. */
function refuse(
  reply: FastifyReply,
  code: ApiErrorCode,
  message: string,
): FastifyReply {
  reply.request.outcome = code;
  return reply
    .code(403)
    .type('application/json; charset=utf-8')
    .send({ code, message });
}

/** The CMS the phone put in place of the first document's data. */
function signedData(body: unknown): string | null {
  const doc = (body as EgovApi2Response | undefined)?.documentsToSign?.[0];
  const data = doc?.document?.file?.data;
  return typeof data === 'string' && data.length <= MAX_SIGNATURE_CHARS
    ? data
    : null;
}
