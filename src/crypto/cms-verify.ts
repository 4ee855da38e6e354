/**
 * Verifies a login signature: CMS SignedData with the server's challenge
 * attached, made by NCALayer, eGov mobile or this library's own signer.
 * Nothing here knows about HTTP; every failure is a VerifyError whose code
 * the server sends back as it is (src/api/protocol.ts), so bad input of any
 * kind is a typed 4xx, never an exception nobody expected.
 *
 * The order of the checks follows domain.md §6: the signature first, then
 * the certificate (validity, chain, purpose), and only then the IIN.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { ApiErrorCode } from '../api/protocol.js';
import { checkIin, NCA_TEST_IINS } from '../core/iin.js';
import type { CertificateInfo } from './types.js';
import {
  decodeString,
  describeFields,
  isGost2015Key,
  type NameAttribute,
} from './certificate-info.js';
import {
  childrenOf,
  CONTEXT,
  contentOf,
  DerError,
  encodingOf,
  is,
  itemsOf,
  octetsOf,
  oidOf,
  primitive,
  readElement,
  smallIntOf,
  TAG,
  timeOf,
  UNIVERSAL,
  type Element,
} from './der-reader.js';
import { ALG, CMS, EKU } from './oids.js';
import {
  bufferSource,
  certificateBytes,
  equalBytes,
  fromBase64,
  fromPem,
} from './pem.js';
import { streebog512 } from './gost/streebog.js';
import type {
  RevocationChecker,
  SignatureCheck,
} from './revocation/index.js';
import {
  decodePublicKey,
  precomputePoint,
  TC26_512_A,
  type GostCurve,
  type GostPoint,
} from './gost/gost3410.js';
import {
  GOST_2004_OIDS,
  GOST_512_CURVE_OIDS,
  GOST_512_KEY_OIDS,
  GOST_512_SIGNATURE_OIDS,
  gostVerifyData,
  STREEBOG_512_OIDS,
} from './gost/nca-gost.js';
import {
  authorityKeyId,
  isCa,
  keyUsageBit,
  pathLength,
  readAlgorithm,
  readName,
  readX509,
  sameName,
  selfIssued,
  subjectKeyId,
  unhandledCritical,
  type Name,
  type X509,
} from './x509-reader.js';

export class VerifyError extends Error {
  override name = 'VerifyError';
  /**
   * The signer's certificate when the failure came after it was read
   * (for logs: an operator wants to know whose revoked key it was).
   */
  certificate?: { serialNumber: string; issuerDn: string };
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifiedLogin {
  /** From the certificate's SERIALNUMBER, after every check passed. */
  iin: string;
  fullName: string;
  certificate: CertificateInfo;
  certificateDer: Uint8Array;
}

export interface VerifyLoginOptions {
  /** Base64 DER (line breaks allowed), PEM, or the DER bytes. */
  signature: string | Uint8Array;
  /** The challenge's bytes; the CMS must carry exactly these. */
  expectedContent: Uint8Array;
  /** CA certificates (DER or PEM) a chain may end at. */
  trustAnchors: Uint8Array[];
  /** Further CA certificates for building the chain. */
  intermediates?: Uint8Array[];
  /** The moment certificates must be valid at; default now. */
  time?: Date;
  /** Accept NCA's test IINs, which fail the checksum. Never in production. */
  acceptTestIins?: boolean;
  /**
   * Checks every certificate of the path by CRL and/or OCSP; a revoked one
   * fails with CERT_REVOKED, one that could not be checked with
   * REVOCATION_UNKNOWN. Without it revocation is not checked: a portal
   * must pass one (mode "off" says so on purpose).
   */
  revocation?: RevocationChecker;
  /**
   * Origins the signed challenge may name in its "Origin: …" line; when
   * given, a challenge naming another origin (or none) is refused with
   * ORIGIN_MISMATCH, so a signature made for one site cannot log in at
   * another.
   */
  allowedOrigins?: readonly string[];
  /**
   * Accept keys of a legal entity's employee (OU=BIN…, NCA's legal-entity
   * EKU). Off by default: a login that acts for a person's own children
   * must come from the person. Refused with CERT_LEGAL_ENTITY.
   */
  acceptLegalEntityKeys?: boolean;
  /** How far the signer's validity may be stretched each way; default 0. */
  clockSkewMs?: number;
}

/**
 * A login CMS is a few kilobytes; anything far larger is refused before
 * parsing so that a hostile body cannot make the parser work hard.
 */
const MAX_SIGNATURE_BYTES = 256 * 1024;

/** How deep a chain may be (leaf, issuing CA, root, and some room). */
const MAX_CHAIN_LENGTH = 6;

const DIGESTS: Readonly<Record<string, string>> = {
  [ALG.sha256]: 'SHA-256',
  [ALG.sha384]: 'SHA-384',
  [ALG.sha512]: 'SHA-512',
};

/** RSA signature OIDs and the digest each implies (for certificates too). */
const RSA_SIGNATURES: Readonly<Record<string, string>> = {
  [ALG.sha256WithRsa]: 'SHA-256',
  [ALG.sha384WithRsa]: 'SHA-384',
  [ALG.sha512WithRsa]: 'SHA-512',
};

const GOST_OIDS = new Set<string>([
  ALG.gost2015Key512,
  ALG.gost2015Signature512,
  ALG.streebog512,
  ALG.gost2004Key,
  ALG.gost2004Signature,
  ALG.gost2004Digest,
  ALG.tc26Key256,
  ALG.tc26Key512,
]);

function malformed(why: string): VerifyError {
  return new VerifyError('SIGNATURE_MALFORMED', `Not a CMS signature: ${why}.`);
}

/** The DER bytes behind whatever form the signature came in. */
function signatureBytes(
  input: string | Uint8Array,
  maxBytes = MAX_SIGNATURE_BYTES,
): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length > maxBytes) throw malformed('too large');
    return input;
  }
  if (typeof input !== 'string') throw malformed('not text');
  if (input.length > (maxBytes * 4) / 3 + 4096) {
    throw malformed('too large');
  }
  if (input.includes('-----BEGIN')) {
    const pem = fromPem(input);
    // NCALayer's basics module labels it CMS; OpenSSL writes PKCS7.
    if (!pem || !['CMS', 'PKCS7'].includes(pem.label)) {
      throw malformed('PEM armour that is not a CMS block');
    }
    return pem.bytes;
  }
  const bytes = fromBase64(input);
  if (!bytes || bytes.length === 0) throw malformed('not base64');
  return bytes;
}

