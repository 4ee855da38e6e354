/**
 * Certificate revocation lists (RFC 5280 §5, §6.3): a base CRL and, where
 * the CA publishes one, a delta CRL, each taken from the configured files
 * or downloaded from the URLs the certificate names, and each used only
 * after its signature verifies under the issuer, its scope fits and it is
 * fresh. Downloads are kept until the CRL's nextUpdate, and one download
 * serves every login that waits for it.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { children, keyUsageOf, isCaCertificate } from '../certificate-info.js';
import { certificateBytes, equalBytes, toHex } from '../pem.js';
import {
  distributionPointUrls,
  download,
  FetchFailed,
  REVOCATION_EXT,
} from './sources.js';
import type {
  FetchFunction,
  RevocationAnswer,
  SignatureCheck,
} from './types.js';

/** A CRL as read once: the parsed list and what the checks need. */
export interface ParsedCrl {
  list: pkijs.CertificateRevocationList;
  /** The signed part, exactly as encoded. */
  tbs: Uint8Array;
  /** crlNumber, when present. */
  number: bigint | null;
  /** BaseCRLNumber of a delta CRL; null for a complete CRL. */
  deltaOf: bigint | null;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /**
   * Issuer keys (hex of the key bits) whose signature on this CRL has
   * verified: a large CRL is hashed once, not at every login (Streebog in
   * JavaScript over megabytes is slow).
   */
  signedBy: Set<string>;
}

const REASON_HOLD = 6;
const REASON_REMOVE = 8;

/** Extensions a CRL may mark critical that this code understands. */
const KNOWN_CRL_EXTENSIONS = new Set<string>([
  REVOCATION_EXT.crlNumber,
  REVOCATION_EXT.deltaCrlIndicator,
  REVOCATION_EXT.issuingDistributionPoint,
  REVOCATION_EXT.authorityKeyIdentifier,
  REVOCATION_EXT.freshestCrl,
  REVOCATION_EXT.authorityInfoAccess,
]);

function integerOf(value: asn1js.AsnType | undefined): bigint | null {
  if (!(value instanceof asn1js.Integer)) return null;
  const bytes = value.valueBlock.valueHexView;
  return bytes.length === 0 ? null : BigInt(`0x${toHex(bytes)}`);
}

function crlExtension(
  list: pkijs.CertificateRevocationList,
  oid: string,
): asn1js.AsnType | undefined {
  const ext = list.crlExtensions?.extensions.find((e) => e.extnID === oid);
  if (!ext) return undefined;
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  return asn.offset === -1 ? undefined : asn.result;
}

/** Reads a CRL (DER or PEM); null for anything that is not one. */
export function parseCrl(input: Uint8Array): ParsedCrl | null {
  try {
    const der = certificateBytes(input);
    const asn = asn1js.fromBER(der);
    if (asn.offset !== der.length) return null;
    const list = new pkijs.CertificateRevocationList({ schema: asn.result });
    const tbs = (asn.result as asn1js.Sequence).valueBlock.value[0]!;
    const has = (oid: string) =>
      list.crlExtensions?.extensions.some((e) => e.extnID === oid) ?? false;
    return {
      list,
      tbs: new Uint8Array(tbs.valueBeforeDecodeView),
      number: integerOf(crlExtension(list, REVOCATION_EXT.crlNumber)),
      deltaOf: has(REVOCATION_EXT.deltaCrlIndicator)
        ? (integerOf(crlExtension(list, REVOCATION_EXT.deltaCrlIndicator)) ??
          -1n)
        : null,
      thisUpdate: list.thisUpdate.value,
      nextUpdate: list.nextUpdate?.value ?? null,
      signedBy: new Set(),
    };
  } catch {
    return null;
  }
}

export interface CrlContext {
  cert: pkijs.Certificate;
  issuer: pkijs.Certificate;
  time: Date;
  verify: SignatureCheck;
  allowStale: boolean;
  skewMs: number;
}

function akiOf(list: pkijs.CertificateRevocationList): Uint8Array | null {
  const first = children(
    crlExtension(list, REVOCATION_EXT.authorityKeyIdentifier),
  )[0] as asn1js.BaseBlock | undefined;
  if (first?.idBlock.tagClass !== 3 || first.idBlock.tagNumber !== 0) {
    return null;
  }
  const value = first.valueBlock as { valueHexView?: Uint8Array };
  return value.valueHexView ?? null;
}

function skiOf(cert: pkijs.Certificate): Uint8Array | null {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (!ext) return null;
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  return asn.result instanceof asn1js.OctetString
    ? asn.result.valueBlock.valueHexView
    : null;
}

/**
 * Why this CRL cannot speak for the certificate, or null when it can:
 * issued by the certificate's issuer, signed by its key, in scope, and
 * fresh at `time`.
 */
