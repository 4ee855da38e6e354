/**
 * Signs a login challenge through NCALayer, NCA's desktop app, with the
 * `basics` module: NCALayer shows its own key and PIN dialog for tokens,
 * ID cards and key files, and answers with a CMS. The socket work is the
 * community's client (`ncalayer-js-client`); this module adds what a login
 * page needs on top: a time limit, telling apart why NCALayer cannot be
 * reached, the old NCALayer without `basics`, every reply shape, and a
 * quiet cancel. No DOM: the element maps the codes to text.
 */
import { fromBase64, fromPem, toBase64 } from '../crypto/pem.js';
import { NCALayerClient } from '../generated/ncalayer-client.js';
import type { LocaleCode } from '../localization.js';
import {
  NcaLayerError,
  NCALAYER_URL,
  type BasicsSignResult,
  type NcaLayerClientError,
} from './ncalayer-types.js';

export {
  NcaLayerError,
  NCALAYER_STORAGES,
  NCALAYER_URL,
  type NcaLayerErrorCode,
} from './ncalayer-types.js';

/**
 * Which keys NCALayer offers: it lists only keys whose certificate has every
 * EKU OID given. clientAuth alone would hide GOST 2015 keys, which serve
 * both uses but carry emailProtection, and they are what NCA issues today.
 * So ask for the individual's OID (domain.md §3), which RSA AUTH, RSA SIGN
 * and GOST 2015 keys of a person all carry and an organisation's keys do
 * not (the server refuses those by default). An RSA SIGN key chosen here is
 * refused by the server with CERT_WRONG_PURPOSE, which the element explains.
 */
const INDIVIDUAL_EKU = ['1.2.398.3.3.4.1.1'];

export interface NcaLayerConnectOptions {
  /** Default NCALAYER_URL. */
  url?: string;
  /** Time for the connection and NCALayer's greeting; default 5 s. */
  connectTimeoutMs?: number;
}

export interface NcaLayerSignOptions extends NcaLayerConnectOptions {
  /** The bytes to sign; NCALayer gets them as base64 with decode:true. */
  content: Uint8Array;
  /** Storages to offer; null lets NCALayer offer all it has. */
  storages: readonly string[] | null;
  locale: LocaleCode;
}

type Client = InstanceType<typeof NCALayerClient>;

/**
 * Signs with NCALayer. Resolves to the CMS (content attached) as base64
 * DER, or to null when the user pressed "Cancel" in NCALayer's window.
 * Rejects with NcaLayerError.
 */
export function signWithNcaLayer(
  options: NcaLayerSignOptions,
): Promise<string | null> {
  return withNcaLayer(options, async (client) => {
    const result: BasicsSignResult = await client.basicsSign(
      options.storages ? [...options.storages] : null,
      'cms',
      toBase64(options.content),
      { decode: true, encapsulate: true, digested: false, tsaProfile: {} },
      { extKeyUsageOids: INDIVIDUAL_EKU, chain: [] },
      ncaLayerLocale(options.locale),
      true,
    );
    return cmsFromReply(result);
  });
}

/**
 * The hardware storages NCALayer sees now (commonUtils getActiveTokens),
 * by NCALayer's names, e.g. ["AKKaztokenStore"]; [] when none is plugged
 * in. Key files (PKCS12) are never listed: they are always possible.
 * Rejects with NcaLayerError.
 */
export async function activeNcaLayerTokens(
  options: NcaLayerConnectOptions = {},
): Promise<string[]> {
  const tokens = await withNcaLayer(options, (client) =>
    client.getActiveTokens(),
  );
  if (!Array.isArray(tokens)) {
    throw new NcaLayerError('NCALAYER_FAILED', 'No list of storages.');
  }
  return tokens.filter((t): t is string => typeof t === 'string');
}

/**
 * Connects, runs one request and closes: NCALayer answers one request at
 * a time and has no request ids, so each request gets its own socket.
 * Resolves to null when the user cancelled in NCALayer's window.
 */
async function withNcaLayer<T>(
  options: NcaLayerConnectOptions,
  request: (client: Client) => Promise<T>,
): Promise<T | null> {
  const client = new NCALayerClient(options.url ?? NCALAYER_URL, false);
  let lastReply = '';
  client.onResponseReady = (json) => (lastReply = json);
  try {
    await connect(client, options);
    try {
      return await request(client);
    } catch (error) {
      if (error instanceof NcaLayerError) throw error;
      if ((error as NcaLayerClientError).canceledByUser) return null;
      throw replyError(lastReply, error);
    }
  } finally {
    client.wsConnection?.close();
  }
}

/**
 * The `basics` module's locale for ours. NCALayer's codes are not ours:
 * `basics` takes kk, ru, en, but `commonUtils.changeLocale` wants "kz".
 */
export function ncaLayerLocale(
  locale: LocaleCode,
  module: 'basics' | 'commonUtils' = 'basics',
): string {
  if (locale === 'kk') return module === 'basics' ? 'kk' : 'kz';
  return locale;
}

async function connect(
  client: Client,
  options: NcaLayerConnectOptions,
): Promise<void> {
  const connecting = client.connect();
  const socket = client.wsConnection!;
  let opened = false;
  socket.addEventListener('open', () => (opened = true));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NcaLayerError(
            'NCALAYER_TIMEOUT',
            opened
              ? 'NCALayer accepted the connection but did not greet.'
              : 'The connection to NCALayer neither opened nor failed.',
          ),
        ),
      options.connectTimeoutMs ?? 5000,
    );
  });
  try {
    await Promise.race([connecting, timeout]);
  } catch (error) {
    if (error instanceof NcaLayerError) throw error;
    if (opened) {
      throw new NcaLayerError('NCALAYER_FAILED', 'NCALayer closed at once.');
    }
    throw new NcaLayerError(
      'NCALAYER_UNREACHABLE',
      `No secure connection to ${client.url}: not running, certificate ` +
        'not trusted, or blocked.',
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Why a basics request failed, from NCALayer's raw reply. */
function replyError(raw: string, error: unknown): NcaLayerError {
  let reply: Record<string, unknown> = {};
  try {
    reply = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    // No reply at all: the socket closed or failed.
  }
  if (reply.errorCode === 'MODULE_NOT_FOUND') {
    return new NcaLayerError(
      'NCALAYER_OUTDATED',
      'This NCALayer has no basics module; it needs an update.',
    );
  }
  const code = typeof reply.code === 'string' ? reply.code : 'no reply';
  return new NcaLayerError(
    'NCALAYER_FAILED',
    `NCALayer: ${code}: ${(error as Error).message}`,
  );
}

/**
 * The CMS as base64 DER from whatever `basics` answered: PEM or base64
 * text, alone, in an array, or as `{signatures, certificate}`.
 */
export function cmsFromReply(result: BasicsSignResult): string {
  let value: unknown = result;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    value = (value as { signatures?: unknown }).signatures;
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') {
    throw new NcaLayerError('NCALAYER_FAILED', 'NCALayer sent no signature.');
  }
  const bytes = value.includes('-----BEGIN')
    ? fromPem(value)?.bytes
    : fromBase64(value);
  if (!bytes || bytes.length === 0 || bytes[0] !== 0x30) {
    throw new NcaLayerError(
      'NCALAYER_FAILED',
      'NCALayer sent a signature that is not CMS.',
    );
  }
  return toBase64(bytes);
}