/**
 * True when the bytes are one well-nested BER element: every constructed
 * element is exactly filled by its children and nothing runs past its
 * parent. asn1js forgives an outer length that disagrees with what is
 * inside; a verifier must not, or two different byte strings would count
 * as the same signature. With `der`, lengths must also be DER's: definite
 * and in the fewest bytes (X.690 10.1), as signed attributes must be.
 */
function wellNested(bytes: Uint8Array, der = false): boolean {
  const MAX_DEPTH = 64;
  /** Returns the offset after the element at `at`, or -1. */
  const element = (at: number, end: number, depth: number): number => {
    if (depth > MAX_DEPTH || at + 2 > end) return -1;
    const first = bytes[at++]!;
    if ((first & 0x1f) === 0x1f) {
      // High tag number: base-128 digits, the last without the top bit,
      // no leading zero digit and no number below 31 (as readElement).
      if (at >= end || bytes[at] === 0x80 || bytes[at]! < 31) return -1;
      let digits = 0;
      while (at < end && bytes[at]! & 0x80) {
        at++;
        if (++digits > 3) return -1;
      }
      at++;
    }
    if (at >= end) return -1;
    const constructed = (first & 0x20) !== 0;
    const lengthByte = bytes[at++]!;
    if (lengthByte === 0x80) {
      // Indefinite length: children until the end-of-contents octets.
      if (!constructed || der) return -1;
      while (at + 2 <= end && !(bytes[at] === 0 && bytes[at + 1] === 0)) {
        at = element(at, end, depth + 1);
        if (at < 0) return -1;
      }
      return at + 2 <= end ? at + 2 : -1;
    }
    let length = lengthByte;
    if (lengthByte & 0x80) {
      const count = lengthByte & 0x7f;
      if (count > 4 || at + count > end) return -1;
      if (der && (count === 0 || bytes[at] === 0)) return -1;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at++]!;
      if (der && length < 0x80) return -1;
    }
    const stop = at + length;
    if (stop > end) return -1;
    if (!constructed) return stop;
    while (at < stop) {
      at = element(at, stop, depth + 1);
      if (at < 0) return -1;
    }
    return at === stop ? stop : -1;
  };
  return element(0, bytes.length, 0) === bytes.length;
}

/**
 * Parses DER into a pkijs Certificate; throws a plain Error if it is not.
 * Lives here, with the verifier, so that the page's key-file code, which
 * reads certificates with asn1js alone, never loads pkijs. The login path
 * reads certificates with x509-reader.ts; pkijs serves the revocation
 * checks, which work on pkijs objects.
 */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1) {
    throw new Error(`Not a certificate: ${asn.result.error}`);
  }
  return new pkijs.Certificate({ schema: asn.result });
}

interface CertificateEntry {
  der: Uint8Array;
  cert: X509;
  /** The same certificate for the revocation checks, made when needed. */
  pkijs?: pkijs.Certificate;
}

type Algorithm = ReturnType<typeof readAlgorithm>;

/** A SignerInfo, as read by readSignerInfo. */
interface SignerInfo {
  version: number;
  /** IssuerAndSerialNumber, or a subjectKeyIdentifier. */
  sid: { issuer: Name; serialNumber: Uint8Array } | { keyId: Uint8Array };
  digestAlgorithm: Algorithm;
  /** The [0] element; the signer signed it with the tag made SET. */
  signedAttrs: Element | undefined;
  attributes: { type: string; values: Element[] }[];
  signatureAlgorithm: Algorithm;
  signature: Uint8Array;
}

interface ParsedCms {
  version: number;
  digestAlgorithms: Algorithm[];
  signerInfos: SignerInfo[];
  /** True when the certificate set holds other formats than X.509. */
  otherCertificateFormats: boolean;
  /** eContentType of the encapsulated content. */
  contentType: string;
  /** The attached content, or null for a detached signature. */
  content: Uint8Array | null;
  certificates: CertificateEntry[];
}

function readCertificate(der: Uint8Array): CertificateEntry {
  return { der, cert: readX509(der) };
}

/**
 * What the login returns about a certificate, from the fields read
 * already (reading the DER again with asn1js cost as much as the rest of
 * a login). Throws when an extension it reads is damaged.
 */
function describe(cert: X509): CertificateInfo {
  const text = (name: Name): NameAttribute[] =>
    name.attributes.map(({ oid, value }) => ({
      oid,
      value: value.constructed
        ? ''
        : decodeString(value.tagNumber, contentOf(value)),
    }));
  return describeFields({
    serialNumber: cert.serialNumber,
    issuer: text(cert.issuer),
    subject: text(cert.subject),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    keyAlgorithmOid: cert.keyAlgorithmOid,
    publicKey: cert.publicKey,
    extensions: cert.extensions.map(({ oid, value }) => ({
      extnID: oid,
      extnValue: { valueBlock: { valueHexView: value } },
    })),
  });
}

/**
 * RFC 5652 ties the version numbers to the choices made elsewhere. They
 * are not covered by the signature, so anything off is refused as
 * malformed rather than silently ignored.
 */
function checkVersions(cms: ParsedCms): void {
  // RFC 5652 5.1: 3 when a signer is named by key id or the content is
  // not id-data, else 1; 4 and 5 only come with other certificate or CRL
  // formats, which a login never needs.
  const byKeyId = cms.signerInfos.some((signer) => 'keyId' in signer.sid);
  const expected = byKeyId || cms.contentType !== CMS.data ? 3 : 1;
  if (
    cms.version !== expected &&
    !(cms.otherCertificateFormats && [4, 5].includes(cms.version))
  ) {
    throw malformed(`SignedData version ${cms.version}`);
  }
  const digests = cms.digestAlgorithms.map((a) => a.oid);
  for (const algorithm of cms.digestAlgorithms) {
    checkNoParameters(algorithm, 'a digest algorithm');
  }
  for (const signer of cms.signerInfos) {
    const byKeyId = 'keyId' in signer.sid;
    if (signer.version !== (byKeyId ? 3 : 1)) {
      throw malformed(`SignerInfo version ${signer.version}`);
    }
    if (!digests.includes(signer.digestAlgorithm.oid)) {
      throw malformed("a signer's digest algorithm is not listed");
    }
    checkNoParameters(signer.digestAlgorithm, "a signer's digest algorithm");
    checkNoParameters(signer.signatureAlgorithm, "a signer's algorithm");
  }
}

/**
 * The digest and signature algorithms a verifier supports take no
 * parameters: absent or an explicit NULL (what Kalkan writes). Anything
 * else is unsigned bytes that could vary, so it is refused.
 */
