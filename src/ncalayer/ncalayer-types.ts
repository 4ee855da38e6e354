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
   * A browser reports all three alike (close code 1006, no reason), and
   * timing does not separate them: on loopback Chromium took 4-40 ms to
   * report a closed port and 7-220 ms an untrusted certificate, and
   * Windows takes about 2 s to refuse a loopback port.
   * TODO(#5): a probe that tells "not running" from "not trusted".
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

