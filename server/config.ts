/**
 * Server settings from the command line and the environment. A flag wins
 * over its environment variable, which wins over the default. Bad values
 * stop the server at start with a message that names the setting, rather
 * than surfacing later as odd behaviour.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  REVOCATION_MODES,
  type RevocationMode,
} from '../src/crypto/revocation/types.js';

export type SameSite = 'lax' | 'strict' | 'none';

export interface ServerConfig {
  host: string;
  port: number;
  /** The portal's origin, named in challenges when a request has none. */
  publicOrigin: string;
  /** Origins allowed to call the API with cookies (CORS and CSRF check). */
  allowedOrigins: string[];
  /** Where the database and the demo PKI live. */
  dataDir: string;
  /** Extra CA certificates, on top of the demo PKI's. */
  trustAnchorsDir: string | null;
  /** Demo mode: demo data, demo keys, /api/demo/info, NCA test IINs. */
  demo: boolean;
  challengeLifetimeMs: number;
  sessionLifetimeMs: number;
  cookieSameSite: SameSite;
  /** Always mark cookies Secure, e.g. behind a TLS-terminating proxy. */
  cookieSecure: boolean;
  bodyLimit: number;
  /** Believe X-Forwarded-* headers (client IP, https) from a proxy. */
  trustProxy: boolean;
  logLevel: string;
  /** Challenge and login requests per IP per minute; 0 turns it off. */
  rateLimitPerMinute: number;
  revocation: RevocationConfig;
  /** Let employees of legal entities log in with their organisation key. */
  acceptLegalEntityKeys: boolean;
  clockSkewMs: number;
}

export interface RevocationConfig {
  /**
   * Default "ocsp-then-crl", in demo mode too: the demo CAs publish CRLs
   * (server/pki/demo-pki.ts).
   */
  mode: RevocationMode;
  /** CRL files (.crl, DER or PEM), base and delta, used before downloads. */
  crlDir: string | null;
  /** Ask this OCSP responder instead of each certificate's own. */
  ocspUrl: string | null;
  /** Per CRL download or OCSP request. */
  timeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const USAGE = `Usage: tsx server/main.ts [options]

Options (environment variable in brackets):
  --port N               port to listen on [PORT], default 8080
  --host NAME            address to bind [HOST], default localhost
  --origin URL           the portal's public origin [QOLTANBA_PUBLIC_ORIGIN],
                         default http://localhost:PORT
  --allowed-origins L    comma-separated origins allowed to call the API
                         [QOLTANBA_ALLOWED_ORIGINS], default the server's own
  --data-dir DIR         database and demo PKI [QOLTANBA_DATA_DIR],
                         default ./demo-data
  --trust-anchors DIR    extra CA certificates (.cer .crt .pem .der)
                         [QOLTANBA_TRUST_ANCHORS]
  --demo, --no-demo      demo mode [QOLTANBA_DEMO=1|0], default on
  --revocation MODE      ocsp-then-crl | crl-then-ocsp | ocsp | crl | off
                         [QOLTANBA_REVOCATION], default ocsp-then-crl
                         (in demo mode too: the demo CAs publish CRLs)
  --help                 this text

More settings, by environment only:
  QOLTANBA_CHALLENGE_TTL_SECONDS  challenge lifetime, default 300
  QOLTANBA_SESSION_TTL_SECONDS    session lifetime, default 7200
  QOLTANBA_COOKIE_SAMESITE        lax | strict | none, default lax
  QOLTANBA_COOKIE_SECURE          1 to always mark cookies Secure
  QOLTANBA_BODY_LIMIT             request body limit in bytes, default 65536
  QOLTANBA_TRUST_PROXY            1 to believe X-Forwarded-* headers
  QOLTANBA_RATE_LIMIT             challenge+login requests per IP per minute,
                                  default 30, 0 = off
  QOLTANBA_LOG_LEVEL              fatal error warn info debug, default info
  QOLTANBA_LEGAL_ENTITY_KEYS      1 to accept keys of legal entities' staff
  QOLTANBA_CLOCK_SKEW_SECONDS     allowed on certificate validity, default 60
  QOLTANBA_CRL_DIR                CRL files (.crl) to use before downloading
  QOLTANBA_OCSP_URL               OCSP responder instead of the certificates'
  QOLTANBA_REVOCATION_TIMEOUT_MS  per CRL download or OCSP request,
                                  default 5000
`;

type Env = Record<string, string | undefined>;

function integer(name: string, value: string, min: number, max: number) {
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(`${name} must be a whole number, not "${value}"`);
  }
  const n = Number(value);
  if (n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}`);
  }
  return n;
}

function flag(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${value}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

function logLevel(value: string): string {
  const level = value.trim().toLowerCase();
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(
      `QOLTANBA_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level;
}

/** "https://portal.example.kz/" → "https://portal.example.kz". */
export function normalizeOrigin(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`${name}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}: "${value}" is not http or https`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ConfigError(`${name}: "${value}" must be an origin only`);
  }
  return url.origin;
}