function checkNoParameters(algorithm: Algorithm, what: string): void {
  const params = algorithm.parameters;
  if (params === undefined) return;
  if (!is(params, UNIVERSAL, TAG.null) || params.constructed) {
    throw malformed(`${what} has unexpected parameters`);
  }
  if (params.end - params.start > 2) {
    throw malformed(`${what} has a malformed NULL`);
  }
}

/**
 * SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm,
 *   signedAttrs [0] IMPLICIT SET OF Attribute OPTIONAL,
 *   signatureAlgorithm, signature OCTET STRING,
 *   unsignedAttrs [1] IMPLICIT SET OF Attribute OPTIONAL }
 */
function readSignerInfo(element: Element): SignerInfo {
  const fields = itemsOf(element, TAG.sequence, 'SignerInfo');
  const [version, sidElement, digest] = fields;
  let sid: SignerInfo['sid'];
  if (is(sidElement, CONTEXT, 0) && !sidElement.constructed) {
    sid = { keyId: contentOf(sidElement) };
  } else {
    const parts = itemsOf(sidElement, TAG.sequence, 'IssuerAndSerialNumber');
    if (parts.length !== 2) throw new DerError('IssuerAndSerialNumber');
    sid = {
      issuer: readName(parts[0], 'sid issuer'),
      serialNumber: primitive(parts[1], TAG.integer, 'sid serialNumber'),
    };
  }
  let at = 3;
  let signedAttrs: Element | undefined;
  const attributes: SignerInfo['attributes'] = [];
  if (is(fields[at], CONTEXT, 0)) {
    signedAttrs = fields[at++]!;
    for (const attribute of childrenOf(signedAttrs)) {
      const parts = itemsOf(attribute, TAG.sequence, 'Attribute');
      if (parts.length !== 2) throw new DerError('Attribute: two parts');
      attributes.push({
        type: oidOf(parts[0], 'attrType'),
        values: itemsOf(parts[1], TAG.set, 'attrValues'),
      });
    }
  }
  const signatureAlgorithm = readAlgorithm(fields[at++], 'signatureAlgorithm');
  const signature = primitive(fields[at++], TAG.octetString, 'signature');
  if (is(fields[at], CONTEXT, 1) && fields[at]!.constructed) at++;
  if (at !== fields.length) throw new DerError('SignerInfo: extra fields');
  return {
    version: smallIntOf(version, 'SignerInfo version'),
    sid,
    digestAlgorithm: readAlgorithm(digest, 'digestAlgorithm'),
    signedAttrs,
    attributes,
    signatureAlgorithm,
    signature,
  };
}

/**
 * ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT }
 * SignedData ::= SEQUENCE { version, digestAlgorithms SET,
 *   encapContentInfo SEQUENCE { eContentType, eContent [0] EXPLICIT
 *   OCTET STRING OPTIONAL }, certificates [0] IMPLICIT OPTIONAL,
 *   crls [1] IMPLICIT OPTIONAL, signerInfos SET }
 * Read in one pass over the bytes. Every failure is SIGNATURE_MALFORMED.
 */
function parseCms(der: Uint8Array): ParsedCms {
  try {
    if (!wellNested(der)) throw malformed('not DER (cut short or damaged)');
    const top = readElement(der);
    if (top.end !== der.length) throw malformed('not DER');
    const info = itemsOf(top, TAG.sequence, 'ContentInfo');
    const contentType = oidOf(info[0], 'contentType');
    if (contentType !== CMS.signedData) {
      throw malformed(`content type ${contentType}, not SignedData`);
    }
    if (info.length !== 2 || !is(info[1], CONTEXT, 0) || !info[1].constructed) {
      throw malformed('ContentInfo has no [0] content');
    }
    const [signedData, ...extra] = childrenOf(info[1]);
    if (extra.length) throw malformed('ContentInfo [0] holds more than one');
    const fields = itemsOf(signedData, TAG.sequence, 'SignedData');
    const [version, digests, encap] = fields;
    const encapFields = itemsOf(encap, TAG.sequence, 'encapContentInfo');
    if (encapFields.length > 2) throw malformed('encapContentInfo');
    let content: Uint8Array | null = null;
    if (encapFields[1]) {
      const wrapper = encapFields[1];
      if (!is(wrapper, CONTEXT, 0) || !wrapper.constructed) {
        throw malformed('eContent is not [0]');
      }
      const inner = childrenOf(wrapper);
      if (inner.length !== 1) throw malformed('eContent holds more than one');
      content = octetsOf(inner[0], 'eContent').slice();
    }
    let at = 3;
    let certSet: Element | undefined;
    if (is(fields[at], CONTEXT, 0) && fields[at]!.constructed) {
      certSet = fields[at++];
    }
    if (is(fields[at], CONTEXT, 1) && fields[at]!.constructed) at++;
    const signerSet = fields[at++];
    if (at !== fields.length) throw malformed('SignedData has extra fields');
    // The certificates' exact bytes are kept, so the caller gets the CA's
    // DER, not a re-encoding.
    const certElements = certSet ? childrenOf(certSet) : [];
    const certificates = certElements
      .filter((e) => is(e, UNIVERSAL, TAG.sequence))
      .map((e) => readCertificate(encodingOf(e).slice()));
    const cms: ParsedCms = {
      version: smallIntOf(version, 'SignedData version'),
      digestAlgorithms: itemsOf(digests, TAG.set, 'digestAlgorithms').map(
        (a) => readAlgorithm(a, 'digestAlgorithm'),
      ),
      signerInfos: itemsOf(signerSet, TAG.set, 'signerInfos').map(
        readSignerInfo,
      ),
      otherCertificateFormats: certElements.some(
        (e) => !is(e, UNIVERSAL, TAG.sequence),
      ),
      contentType: oidOf(encapFields[0], 'eContentType'),
      content,
      certificates,
    };
    checkVersions(cms);
    return cms;
  } catch (error) {
    if (error instanceof VerifyError) throw error;
    throw malformed(error instanceof Error ? error.message : String(error));
  }
}

/** The certificate a SignerInfo names, by issuer+serial or by key id. */
function findSignerCertificate(
  signer: SignerInfo,
  certificates: CertificateEntry[],
): CertificateEntry | undefined {
  const sid = signer.sid;
  if ('issuer' in sid) {
    return certificates.find(
      ({ cert }) =>
        sameName(cert.issuer, sid.issuer) &&
        equalBytes(cert.serialNumber, sid.serialNumber),
    );
  }
  return certificates.find(({ cert }) => {
    const ski = subjectKeyId(cert);
    return ski !== undefined && equalBytes(ski, sid.keyId);
  });
}