export async function crlUnusable(
  crl: ParsedCrl,
  ctx: CrlContext,
): Promise<string | null> {
  const { list } = crl;
  if (!list.issuer.isEqual(ctx.cert.issuer)) return 'another issuer';
  const aki = akiOf(list);
  const ski = skiOf(ctx.issuer);
  if (aki && ski && !equalBytes(aki, ski)) return "another key's CRL";
  const usage = keyUsageOf(ctx.issuer);
  if (usage.length > 0 && !usage.includes('cRLSign')) {
    return 'the issuer may not sign CRLs';
  }
  for (const ext of list.crlExtensions?.extensions ?? []) {
    if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.extnID)) {
      return `unknown critical extension ${ext.extnID}`;
    }
  }
  const scope = scopeProblem(list, isCaCertificate(ctx.cert));
  if (scope) return scope;
  const skew = ctx.skewMs;
  if (crl.thisUpdate.getTime() > ctx.time.getTime() + skew) {
    return 'issued in the future';
  }
  if (!ctx.allowStale) {
    if (!crl.nextUpdate) return 'no nextUpdate';
    if (crl.nextUpdate.getTime() + skew < ctx.time.getTime()) {
      return `stale since ${crl.nextUpdate.toISOString()}`;
    }
  }
  const inner = new Uint8Array(list.signature.toSchema().toBER());
  const outer = new Uint8Array(list.signatureAlgorithm.toSchema().toBER());
  if (!equalBytes(inner, outer) || list.signatureValue.valueBlock.unusedBits) {
    return 'malformed signature';
  }
  const key = toHex(
    ctx.issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView,
  );
  if (crl.signedBy.has(key)) return null;
  const signed = await ctx
    .verify(
      list.signatureAlgorithm.algorithmId,
      ctx.issuer,
      list.signatureValue.valueBlock.valueHexView,
      crl.tbs,
    )
    .catch(() => false);
  if (!signed) return 'the signature does not verify under the issuer';
  crl.signedBy.add(key);
  return null;
}

/**
 * A partitioned CRL (issuingDistributionPoint) speaks only for the
 * certificates it says; indirect CRLs and reason partitions are not
 * supported, so such a CRL is never taken as complete.
 */
function scopeProblem(
  list: pkijs.CertificateRevocationList,
  certIsCa: boolean,
): string | null {
  const idp = crlExtension(list, REVOCATION_EXT.issuingDistributionPoint);
  if (!idp) return null;
  for (const field of children(idp)) {
    const id = (field as asn1js.BaseBlock).idBlock;
    const flag = (field as asn1js.Primitive).valueBlock.valueHexView?.[0];
    if (id.tagClass !== 3 || flag === 0) continue;
    if (id.tagNumber === 1 && certIsCa) return 'a CRL for end entities only';
    if (id.tagNumber === 2 && !certIsCa) return 'a CRL for CAs only';
    if (id.tagNumber >= 3) return 'a partitioned or indirect CRL';
  }
  return null;
}

interface Listing {
  reason: number | null;
  date: Date;
}

/** The certificate's entry on this CRL, if it has one. */
export function listing(
  crl: ParsedCrl,
  cert: pkijs.Certificate,
): Listing | null {
  const serial = cert.serialNumber.valueBlock.valueHexView;
  for (const entry of crl.list.revokedCertificates ?? []) {
    if (!equalBytes(entry.userCertificate.valueBlock.valueHexView, serial)) {
      continue;
    }
    const ext = entry.crlEntryExtensions?.extensions.find(
      (e) => e.extnID === REVOCATION_EXT.crlReason,
    );
    let reason: number | null = null;
    if (ext) {
      const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
      if (asn.result instanceof asn1js.Enumerated) {
        reason = asn.result.valueBlock.valueDec;
      }
    }
    return { reason, date: entry.revocationDate.value };
  }
  return null;
}

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  '',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

function revokedAnswer(entry: Listing, what: string): RevocationAnswer {
  const reason = entry.reason === null ? '' : `, ${REASONS[entry.reason]}`;
  return {
    status: 'revoked',
    detail: `listed on the ${what} since ${entry.date.toISOString()}${reason}`,
    source: 'crl',
  };
}

/** The answer of a base CRL and, when there is one, its delta. */
export function statusFrom(
  cert: pkijs.Certificate,
  base: ParsedCrl,
  delta: ParsedCrl | null,
): RevocationAnswer {
  const inDelta = delta ? listing(delta, cert) : null;
  if (inDelta && inDelta.reason !== REASON_REMOVE) {
    return revokedAnswer(inDelta, 'delta CRL');
  }
  const inBase = listing(base, cert);
  // removeFromCRL on the delta lifts a hold that the base still lists.
  if (inBase && !(inDelta && inBase.reason === REASON_HOLD)) {
    return revokedAnswer(inBase, 'CRL');
  }
  const which = delta ? 'base and delta CRL' : 'CRL';
  return { status: 'good', detail: `not on the ${which}`, source: 'crl' };
}

