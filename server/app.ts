/**
 * Builds the reference backend as a Fastify instance, without listening, so
 * that main.ts serves it and tests start it on a free port.
 *
 * Cross-cutting rules live here: the CSRF header and origin check on every
 * state-changing request, CORS for the allowed origins, one JSON error
 * shape, and one log line per request with its outcome.
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { CSRF_HEADER } from '../src/api/protocol.js';
import { RevocationChecker } from '../src/crypto/revocation/index.js';
import type { SameSite } from './config.js';
import type { AppContext } from './context.js';
import { contentSecurityPolicy } from './csp.js';
import { ApiHttpError, INTERNAL_ERROR_BODY } from './errors.js';
import { DEMO_OCSP_NAME, DEMO_PKI_PATH } from './pki/demo-pki.js';
import { RateLimiter } from './rate-limit.js';
import type { PopulationRegistry } from './registry/population-registry.js';
import { authRoutes } from './routes/auth.js';
import { childrenRoutes } from './routes/children.js';
import { egovRoutes } from './routes/egov.js';
import { type DemoKeys, demoRoutes } from './routes/demo.js';
import { meRoutes } from './routes/me.js';
import { openapiRoutes } from './routes/openapi.js';
import { type StaticRoots, staticRoutes } from './routes/static.js';
import type { Store } from './store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The result code for the request log: an error code, or what happened. */
    outcome: string;
    /** The verified signer's certificate, for the request log. */
    certificate: { serial: string; issuer: string } | null;
  }
}

export interface BuildAppOptions {
  store: Store;
  registry: PopulationRegistry;
  /** CA certificates (DER or PEM) a signer's chain may end at. */
  trustAnchors: Uint8Array[];
  /** Further CA certificates for building chains. */
  intermediates?: Uint8Array[];
  /** The portal's origin, named in challenges when a request has none. */
  publicOrigin: string;
  /** Origins that may call the API; default only `publicOrigin`. */
  allowedOrigins?: string[];
  /** Accept NCA's test IINs at login. Demo and tests only. */
  acceptTestIins?: boolean;
  /**
   * Revocation checks (CRL/OCSP) at login. Without one nothing is checked,
   * and the server says so in its log at start.
   */
  revocation?: RevocationChecker;
  /** Accept keys of a legal entity's employee; default no. */
  acceptLegalEntityKeys?: boolean;
  /** Clock skew allowed on certificate validity; default 60 seconds. */
  clockSkewMs?: number;
  /** Default 5 minutes. */
  challengeLifetimeMs?: number;
  /** Default 2 hours. */
  sessionLifetimeMs?: number;
  /** Default "lax". */
  cookieSameSite?: SameSite;
  /** Always set Secure on cookies; otherwise only on HTTPS requests. */
  cookieSecure?: boolean;
  /** Request body limit in bytes; default 64 KiB. */
  bodyLimit?: number;
  trustProxy?: boolean;
  /** Challenge and login requests per IP per minute; 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Default "info". */
  logLevel?: string;
  /** Where log lines go; default stdout. */
  logStream?: NodeJS.WritableStream;
  /** Demo mode: serves /api/demo/info and the demo key files. */
  demo?: DemoKeys;
  /** Where the demo page and the bundle are; defaults beside this file. */
  staticRoots?: StaticRoots;
  /**
   * The Content-Security-Policy header on every response: default strict
   * (server/csp.ts), a string to use another, false for none.
   */
  contentSecurityPolicy?: string | false;
  /**
   * Only for tests, set in code and never from the environment: a fixed
   * moment to check certificates at (NCA's test keys have expired), and a
   * clock to move sessions and challenges past their lifetime.
   */
  testing?: { verificationTime?: Date; now?: () => Date };
}

const API_PREFIX = '/api';
const DEMO_OCSP_PATH = `${DEMO_PKI_PATH}${DEMO_OCSP_NAME}`;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const DEFAULT_ROOTS: StaticRoots = {
  demoDir: fileURLToPath(new URL('./demo/', import.meta.url)),
  distDir: fileURLToPath(new URL('../dist/', import.meta.url)),
};