function isGost(oid: string): boolean {
  return GOST_OIDS.has(oid) || isGost2015Key(oid);
}

/**
 * How a signature is checked: RSA PKCS#1 v1.5 with a WebCrypto hash, or
 * GOST 34.10-2015 512 with Streebog-512 in NCA's layout.
 */
type SignatureScheme =
  | { kind: 'rsa'; hash: string }
  | { kind: 'gost'; curve: GostCurve };

/** The GOST curve of a certificate's key, or null if it is not one. */
function gostCurveOf(cert: X509): GostCurve | null {
  if (!GOST_512_KEY_OIDS.has(cert.keyAlgorithmOid)) return null;
  // SEQUENCE { curve OID, digest OID, … } (NCA, TC26) or a bare curve OID.
  let params = cert.keyParameters;
  try {
    if (is(params, UNIVERSAL, TAG.sequence)) params = childrenOf(params)[0];
    return GOST_512_CURVE_OIDS.has(oidOf(params, 'curve')) ? TC26_512_A : null;
  } catch {
    return null;
  }
}

function gost2004Refused(): VerifyError {
  return new VerifyError(
    'ALGORITHM_UNSUPPORTED',
    'GOST 34.310-2004 signatures are not supported; their CAs have ' +
      'expired. Sign with a GOST 2015 or RSA key.',
  );
}

/** The scheme a SignerInfo's algorithms stand for, or an error. */
function signerScheme(signer: SignerInfo, cert: X509): SignatureScheme {
  const digestOid = signer.digestAlgorithm.oid;
  const signatureOid = signer.signatureAlgorithm.oid;
  const keyOid = cert.keyAlgorithmOid;
  if ([digestOid, signatureOid, keyOid].some((o) => GOST_2004_OIDS.has(o))) {
    throw gost2004Refused();
  }
  if (GOST_512_KEY_OIDS.has(keyOid)) {
    const curve = gostCurveOf(cert);
    // Kalkan names the signature algorithm; some writers name the key.
    const signatureOk =
      GOST_512_SIGNATURE_OIDS.has(signatureOid) ||
      GOST_512_KEY_OIDS.has(signatureOid);
    if (!curve || !STREEBOG_512_OIDS.has(digestOid) || !signatureOk) {
      throw new VerifyError(
        'ALGORITHM_UNSUPPORTED',
        `GOST parameters not supported (digest ${digestOid}, signature ` +
          `${signatureOid}).`,
      );
    }
    return { kind: 'gost', curve };
  }
  if ([digestOid, signatureOid].some(isGost)) {
    throw new VerifyError(
      'ALGORITHM_UNSUPPORTED',
      'A GOST algorithm is named for a key that is not a GOST key.',
    );
  }
  const hash = DIGESTS[digestOid];
  if (!hash) {
    // SHA-1 is refused on purpose: a login token must not rest on it.
    throw new VerifyError(
      'ALGORITHM_UNSUPPORTED',
      `Digest algorithm ${digestOid} is not supported.`,
    );
  }
  if (keyOid !== ALG.rsaEncryption) {
    throw new VerifyError(
      'ALGORITHM_UNSUPPORTED',
      `Public key algorithm ${keyOid} is not supported.`,
    );
  }
  // Kalkan writes sha256WithRSAEncryption, others plain rsaEncryption; the
  // former must name the same digest as the SignerInfo.
  if (
    signatureOid !== ALG.rsaEncryption &&
    RSA_SIGNATURES[signatureOid] !== hash
  ) {
    throw new VerifyError(
      'ALGORITHM_UNSUPPORTED',
      `Signature algorithm ${signatureOid} does not fit digest ${digestOid}.`,
    );
  }
  return { kind: 'rsa', hash };
}

async function digestOf(
  scheme: SignatureScheme,
  data: Uint8Array,
): Promise<Uint8Array> {
  if (scheme.kind === 'gost') return streebog512(data);
  return new Uint8Array(
    await globalThis.crypto.subtle.digest(scheme.hash, bufferSource(data)),
  );
}

/** Does the certificate's key verify `signature` over `data`? */
async function keyVerifies(
  scheme: SignatureScheme,
  cert: X509,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (scheme.kind === 'gost') {
    // A key or signature that cannot even be decoded verifies nothing; it
    // must not escape as an untyped error (a damaged CA certificate in the
    // configuration reached here in a fuzz run).
    try {
      const point = gostPointOf(cert, scheme.curve);
      return (
        point !== null && gostVerifyData(scheme.curve, point, data, signature)
      );
    } catch {
      return false;
    }
  }
  const key = await importRsaKey(cert, scheme.hash);
  if (!key) return false;
  try {
    return await globalThis.crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      bufferSource(signature),
      bufferSource(data),
    );
  } catch {
    return false;
  }
}

/**
 * The certificate's RSA key for WebCrypto, imported once per parsed
 * certificate and hash: a configured CA is parsed once, so its key is
 * imported once, not on every login. The SPKI goes in as encoded.
 */
function importRsaKey(cert: X509, hash: string): Promise<CryptoKey | null> {
  cert.rsaKeys ??= new Map();
  let key = cert.rsaKeys.get(hash);
  if (!key) {
    key = globalThis.crypto.subtle
      .importKey(
        'spki',
        bufferSource(cert.spki),
        { name: 'RSASSA-PKCS1-v1_5', hash },
        false,
        ['verify'],
      )
      .catch(() => null);
    cert.rsaKeys.set(hash, key);
  }
  return key;
}

/**
 * Window of the table kept for a configured CA's GOST point: 2.7 thousand
 * points (about 1 MB), built once on first use, make the CA's half of a
 * certificate check additions only, with no doublings.
 */
const CA_POINT_WINDOW = 6;

/**
 * The certificate's GOST point (its BIT STRING holds an OCTET STRING of
 * x‖y), decoded once per parsed certificate like the RSA key above.
 */
function gostPointOf(cert: X509, curve: GostCurve): GostPoint | null {
  if (cert.gostPoint === undefined) {
    try {
      const octets = readElement(cert.publicKey);
      cert.gostPoint =
        octets.end === cert.publicKey.length
          ? decodePublicKey(curve, primitive(octets, TAG.octetString, 'key'))
          : null;
    } catch {
      cert.gostPoint = null;
    }
    if (cert.gostPoint && cert.configured) {
      precomputePoint(cert.gostPoint, CA_POINT_WINDOW);
    }
  }
  return cert.gostPoint;
}