export interface CrlSourceOptions {
  files: Uint8Array[];
  fetch: FetchFunction;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Finds usable CRLs for a certificate and answers for it. One instance
 * lives as long as the server: it holds the configured files, parsed
 * once, and the downloads, until their nextUpdate.
 */
export class CrlSource {
  readonly #files: ParsedCrl[];
  readonly #cache = new Map<string, ParsedCrl>();
  readonly #pending = new Map<string, Promise<ParsedCrl>>();

  constructor(private readonly options: CrlSourceOptions) {
    this.#files = options.files.map((bytes, i) => {
      const crl = parseCrl(bytes);
      // The operator's mistake: say so at start, not at the first login.
      if (!crl) throw new Error(`CRL file ${i} is not a CRL.`);
      return crl;
    });
  }

  async check(ctx: CrlContext): Promise<RevocationAnswer> {
    const problems: string[] = [];
    const base = await this.#find(ctx, false, problems, (c) =>
      distributionPointUrls(c.cert, REVOCATION_EXT.crlDistributionPoints),
    );
    if (!base) {
      return unknown(`no usable CRL (${problems.join('; ') || 'none named'})`);
    }
    const entry = listing(base, ctx.cert);
    if (entry && entry.reason !== REASON_HOLD) {
      // Only a hold can be lifted by a delta; this listing is final.
      return statusFrom(ctx.cert, base, null);
    }
    const deltaUrls = [
      ...distributionPointUrls(ctx.cert, REVOCATION_EXT.freshestCrl),
      ...distributionPointUrls(
        base.list.crlExtensions ?? {},
        REVOCATION_EXT.freshestCrl,
      ),
    ];
    const fitsBase = (d: ParsedCrl) =>
      d.deltaOf !== null && base.number !== null && d.deltaOf <= base.number;
    const delta = await this.#find(
      ctx,
      true,
      problems,
      () => [...new Set(deltaUrls)],
      fitsBase,
    );
    if (!delta && deltaUrls.length > 0) {
      // The CA publishes deltas: without the current one, the answer
      // would be as old as the base CRL. Not good enough to say "good".
      return unknown(`no usable delta CRL (${problems.join('; ')})`);
    }
    return statusFrom(ctx.cert, base, delta);
  }

  /**
   * The first usable CRL of the kind asked for: configured files first,
   * then the cache, then downloads from the URLs.
   */
  async #find(
    ctx: CrlContext,
    delta: boolean,
    problems: string[],
    urlsOf: (ctx: CrlContext) => string[],
    fits: (crl: ParsedCrl) => boolean = () => true,
  ): Promise<ParsedCrl | null> {
    const kind = (c: ParsedCrl) => (c.deltaOf !== null) === delta && fits(c);
    for (const crl of this.#files.filter(kind)) {
      const why = await crlUnusable(crl, ctx);
      if (!why) return crl;
      if (crl.list.issuer.isEqual(ctx.cert.issuer)) {
        problems.push(`configured CRL: ${why}`);
      }
    }
    for (const url of urlsOf(ctx)) {
      try {
        const crl = await this.#load(url, ctx);
        if (!kind(crl)) {
          problems.push(`${url}: not a ${delta ? 'delta' : 'base'} CRL`);
          continue;
        }
        const why = await crlUnusable(crl, ctx);
        if (!why) return crl;
        // Not kept: the next login downloads again rather than trusting
        // a list that failed once (a forged one must not stick).
        this.#cache.delete(url);
        problems.push(`${url}: ${why}`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return null;
  }

  /** The CRL at `url`: cached until nextUpdate, downloaded once. */
  async #load(url: string, ctx: CrlContext): Promise<ParsedCrl> {
    const cached = this.#cache.get(url);
    const fresh =
      cached?.nextUpdate &&
      cached.nextUpdate.getTime() >= ctx.time.getTime() &&
      cached.thisUpdate.getTime() <= ctx.time.getTime() + ctx.skewMs;
    if (cached && fresh) return cached;
    const pending = this.#pending.get(url);
    if (pending) return pending;
    const loading = (async () => {
      const bytes = await download(this.options.fetch, {
        url,
        timeoutMs: this.options.timeoutMs,
        maxBytes: this.options.maxBytes,
      });
      const crl = parseCrl(bytes);
      if (!crl) throw new FetchFailed(`${url}: the answer is not a CRL`);
      this.#cache.set(url, crl);
      return crl;
    })();
    this.#pending.set(url, loading);
    try {
      return await loading;
    } finally {
      this.#pending.delete(url);
    }
  }
}

function unknown(detail: string): RevocationAnswer {
  return { status: 'unknown', detail, source: 'crl' };
}
