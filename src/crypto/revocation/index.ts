/**
 * Revocation checking for a certificate path, by CRL, OCSP or both in a
 * chosen order. A portal creates one RevocationChecker at start and hands
 * it to verifyLoginSignature for every login, so that downloaded CRLs are
 * shared until their nextUpdate.
 *
 * "Could not check" is never "good": a source that cannot answer yields
 * "unknown", the next source in the mode is asked, and when none answers
 * the login fails with REVOCATION_UNKNOWN.
 */
import type * as pkijs from 'pkijs';
import { toHex } from '../pem.js';
import { CrlSource } from './crl.js';
import { OcspSource } from './ocsp.js';
import type {
  FetchFunction,
  PathRevocation,
  RevocationAnswer,
  RevocationMode,
  RevocationOptions,
  SignatureCheck,
} from './types.js';

export * from './types.js';
export { parseCrl } from './crl.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_CRL_BYTES = 64 * 1024 * 1024;
const DEFAULT_OCSP_MAX_AGE_MS = 10 * 60 * 1000;
const DEFAULT_SKEW_MS = 60 * 1000;

const ORDER: Record<RevocationMode, Array<'crl' | 'ocsp'>> = {
  crl: ['crl'],
  ocsp: ['ocsp'],
  'ocsp-then-crl': ['ocsp', 'crl'],
  'crl-then-ocsp': ['crl', 'ocsp'],
  off: [],
};

export class RevocationChecker {
  readonly mode: RevocationMode;
  readonly #crl: CrlSource;
  readonly #ocsp: OcspSource;

  constructor(private readonly options: RevocationOptions) {
    if (!(options.mode in ORDER)) {
      throw new Error(`Unknown revocation mode "${String(options.mode)}".`);
    }
    this.mode = options.mode;
    const fetchFn: FetchFunction =
      options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#crl = new CrlSource({
      files: options.crls ?? [],
      fetch: fetchFn,
      timeoutMs,
      maxBytes: options.maxCrlBytes ?? DEFAULT_MAX_CRL_BYTES,
    });
    this.#ocsp = new OcspSource({
      fetch: fetchFn,
      timeoutMs,
      ...(options.ocspUrl ? { url: options.ocspUrl } : {}),
    });
  }

  /**
   * Checks `path` (the signer first, each next certificate the issuer of
   * the one before, the trust anchor last). The anchor itself is trusted
   * by configuration and not checked. Answers the first certificate that
   * is revoked or could not be checked, or "good" for the whole path.
   */
  async checkPath(
    path: pkijs.Certificate[],
    time: Date,
    verify: SignatureCheck,
  ): Promise<PathRevocation> {
    if (this.mode === 'off') {
      return { status: 'good', detail: 'revocation checking is off' };
    }
    const last = this.options.scope === 'leaf' ? 1 : path.length - 1;
    for (let index = 0; index < last; index++) {
      const cert = path[index]!;
      const issuer = path[index + 1]!;
      const answer = await this.checkOne(cert, issuer, time, verify);
      if (answer.status !== 'good') {
        return {
          ...answer,
          index,
          serial: toHex(cert.serialNumber.valueBlock.valueHexView),
        };
      }
    }
    return { status: 'good', detail: 'no certificate in the path is revoked' };
  }

  /** One certificate, asking the sources in the mode's order. */
  async checkOne(
    cert: pkijs.Certificate,
    issuer: pkijs.Certificate,
    time: Date,
    verify: SignatureCheck,
  ): Promise<RevocationAnswer> {
    const skewMs = this.options.clockSkewMs ?? DEFAULT_SKEW_MS;
    const details: string[] = [];
    for (const source of ORDER[this.mode]) {
      const answer =
        source === 'crl'
          ? await this.#crl.check({
              cert,
              issuer,
              time,
              verify,
              skewMs,
              allowStale: this.options.allowStaleCrl === true,
            })
          : await this.#ocsp.check({
              cert,
              issuer,
              time,
              verify,
              skewMs,
              maxAgeMs: this.options.ocspMaxAgeMs ?? DEFAULT_OCSP_MAX_AGE_MS,
            });
      if (answer.status !== 'unknown') return answer;
      details.push(answer.detail);
    }
    return { status: 'unknown', detail: details.join('; ') };
  }
}