function attributeValues(
  signer: SignerInfo,
  type: string,
): Element[] | undefined {
  if (!signer.signedAttrs) return undefined;
  const matches = signer.attributes.filter((a) => a.type === type);
  // RFC 5652 5.3: these attributes occur once, with exactly one value.
  if (!matches || matches.length !== 1 || matches[0]!.values.length !== 1) {
    return undefined;
  }
  return matches[0]!.values;
}

/**
 * Checks the one signer's signature: the messageDigest attribute against
 * the content and the signature over the signed attributes. Throws
 * SIGNATURE_INVALID, or ALGORITHM_UNSUPPORTED for what it cannot check.
 */
async function checkSignerSignature(
  signer: SignerInfo,
  cert: X509,
  content: Uint8Array,
  contentType: string,
): Promise<void> {
  const scheme = signerScheme(signer, cert);
  let signedBytes: Uint8Array = content;
  if (signer.signedAttrs) {
    const digest = attributeValues(signer, CMS.messageDigest)?.[0];
    const type = attributeValues(signer, CMS.contentType)?.[0];
    const actual = await digestOf(scheme, content);
    if (
      !is(digest, UNIVERSAL, TAG.octetString) ||
      digest.constructed ||
      !equalBytes(contentOf(digest), actual)
    ) {
      throw new VerifyError(
        'SIGNATURE_INVALID',
        'The messageDigest attribute does not match the content.',
      );
    }
    let typeOid: string | undefined;
    if (is(type, UNIVERSAL, TAG.oid)) {
      try {
        typeOid = oidOf(type, 'contentType');
      } catch {
        // A DerError here escaped verifyLoginSignature untyped.
        throw malformed('the contentType attribute is not a valid OID');
      }
    }
    if (typeOid !== contentType) {
      throw new VerifyError(
        'SIGNATURE_INVALID',
        'The contentType attribute is missing or does not match.',
      );
    }
    // The signer signed the attributes' bytes with the tag changed from
    // [0] to SET.
    signedBytes = encodingOf(signer.signedAttrs).slice();
    signedBytes[0] = 0x31;
    // RFC 5652 5.3: signed attributes are DER; a BER form would let two
    // encodings carry one signature.
    if (!wellNested(signedBytes, true)) {
      throw malformed('the signed attributes are not DER');
    }
  }
  if (!(await keyVerifies(scheme, cert, signer.signature, signedBytes))) {
    throw new VerifyError(
      'SIGNATURE_INVALID',
      'The signature does not verify with the signer certificate.',
    );
  }
}

/**
 * True when a CMS (DER) has one signer whose signature verifies over
 * its own attached content. Used by the signer to check its own output;
 * says nothing about trust.
 */
export async function checkCmsSignature(der: Uint8Array): Promise<boolean> {
  try {
    const cms = parseCms(der);
    const signer = cms.signerInfos[0];
    if (cms.signerInfos.length !== 1 || !signer || !cms.content) {
      return false;
    }
    const entry = findSignerCertificate(signer, cms.certificates);
    if (!entry) return false;
    const { content, contentType } = cms;
    await checkSignerSignature(signer, entry.cert, content, contentType);
    return true;
  } catch {
    return false;
  }
}

/**
 * The scheme of a signature an issuer made on a certificate or CRL, from
 * its signature algorithm and the issuer's key; null if not supported.
 */
function issuerScheme(
  signatureOid: string,
  issuer: X509,
): SignatureScheme | null {
  const keyOid = issuer.keyAlgorithmOid;
  if (GOST_512_SIGNATURE_OIDS.has(signatureOid)) {
    const curve = gostCurveOf(issuer);
    return curve ? { kind: 'gost', curve } : null;
  }
  const hash = RSA_SIGNATURES[signatureOid];
  return hash && keyOid === ALG.rsaEncryption ? { kind: 'rsa', hash } : null;
}

/**
 * The algorithm outside the signed part must repeat the one inside it
 * byte for byte (RFC 5280 4.1.1.2), and the signature BIT STRING has no
 * unused bits: otherwise unsigned bytes could change unnoticed.
 */
function signedShapeOk(
  inner: Uint8Array,
  outer: Uint8Array,
  unusedBits: number,
): boolean {
  return equalBytes(inner, outer) && unusedBits === 0;
}

/** Does `issuer`'s key verify the signature on `child`? */
async function issuerSigned(child: X509, issuer: X509): Promise<boolean> {
  const scheme = issuerScheme(child.signatureOid, issuer);
  if (!scheme) return false;
  const { innerAlgorithm, outerAlgorithm, signatureUnusedBits } = child;
  if (!signedShapeOk(innerAlgorithm, outerAlgorithm, signatureUnusedBits)) {
    return false;
  }
  return keyVerifies(scheme, issuer, child.signature, child.tbs);
}

/**
 * Does the issuer's key verify the signature on the certificate? Both in
 * DER (or PEM). Checks only the signature, not names or dates.
 */
export async function verifyCertificateSignature(
  certificate: Uint8Array,
  issuer: Uint8Array,
): Promise<boolean> {
  try {
    return await issuerSigned(
      readX509(certificateBytes(certificate)),
      readX509(certificateBytes(issuer)),
    );
  } catch {
    return false;
  }
}

/**
 * Does the issuer's key verify the signature on the CRL (DER)? Checks
 * only the signature; false for anything that does not parse.
 */
export async function verifyCrlSignature(
  crl: Uint8Array,
  issuer: Uint8Array,
): Promise<boolean> {
  try {
    if (!wellNested(crl)) return false;
    const asn = asn1js.fromBER(crl);
    if (asn.offset !== crl.length) return false;
    const list = new pkijs.CertificateRevocationList({ schema: asn.result });
    const issuerCert = readX509(certificateBytes(issuer));
    const listIssuer = readName(
      readElement(new Uint8Array(list.issuer.valueBeforeDecode)),
      'CRL issuer',
    );
    if (!sameName(listIssuer, issuerCert.subject)) return false;
    const scheme = issuerScheme(
      list.signatureAlgorithm.algorithmId,
      issuerCert,
    );
    if (!scheme) return false;
    const inner = new Uint8Array(list.signature.toSchema().toBER());
    const outer = new Uint8Array(list.signatureAlgorithm.toSchema().toBER());
    const { unusedBits } = list.signatureValue.valueBlock;
    if (!signedShapeOk(inner, outer, unusedBits)) return false;
    // The signed part is the first element, exactly as it was encoded.
    const tbs = (asn.result as asn1js.Sequence).valueBlock.value[0]!;
    return await keyVerifies(
      scheme,
      issuerCert,
      list.signatureValue.valueBlock.valueHexView,
      new Uint8Array(tbs.valueBeforeDecodeView),
    );
  } catch {
    return false;
  }
}