export async function buildApp(
  options: BuildAppOptions,
): Promise<FastifyInstance> {
  const allowed = new Set(options.allowedOrigins ?? [options.publicOrigin]);
  const perMinute = options.rateLimitPerMinute ?? 30;
  const ctx: AppContext = {
    store: options.store,
    registry: options.registry,
    trustAnchors: options.trustAnchors,
    intermediates: options.intermediates ?? [],
    acceptTestIins: options.acceptTestIins ?? false,
    revocation: options.revocation ?? new RevocationChecker({ mode: 'off' }),
    acceptLegalEntityKeys: options.acceptLegalEntityKeys ?? false,
    clockSkewMs: options.clockSkewMs ?? 60_000,
    now: options.testing?.now ?? (() => new Date()),
    verificationTime: options.testing?.verificationTime,
    publicOrigin: options.publicOrigin,
    allowedOrigins: allowed,
    challengeLifetimeMs: options.challengeLifetimeMs ?? 5 * 60 * 1000,
    sessionLifetimeMs: options.sessionLifetimeMs ?? 2 * 60 * 60 * 1000,
    cookieSameSite: options.cookieSameSite ?? 'lax',
    cookieSecure: options.cookieSecure ?? false,
    apiPrefix: API_PREFIX,
    limiter: perMinute > 0 ? new RateLimiter(perMinute, 60_000) : null,
  };

  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Nothing logs these today; the paths guard against a future
      // serializer that would (style.md: no cookie, key or signature).
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.body.signature',
          'res.headers["set-cookie"]',
          'body.signature',
          'signature',
        ],
        censor: '[redacted]',
      },
    },
    // One line per request is written in onResponse, with the outcome.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    return503OnClosing: true,
  });

  app.decorateRequest('outcome', '');
  app.decorateRequest('certificate', null);
  if (ctx.revocation.mode === 'off') {
    app.log.warn(
      'Revocation checking is OFF: a revoked certificate can log in. ' +
        'Set QOLTANBA_REVOCATION for production.',
    );
  }
  installJsonParser(app);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        outcome: request.outcome || (reply.statusCode < 400 ? 'OK' : 'ERROR'),
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(request.certificate
          ? {
              certSerial: request.certificate.serial,
              certIssuer: request.certificate.issuer,
            }
          : {}),
      },
      'request',
    );
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith(`${API_PREFIX}/`)) {
      reply.header('cache-control', 'no-store');
    }
  });

  if (options.contentSecurityPolicy !== false) {
    await app.register(contentSecurityPolicy, {
      policy: options.contentSecurityPolicy,
    });
  }
  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowed.has(origin));
    },
    credentials: true,
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Content-Type', 'Accept', CSRF_HEADER],
    maxAge: 600,
  });

  // Before the body is read: a forged cross-site request is refused
  // without parsing anything it sent.
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return;
    // The eGov app's PUT carries neither: its token is its credential.
    if (request.url.startsWith(`${API_PREFIX}/egov/`)) return;
    // Nor does an OCSP client; asking for a status changes nothing.
    if (options.demo && request.url === DEMO_OCSP_PATH) return;
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      throw new ApiHttpError(
        'ORIGIN_NOT_ALLOWED',
        'Requests from this origin are not allowed.',
      );
    }
    if (request.headers[CSRF_HEADER.toLowerCase()] !== '1') {
      throw new ApiHttpError(
        'CSRF_HEADER_MISSING',
        `State-changing requests need the header ${CSRF_HEADER}: 1.`,
      );
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendError(error, request, reply),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new ApiHttpError(
        'NOT_FOUND',
        `No route ${request.method} ${request.url}.`,
      ),
      request,
      reply,
    ),
  );

  await app.register(
    async (api) => {
      authRoutes(api, ctx);
      egovRoutes(api, ctx);
      meRoutes(api, ctx);
      childrenRoutes(api, ctx);
      openapiRoutes(api);
    },
    { prefix: API_PREFIX },
  );
  if (options.demo) {
    demoRoutes(
      app,
      API_PREFIX,
      options.demo,
      ctx.acceptTestIins,
      ctx.revocation.mode !== 'off',
    );
  }
  await staticRoutes(app, options.staticRoots ?? DEFAULT_ROOTS);
  return app;
}

/**
 * JSON is the only body the API takes (text/plain, which Fastify parses by
 * default, would be a way round the content type check). The parser is
 * Fastify's own, except that an empty body counts as no body: a client may
 * send Content-Type: application/json with nothing after it on routes that
 * take no input.
 */
function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parse(request, text, done);
    },
  );
}

/** Fastify's own failures, as protocol codes. */
const FASTIFY_CODES: Readonly<Record<string, ApiHttpError['code']>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

function toApiError(error: FastifyError): ApiHttpError | null {
  if (error instanceof ApiHttpError) return error;
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return new ApiHttpError(mapped, error.message);
  // The JSON parser reports a syntax error as a plain 400.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new ApiHttpError('INVALID_JSON', 'The body is not valid JSON.');
  }
  if (error.statusCode === 413) {
    return new ApiHttpError('PAYLOAD_TOO_LARGE', 'The body is too large.');
  }
  if (error.statusCode === 415) {
    return new ApiHttpError('UNSUPPORTED_MEDIA_TYPE', error.message);
  }
  // Any other failure Fastify classed as the client's (a malformed header,
  // a bad URL encoding) is a bad request, never a 500.
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return new ApiHttpError('BAD_REQUEST', error.message);
  }
  return null;
}

function sendError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const api = toApiError(error);
  if (api) {
    request.outcome = api.code;
    return reply
      .code(api.statusCode)
      .headers(api.headers)
      .type('application/json; charset=utf-8')
      .send(api.toBody());
  }
  // A bug: log it in full, answer without details.
  request.outcome = 'INTERNAL_ERROR';
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .code(500)
    .type('application/json; charset=utf-8')
    .send(INTERNAL_ERROR_BODY);
}