export function loadConfig(
  argv: string[] = process.argv.slice(2),
  env: Env = process.env,
): ServerConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        origin: { type: 'string' },
        'allowed-origins': { type: 'string' },
        'data-dir': { type: 'string' },
        'trust-anchors': { type: 'string' },
        demo: { type: 'boolean' },
        'no-demo': { type: 'boolean' },
        revocation: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) throw new ConfigError(USAGE);

  const port = integer('PORT', values.port ?? env.PORT ?? '8080', 0, 65535);
  const host = values.host ?? env.HOST ?? 'localhost';
  const publicOrigin = normalizeOrigin(
    'QOLTANBA_PUBLIC_ORIGIN',
    values.origin ?? env.QOLTANBA_PUBLIC_ORIGIN ?? `http://localhost:${port}`,
  );
  const originList =
    values['allowed-origins'] ?? env.QOLTANBA_ALLOWED_ORIGINS ?? '';
  const allowedOrigins = originList
    .split(',')
    .filter((o) => o.trim() !== '')
    .map((o) => normalizeOrigin('QOLTANBA_ALLOWED_ORIGINS', o));
  if (allowedOrigins.length === 0) {
    allowedOrigins.push(publicOrigin);
    // The same local server is reached by either name; both are its own.
    const local = new URL(publicOrigin);
    if (local.hostname === 'localhost') {
      local.hostname = '127.0.0.1';
      allowedOrigins.push(local.origin);
    }
  }

  let demo = true;
  if (env.QOLTANBA_DEMO !== undefined) {
    demo = flag('QOLTANBA_DEMO', env.QOLTANBA_DEMO);
  }
  if (values.demo) demo = true;
  if (values['no-demo']) demo = false;

  const sameSite = (env.QOLTANBA_COOKIE_SAMESITE ?? 'lax').toLowerCase();
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
    throw new ConfigError('QOLTANBA_COOKIE_SAMESITE must be lax, strict or none');
  }
  const cookieSecure = flag(
    'QOLTANBA_COOKIE_SECURE',
    env.QOLTANBA_COOKIE_SECURE ?? '0',
  );
  if (sameSite === 'none' && !cookieSecure) {
    // Browsers drop SameSite=None cookies that are not Secure.
    throw new ConfigError(
      'QOLTANBA_COOKIE_SAMESITE=none needs QOLTANBA_COOKIE_SECURE=1',
    );
  }

  const trustAnchors = values['trust-anchors'] ?? env.QOLTANBA_TRUST_ANCHORS;
  const mode = (
    values.revocation ??
    env.QOLTANBA_REVOCATION ??
    'ocsp-then-crl'
  ).trim();
  if (!(REVOCATION_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(
      `QOLTANBA_REVOCATION must be one of ${REVOCATION_MODES.join(', ')}`,
    );
  }
  const ocspUrl = env.QOLTANBA_OCSP_URL?.trim() || null;
  if (ocspUrl !== null && !/^https?:\/\/\S+$/.test(ocspUrl)) {
    throw new ConfigError('QOLTANBA_OCSP_URL must be an http(s) URL');
  }
  const seconds = 1000;
  return {
    host,
    port,
    publicOrigin,
    allowedOrigins,
    dataDir: resolve(values['data-dir'] ?? env.QOLTANBA_DATA_DIR ?? 'demo-data'),
    trustAnchorsDir: trustAnchors ? resolve(trustAnchors) : null,
    demo,
    challengeLifetimeMs:
      integer(
        'QOLTANBA_CHALLENGE_TTL_SECONDS',
        env.QOLTANBA_CHALLENGE_TTL_SECONDS ?? '300',
        10,
        3600,
      ) * seconds,
    sessionLifetimeMs:
      integer(
        'QOLTANBA_SESSION_TTL_SECONDS',
        env.QOLTANBA_SESSION_TTL_SECONDS ?? '7200',
        60,
        30 * 24 * 3600,
      ) * seconds,
    cookieSameSite: sameSite,
    cookieSecure,
    bodyLimit: integer(
      'QOLTANBA_BODY_LIMIT',
      env.QOLTANBA_BODY_LIMIT ?? '65536',
      1024,
      16 * 1024 * 1024,
    ),
    trustProxy: flag('QOLTANBA_TRUST_PROXY', env.QOLTANBA_TRUST_PROXY ?? '0'),
    logLevel: logLevel(env.QOLTANBA_LOG_LEVEL ?? 'info'),
    rateLimitPerMinute: integer(
      'QOLTANBA_RATE_LIMIT',
      env.QOLTANBA_RATE_LIMIT ?? '30',
      0,
      100000,
    ),
    acceptLegalEntityKeys: flag(
      'QOLTANBA_LEGAL_ENTITY_KEYS',
      env.QOLTANBA_LEGAL_ENTITY_KEYS ?? '0',
    ),
    clockSkewMs:
      integer(
        'QOLTANBA_CLOCK_SKEW_SECONDS',
        env.QOLTANBA_CLOCK_SKEW_SECONDS ?? '60',
        0,
        600,
      ) * seconds,
    revocation: {
      mode: mode as RevocationMode,
      crlDir: env.QOLTANBA_CRL_DIR ? resolve(env.QOLTANBA_CRL_DIR) : null,
      ocspUrl,
      timeoutMs: integer(
        'QOLTANBA_REVOCATION_TIMEOUT_MS',
        env.QOLTANBA_REVOCATION_TIMEOUT_MS ?? '5000',
        100,
        60000,
      ),
    },
  };
}