function withinValidity(cert: X509, time: Date): boolean {
  const t = time.getTime();
  return cert.notBefore.getTime() <= t && t <= cert.notAfter.getTime();
}

/** keyCertSign's bit in keyUsage (RFC 5280 4.2.1.3). */
const KEY_CERT_SIGN = 5;

/** May this certificate issue others, at this time? */
function usableAsCa(cert: X509, time: Date): boolean {
  try {
    if (!isCa(cert) || !withinValidity(cert, time)) return false;
    pathLength(cert); // throws when damaged: fail closed below
    return keyUsageBit(cert, KEY_CERT_SIGN) !== false;
  } catch {
    // Extensions that cannot be read cannot prove a CA: fail closed.
    return false;
  }
}

/** Could `issuer` have issued `child`, judging by names and key ids? */
function namesMatch(child: X509, issuer: X509): boolean {
  if (!sameName(child.issuer, issuer.subject)) return false;
  const aki = authorityKeyId(child);
  const ski = subjectKeyId(issuer);
  return !aki || !ski || equalBytes(aki, ski);
}

/**
 * How many possible issuers one chain search may try. A real path takes a
 * handful; without a bound, a CMS carrying many same-named, self-issued
 * CA certificates under the sender's own key made the search try every
 * order of them (n^5 signature checks at the depth limit) and hold the
 * server's CPU for minutes per login.
 */
const MAX_ISSUER_TRIES = 16;

/** May `issuer` sign `child`, and does its key verify the signature? */
async function issuedBy(
  child: X509,
  issuer: X509,
  time: Date,
  below: number,
  budget: { left: number },
): Promise<boolean> {
  if (!namesMatch(child, issuer)) return false;
  if (--budget.left < 0) return false;
  if (!usableAsCa(issuer, time)) return false;
  // RFC 5280 6.1.4 (m): pathLenConstraint counts the CA certificates
  // (self-issued ones excepted) between this CA and the signer's.
  const limit = pathLength(issuer);
  if (limit !== undefined && below > limit) return false;
  return issuerSigned(child, issuer);
}

/**
 * Walks from the signer's certificate up through the candidates until one
 * of the trust anchors has signed the last link, and returns that path
 * (the certificate first, the anchor last), or null. Candidates that fit
 * by name but fail a check are skipped, so a renewed CA with the same name
 * does not hide the right one. `below` counts the CA certificates under
 * the issuer sought (pathLenConstraint), `budget` the tries left.
 */
async function chainsToAnchor(
  entry: CertificateEntry,
  anchors: CertificateEntry[],
  candidates: CertificateEntry[],
  time: Date,
  depth = 1,
  below = 0,
  budget = { left: MAX_ISSUER_TRIES },
): Promise<CertificateEntry[] | null> {
  if (depth > MAX_CHAIN_LENGTH || budget.left <= 0) return null;
  const { cert } = entry;
  // RFC 5280 4.2: a critical extension the verifier cannot honour makes
  // the certificate unusable, whether the signer's, a CA's or an anchor's.
  if (unhandledCritical(cert)) return null;
  // The name (and key id) is compared first, so only a CA that could be
  // the issuer costs a signature check.
  for (const anchor of anchors) {
    if (
      !unhandledCritical(anchor.cert) &&
      (await issuedBy(cert, anchor.cert, time, below, budget))
    ) {
      return [entry, anchor];
    }
  }
  for (const next of candidates) {
    if (await issuedBy(cert, next.cert, time, below, budget)) {
      const rest = candidates.filter((c) => c !== next);
      const more = below + (selfIssued(next.cert) ? 0 : 1);
      const path = await chainsToAnchor(
        next,
        anchors,
        rest,
        time,
        depth + 1,
        more,
        budget,
      );
      if (path) return [entry, ...path];
    }
  }
  return null;
}

/** pkijs objects the revocation checks got, back to what was read. */
const readFromPkijs = new WeakMap<pkijs.Certificate, X509>();

/** The entry as pkijs reads it, for the revocation checks; made once. */
function pkijsOf(entry: CertificateEntry): pkijs.Certificate {
  if (!entry.pkijs) {
    try {
      entry.pkijs = parseCertificate(entry.der);
    } catch {
      throw malformed('a certificate of the path cannot be read');
    }
    readFromPkijs.set(entry.pkijs, entry.cert);
  }
  return entry.pkijs;
}

/** CERT_REVOKED or REVOCATION_UNKNOWN for the path; null when good. */
async function revocationFailure(
  checker: RevocationChecker,
  entries: CertificateEntry[],
  time: Date,
): Promise<VerifyError | null> {
  const path = entries.map(pkijsOf);
  const verdict = await checker.checkPath(path, time, verifyIssuerSignature);
  if (verdict.status === 'good') return null;
  const whose = verdict.index
    ? `CA certificate ${verdict.index}`
    : 'certificate';
  return verdict.status === 'revoked'
    ? new VerifyError(
        'CERT_REVOKED',
        `The ${whose} is revoked (${verdict.detail}).`,
      )
    : new VerifyError(
        'REVOCATION_UNKNOWN',
        `Could not check whether the ${whose} is revoked: ${verdict.detail}.`,
      );
}

/** The revocation checks' way to verify a CRL, an OCSP answer or a cert. */
const verifyIssuerSignature: SignatureCheck = async (
  algorithmOid,
  issuer,
  signature,
  data,
) => {
  let cert = readFromPkijs.get(issuer);
  if (!cert) {
    // An OCSP responder's own certificate, from the response.
    try {
      cert = readX509(new Uint8Array(issuer.toSchema().toBER()));
    } catch {
      return false;
    }
  }
  const scheme = issuerScheme(algorithmOid, cert);
  return scheme !== null && keyVerifies(scheme, cert, signature, data);
};

/**
 * Configured CA certificates, parsed once per byte array: a server passes
 * the same arrays to every login, and parsing them each time was work done
 * again on the hot path. Keyed by identity, so callers must not change a
 * configured array in place (none here does).
 */
const parsedCas = new WeakMap<Uint8Array, CertificateEntry>();

function readCaList(list: Uint8Array[], what: string): CertificateEntry[] {
  return list.map((bytes, i) => {
    const known = parsedCas.get(bytes);
    if (known) return known;
    try {
      const entry = readCertificate(certificateBytes(bytes));
      entry.cert.configured = true;
      parsedCas.set(bytes, entry);
      return entry;
    } catch {
      // A bad configured certificate is the operator's mistake, not the
      // user's: say which one, and let it surface as a server error.
      throw new Error(`${what}[${i}] is not a certificate.`);
    }
  });
}

