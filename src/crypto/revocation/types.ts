/**
 * The shapes the revocation checks share: how they are configured, what
 * they answer, and the two things they borrow from the caller (a fetch
 * function and a signature check), so that nothing here knows about HTTP
 * frameworks or about how a CMS is verified.
 */
import type * as pkijs from 'pkijs';

/**
 * Which source is asked, in which order. "ocsp-then-crl" asks the OCSP
 * responder and falls back to the CRL only when OCSP could not answer;
 * "off" checks nothing (a portal must say so on purpose).
 */
export type RevocationMode =
  | 'crl'
  | 'ocsp'
  | 'ocsp-then-crl'
  | 'crl-then-ocsp'
  | 'off';

export const REVOCATION_MODES: readonly RevocationMode[] = [
  'crl',
  'ocsp',
  'ocsp-then-crl',
  'crl-then-ocsp',
  'off',
];

/** The subset of WHATWG fetch the checks use; inject one in tests. */
export type FetchFunction = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: Uint8Array<ArrayBuffer>;
    signal: AbortSignal;
  },
) => Promise<Response>;

/**
 * Does `issuer`'s public key verify `signature` over `data` with the
 * signature algorithm `algorithmOid`? The login verifier supplies this
 * (RSA through WebCrypto, GOST 34.10-2015 through the library's own code).
 */
export type SignatureCheck = (
  algorithmOid: string,
  issuer: pkijs.Certificate,
  signature: Uint8Array,
  data: Uint8Array,
) => Promise<boolean>;

export interface RevocationOptions {
  mode: RevocationMode;
  /**
   * "chain" (default) checks every certificate below the trust anchor;
   * "leaf" only the signer's, for a CA whose own CRL is not reachable.
   */
  scope?: 'chain' | 'leaf';
  /** CRLs (DER or PEM), base and delta, used before any download. */
  crls?: Uint8Array[];
  /** Asks this OCSP responder instead of the certificate's AIA one. */
  ocspUrl?: string;
  /** Default globalThis.fetch. */
  fetch?: FetchFunction;
  /** Per download or OCSP request; default 5 seconds. */
  timeoutMs?: number;
  /** The largest CRL downloaded; default 64 MiB (NCA's are large). */
  maxCrlBytes?: number;
  /**
   * Accept a CRL past its nextUpdate. Only for tests: NCA's published
   * test CRLs are stale.
   */
  allowStaleCrl?: boolean;
  /** How old an OCSP answer without nextUpdate may be; default 10 min. */
  ocspMaxAgeMs?: number;
  /** How far the CA's and the responder's clocks may be off; default 60 s. */
  clockSkewMs?: number;
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** What one source said about one certificate. */
export interface RevocationAnswer {
  status: RevocationStatus;
  /** English, for logs and the error message. */
  detail: string;
  source?: 'crl' | 'ocsp';
}

/** The verdict for a whole path: the first certificate not "good". */
export interface PathRevocation extends RevocationAnswer {
  /** Index in the path (0 = the signer), when status is not good. */
  index?: number;
  /** Serial (hex) of the certificate the verdict is about. */
  serial?: string;
}
