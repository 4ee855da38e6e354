/**
 * Types for the parts of `ncalayer-js-client` (SIGEX, MIT) that Qoltanba
 * uses; the package ships none. The names and shapes follow its source
 * (ncalayer-client.js 1.5) and the protocol in domain.md §2.
 */

/** A basics `sign` result: what NCALayer puts in `body.result`. */
export type BasicsSignResult =
  | string
  | string[]
  | { signatures?: string | string[]; certificate?: string };

export interface BasicsSigningParams {
  /** The data is base64: NCALayer signs its bytes, not the text. */
  decode?: boolean;
  /** Attach the content to the CMS. */
  encapsulate?: boolean;
  digested?: boolean;
  tsaProfile?: Record<string, unknown>;
}

export interface BasicsSignerParams {
  /** Required; `[]` accepts any key. */
  extKeyUsageOids: string[];
  iin?: string;
  bin?: string;
  serialNumber?: string;
  /** PEM CA certificates; `[]` lets NCALayer accept test keys. */
  chain?: string[];
}

/** NCALayer's storage names (domain.md §2). */
export type NcaLayerStorage =
  | 'PKCS12'
  | 'JKS'
  | 'AKKaztokenStore'
  | 'AKKZIDCardStore'
  | 'AKEToken72KStore'
  | 'AKEToken5110Store'
  | 'AKJaCartaStore'
  | 'AKAKEYStore';

/** The package's error: a message, and whether the user cancelled. */
export interface NcaLayerClientError extends Error {
  name: 'NCALayerError';
  canceledByUser?: boolean;
}

export interface NcaLayerClient {
  readonly url: string;
  /** The socket of the current connection, null before connect(). */
  wsConnection: WebSocket | null;
  /** Test hooks of the package: each raw request and reply. */
  onRequestReady: ((json: string) => void) | null;
  onResponseReady: ((json: string) => void) | null;
  /** Opens the socket; resolves to NCALayer's version from its greeting. */
  connect(): Promise<string>;
  basicsSign(
    allowedStorages: string[] | null,
    format: 'cms' | 'xml',
    data: string | string[],
    signingParams: BasicsSigningParams,
    signerParams: BasicsSignerParams,
    locale: string,
    forceSingleSignature?: boolean,
  ): Promise<BasicsSignResult>;
  getActiveTokens(): Promise<string[]>;
}

export interface NcaLayerClientClass {
  new (url?: string, allowKmdHttpApi?: boolean): NcaLayerClient;
}

/** Where NCALayer listens on every computer. */
export const NCALAYER_URL = 'wss://127.0.0.1:13579';

/** Every storage NCALayer knows, in the order a login page offers them. */
export const NCALAYER_STORAGES: readonly NcaLayerStorage[] = [
  'PKCS12',
  'AKKaztokenStore',
  'AKKZIDCardStore',
  'AKEToken72KStore',
  'AKEToken5110Store',
  'AKJaCartaStore',
  'AKAKEYStore',
  'JKS',
];

export type NcaLayerErrorCode =
  /**
   * The connection failed before it opened: NCALayer is not running, or
   * this browser does not trust its certificate, or something blocks it.
   * A page cannot tell which, by design (it would let pages scan ports):
   * in Chromium both give close code 1006 with no reason; fetch() to
   * https:// or http:// on the port fails with the same TypeError within
   * 2-10 ms either way; resource timing entries of both are all zeros
   * (cross-origin, no Timing-Allow-Origin); and timing overlaps (a closed
   * port 2-40 ms, an untrusted certificate 7 ms to 2.6 s, since Chromium
   * slows repeated failing WebSockets; Windows takes about 2 s to refuse
   * a loopback port). So the element asks the user to open NCALayer's
   * address in a tab, where the browser shows which it is.
   */
  | 'NCALAYER_UNREACHABLE'
  /** The connection neither opened nor failed in time, or NCALayer
   * greeted and then said nothing. */
  | 'NCALAYER_TIMEOUT'
  /** NCALayer answers but has no `basics` module: an old version. */
  | 'NCALAYER_OUTDATED'
  /** NCALayer answered with an error, or closed the connection. */
  | 'NCALAYER_FAILED';

export class NcaLayerError extends Error {
  override name = 'NcaLayerError';
  constructor(
    readonly code: NcaLayerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