const dateText = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The challenge's "Origin: …" line must name one of the allowed origins
 * (domain.md §6: the signed content binds the site's origin).
 */
function checkOrigin(content: Uint8Array, allowed: readonly string[]): void {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    text = '';
  }
  const named = text
    .split('\n')
    .filter((line) => line.startsWith('Origin: '))
    .map((line) => line.slice('Origin: '.length).trim());
  if (named.length !== 1 || !allowed.includes(named[0]!)) {
    throw new VerifyError(
      'ORIGIN_MISMATCH',
      named.length === 1
        ? `The signed challenge names the origin ${named[0]}, not this site.`
        : 'The signed challenge does not name exactly one origin.',
    );
  }
}

/**
 * Verifies a login signature over `expectedContent` and returns the signer
 * when every check passes. Throws VerifyError otherwise.
 */
export async function verifyLoginSignature(
  options: VerifyLoginOptions,
): Promise<VerifiedLogin> {
  const seen: { signer?: CertificateInfo } = {};
  try {
    return await verifyLogin(options, seen);
  } catch (caught) {
    // Every read of the input's bytes should already say VerifyError;
    // one that slips through is still malformed input, not a crash.
    const error =
      caught instanceof DerError ? malformed(caught.message) : caught;
    if (error instanceof VerifyError && seen.signer) {
      const { serialNumber, issuerDn } = seen.signer;
      error.certificate = { serialNumber, issuerDn };
    }
    throw error;
  }
}

async function verifyLogin(
  options: VerifyLoginOptions,
  seen: { signer?: CertificateInfo },
): Promise<VerifiedLogin> {
  const time = options.time ?? new Date();
  const anchors = readCaList(options.trustAnchors, 'trustAnchors');
  const intermediates = readCaList(
    options.intermediates ?? [],
    'intermediates',
  );
  const cms = parseCms(signatureBytes(options.signature));

  const signers = cms.signerInfos;
  if (signers.length !== 1) {
    throw new VerifyError(
      'SIGNER_COUNT',
      `Expected exactly one signer, found ${signers.length}.`,
    );
  }
  const signer = signers[0]!;

  if (cms.content === null) {
    throw new VerifyError(
      'CONTENT_MISMATCH',
      'The signature is detached; the challenge must be attached.',
    );
  }
  if (
    cms.contentType !== CMS.data ||
    !equalBytes(cms.content, options.expectedContent)
  ) {
    throw new VerifyError(
      'CONTENT_MISMATCH',
      'The signed content is not the expected challenge.',
    );
  }
  if (options.allowedOrigins) {
    checkOrigin(cms.content, options.allowedOrigins);
  }

  const signerEntry = findSignerCertificate(signer, cms.certificates);
  if (!signerEntry) {
    throw new VerifyError(
      'CERT_MISSING',
      "The signer's certificate is not included in the signature.",
    );
  }
  const { cert, der } = signerEntry;

  await checkSignerSignature(signer, cert, cms.content, cms.contentType);

  let info: CertificateInfo;
  try {
    info = describe(cert);
  } catch {
    throw malformed("the signer's certificate cannot be read");
  }
  seen.signer = info;
  const skew = options.clockSkewMs ?? 0;
  if (time.getTime() + skew < info.notBefore.getTime()) {
    throw new VerifyError(
      'CERT_NOT_YET_VALID',
      `The certificate is valid from ${dateText(info.notBefore)}.`,
    );
  }
  if (time.getTime() - skew > info.notAfter.getTime()) {
    throw new VerifyError(
      'CERT_EXPIRED',
      `The certificate expired on ${dateText(info.notAfter)}.`,
    );
  }

  const critical = unhandledCritical(cert);
  if (critical) {
    throw new VerifyError(
      'CERT_UNTRUSTED',
      `The certificate has a critical extension (${critical}) this ` +
        'server cannot check.',
    );
  }
  const candidates = [
    ...intermediates,
    ...cms.certificates.filter((c) => c !== signerEntry),
  ];
  const path = await chainsToAnchor(signerEntry, anchors, candidates, time);
  if (!path) {
    throw new VerifyError(
      'CERT_UNTRUSTED',
      `The certificate issued by "${info.issuerCommonName}" does not chain ` +
        'to a trusted certification authority.',
    );
  }

  if (options.revocation) {
    const failure = await revocationFailure(options.revocation, path, time);
    if (failure) throw failure;
  }

  if (GOST_512_KEY_OIDS.has(info.keyAlgorithmOid)) {
    // NCA's GOST 2015 keys serve login and signing alike (purpose 'both');
    // the key must still be allowed to make signatures.
    if (!info.keyUsage.includes('digitalSignature')) {
      throw new VerifyError(
        'CERT_WRONG_PURPOSE',
        'This GOST key may not make signatures (no digitalSignature).',
      );
    }
  } else if (info.keyAlgorithmOid === ALG.rsaEncryption) {
    const usage = info.keyUsage;
    const usageOk = usage.length === 0 || usage.includes('digitalSignature');
    if (!info.extendedKeyUsage.includes(EKU.clientAuth) || !usageOk) {
      throw new VerifyError(
        'CERT_WRONG_PURPOSE',
        'This is a signing (RSA) key, not a login key. Choose the key ' +
          'file whose name starts with AUTH_RSA.',
      );
    }
  }

  const legalEntity =
    info.holder === 'legal-entity' ||
    info.extendedKeyUsage.some(
      (oid) =>
        oid === EKU.ncaLegalEntity || oid.startsWith(`${EKU.ncaLegalEntity}.`),
    );
  if (legalEntity && options.acceptLegalEntityKeys !== true) {
    throw new VerifyError(
      'CERT_LEGAL_ENTITY',
      "This is an organisation's key. Log in with a key issued to you as " +
        'a person.',
    );
  }

  const iin = info.iin;
  if (iin === undefined) {
    throw new VerifyError(
      'CERT_NO_IIN',
      'The certificate has no IIN (SERIALNUMBER=IIN…).',
    );
  }
  const testIin =
    options.acceptTestIins === true && NCA_TEST_IINS.includes(iin);
  if (!testIin && !checkIin(iin).valid) {
    throw new VerifyError(
      'CERT_NO_IIN',
      `The IIN in the certificate (${iin}) is not a valid IIN.`,
    );
  }

  return {
    iin,
    fullName: info.fullName,
    certificate: info,
    certificateDer: der,
  };
}

/** One signer of a CMS, as verifyCms() judged it. */
export interface CmsSignerReport {
  /** Position among the SignerInfos, from 0. */
  index: number;
  /** The signer's certificate, when the CMS carries it. */
  certificate?: CertificateInfo;
  certificateDer?: Uint8Array;
  /** The signingTime attribute, when present. */
  signingTime?: Date;
  /** Digest and signature algorithm OIDs the SignerInfo names. */
  digestAlgorithm: string;
  signatureAlgorithm: string;
  /** The signature (and messageDigest) verifies with the certificate. */
  signatureValid: boolean;
  /** The certificate is within its validity period at the given time. */
  timeValid: boolean;
  /**
   * The certificate chains to one of the trust anchors at that time;
   * null when no trust anchors were given (not checked).
   */
  chainValid: boolean | null;
  /**
   * No certificate of the path is revoked (CRL/OCSP); null when not
   * checked (no revocation checker, or no chain to check).
   */
  revocationValid?: boolean | null;
  /**
   * Every check passed. False whenever chainValid is null: a signer no
   * trust anchor vouches for is not valid.
   */
  valid: boolean;
  /** The first failure, with the code the login verifier would give. */
  error?: { code: ApiErrorCode; message: string };
}

export interface CmsReport {
  /** True when there is at least one signer and every signer is valid. */
  valid: boolean;
  /** The content was not attached; `content` option supplied it. */
  detached: boolean;
  contentType: string;
  /** The signed content (attached, or the external one given). */
  content: Uint8Array | null;
  signers: CmsSignerReport[];
}

export interface VerifyCmsOptions {
  /** Base64 DER (line breaks allowed), PEM, or the DER bytes. */
  cms: string | Uint8Array;
  /** External content for a detached signature. */
  content?: Uint8Array;
  /** CA certificates (DER or PEM) a chain may end at; none: not checked. */
  trustAnchors?: Uint8Array[];
  intermediates?: Uint8Array[];
  /** The moment certificates must be valid at; default now. */
  time?: Date;
  /**
   * The largest CMS accepted, in bytes; default 64 MiB (a signed
   * document, unlike a login token, may be large).
   */
  maxBytes?: number;
  /** Checks the path of every signer that chains; see VerifyLoginOptions. */
  revocation?: RevocationChecker;
}

function signingTimeOf(signer: SignerInfo): Date | undefined {
  try {
    const value = attributeValues(signer, CMS.signingTime)?.[0];
    return value && timeOf(value, 'signingTime');
  } catch {
    return undefined;
  }
}

function asFailure(error: unknown): { code: ApiErrorCode; message: string } {
  if (error instanceof VerifyError) {
    return { code: error.code, message: error.message };
  }
  return {
    code: 'SIGNATURE_MALFORMED',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Verifies every signer of any CMS SignedData, attached or with the
 * external content given, and reports each one: its certificate, its
 * signature, validity at `time` and chain to the trust anchors. Unlike
 * verifyLoginSignature it applies no login rules (signer count, key
 * purpose, IIN). Throws VerifyError only when the input is not a CMS
 * SignedData at all, or is detached and no content was given
 * (CONTENT_MISMATCH); everything about a signer goes in its report.
 */
export async function verifyCms(options: VerifyCmsOptions): Promise<CmsReport> {
  const time = options.time ?? new Date();
  const anchors = readCaList(options.trustAnchors ?? [], 'trustAnchors');
  const intermediates = readCaList(
    options.intermediates ?? [],
    'intermediates',
  );
  const cms = parseCms(
    signatureBytes(options.cms, options.maxBytes ?? 64 * 1024 * 1024),
  );
  const detached = cms.content === null;
  const content = cms.content ?? options.content ?? null;
  if (content === null) {
    throw new VerifyError(
      'CONTENT_MISMATCH',
      'The signature is detached; give the signed content.',
    );
  }
  if (
    !detached &&
    options.content !== undefined &&
    !equalBytes(options.content, content)
  ) {
    throw new VerifyError(
      'CONTENT_MISMATCH',
      'The attached content differs from the content given.',
    );
  }

  const signers: CmsSignerReport[] = [];
  for (const [index, signer] of cms.signerInfos.entries()) {
    const report: CmsSignerReport = {
      index,
      digestAlgorithm: signer.digestAlgorithm.oid,
      signatureAlgorithm: signer.signatureAlgorithm.oid,
      signatureValid: false,
      timeValid: false,
      chainValid: null,
      valid: false,
    };
    const signingTime = signingTimeOf(signer);
    if (signingTime) report.signingTime = signingTime;
    const fail = (error: unknown) => {
      report.error ??= asFailure(error);
    };
    const entry = findSignerCertificate(signer, cms.certificates);
    if (!entry) {
      fail(
        new VerifyError(
          'CERT_MISSING',
          "The signer's certificate is not included in the signature.",
        ),
      );
      signers.push(report);
      continue;
    }
    report.certificateDer = entry.der;
    try {
      report.certificate = describe(entry.cert);
    } catch (error) {
      fail(error);
    }
    try {
      await checkSignerSignature(signer, entry.cert, content, cms.contentType);
      report.signatureValid = true;
    } catch (error) {
      fail(error);
    }
    report.timeValid = withinValidity(entry.cert, time);
    if (!report.timeValid) {
      const { notBefore, notAfter } = entry.cert;
      const early = time < notBefore;
      fail(
        new VerifyError(
          early ? 'CERT_NOT_YET_VALID' : 'CERT_EXPIRED',
          early
            ? `The certificate is valid from ${dateText(notBefore)}.`
            : `The certificate expired on ${dateText(notAfter)}.`,
        ),
      );
    }
    if (anchors.length > 0) {
      const candidates = [
        ...intermediates,
        ...cms.certificates.filter((c) => c !== entry),
      ];
      const path = await chainsToAnchor(entry, anchors, candidates, time);
      report.chainValid = path !== null;
      if (path && options.revocation) {
        const failure = await revocationFailure(
          options.revocation,
          path,
          time,
        );
        report.revocationValid = failure === null;
        if (failure) fail(failure);
      }
      if (!report.chainValid) {
        fail(
          new VerifyError(
            'CERT_UNTRUSTED',
            'The certificate does not chain to a trusted certification ' +
              'authority.',
          ),
        );
      }
    }
    report.valid =
      report.signatureValid &&
      report.timeValid &&
      report.chainValid === true &&
      report.revocationValid !== false;
    signers.push(report);
  }
  return {
    valid: signers.length > 0 && signers.every((s) => s.valid),
    detached,
    contentType: cms.contentType,
    content,
    signers,
  };
}
