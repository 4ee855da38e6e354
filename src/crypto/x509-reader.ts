/**
 * X.509 certificates as the server's verifier needs them, read once by
 * offsets (der-reader.ts): the signed part, names, validity, the key as
 * encoded, the signature, and the extensions a chain check looks at.
 * Unlike pkijs it keeps no ASN.1 tree, so reading one costs microseconds.
 *
 * A parsed certificate also carries what is derived from its key (the
 * imported WebCrypto key, the GOST point), so that a configured CA,
 * parsed once, does not import its key again on every login. Those
 * caches live on the object and so can only ever hold that object's own
 * key.
 */
import { EXT } from './oids.js';
import { equalBytes } from './pem.js';
import {
  bitsOf,
  childrenOf,
  CONTEXT,
  DerError,
  encodingOf,
  is,
  itemsOf,
  oidOf,
  primitive,
  readElement,
  smallIntOf,
  TAG,
  timeOf,
  UNIVERSAL,
  type Element,
} from './der-reader.js';
import type { GostPoint } from './gost/gost3410.js';

/** A Name: its encoding and a form for comparing (see sameName). */
export interface Name {
  encoding: Uint8Array;
  /** RDN by RDN, each attribute as "oid s:text" or "oid b:hex". */
  comparable: string;
  /** Every attribute, RDN by RDN, in the certificate's order. */
  attributes: { oid: string; value: Element }[];
}

export interface X509 {
  der: Uint8Array;
  /** TBSCertificate as encoded: what the issuer signed. */
  tbs: Uint8Array;
  /** The serial INTEGER's content bytes, as encoded. */
  serialNumber: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo as encoded (WebCrypto imports it as it is). */
  spki: Uint8Array;
  keyAlgorithmOid: string;
  keyParameters: Element | undefined;
  /** The subjectPublicKey BIT STRING's bytes. */
  publicKey: Uint8Array;
  /** The AlgorithmIdentifier inside the signed part, and outside it. */
  innerAlgorithm: Uint8Array;
  outerAlgorithm: Uint8Array;
  signatureOid: string;
  signatureUnusedBits: number;
  signature: Uint8Array;
  /** Each OID at most once (RFC 5280 4.2); readX509 refuses repeats. */
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
  /** Imported RSA keys by hash name; see the file comment. */
  rsaKeys?: Map<string, Promise<CryptoKey | null>>;
  /** The decoded GOST public point; null when it does not decode. */
  gostPoint?: GostPoint | null;
  /** A configured CA, whose key checks signatures on every login. */
  configured?: boolean;
}

/** Universal string types whose text pkijs compared in names. */
const STRING_TAGS = new Set([12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29, 30]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a string value, or null when it does not decode. */
function stringText(value: Element): string | null {
  if (value.tagClass !== UNIVERSAL || value.constructed) return null;
  if (!STRING_TAGS.has(value.tagNumber)) return null;
  const bytes = value.bytes.subarray(value.contentStart, value.contentEnd);
  let text = '';
  switch (value.tagNumber) {
    case 12:
      try {
        return utf8.decode(bytes);
      } catch {
        return null;
      }
    case 30:
      if (bytes.length % 2) return null;
      for (let i = 0; i < bytes.length; i += 2) {
        text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      }
      return text;
    case 28:
      if (bytes.length % 4) return null;
      for (let i = 0; i < bytes.length; i += 4) {
        const code =
          ((bytes[i]! << 24) |
            (bytes[i + 1]! << 16) |
            (bytes[i + 2]! << 8) |
            bytes[i + 3]!) >>>
          0;
        if (code > 0x10ffff) return null;
        text += String.fromCodePoint(code);
      }
      return text;
    default:
      for (const b of bytes) text += String.fromCharCode(b);
      return text;
  }
}

/**
 * pkijs's string preparation for name matching, which the verifier used
 * before: trim, collapse runs of spaces, lower case.
 */
function prepared(text: string): string {
  return text.trim().replace(/ {2,}/g, ' ').toLowerCase();
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }. */
export function readName(element: Element | undefined, what: string): Name {
  const attributes: Name['attributes'] = [];
  const rdns = itemsOf(element, TAG.sequence, what).map((rdn) =>
    itemsOf(rdn, TAG.set, what).map((pair) => {
      const fields = itemsOf(pair, TAG.sequence, what);
      if (fields.length !== 2) throw new DerError(`${what}: bad attribute`);
      const oid = oidOf(fields[0], what);
      const value = fields[1]!;
      attributes.push({ oid, value });
      const text = stringText(value);
      return `${oid} ${
        text === null ? `b:${hex(encodingOf(value))}` : `s:${prepared(text)}`
      }`;
    }),
  );
  return {
    encoding: encodingOf(element!),
    comparable: JSON.stringify(rdns),
    attributes,
  };
}

/**
 * Do two names name the same entity? The same bytes, or the same
 * attributes in the same RDNs whose text agrees after the preparation
 * above (a CA may write its name as PrintableString in one place and
 * UTF8String in another). Stricter than pkijs was: RDN grouping counts,
 * and texts must be equal, not merely collate equal.
 */
export function sameName(a: Name, b: Name): boolean {
  return equalBytes(a.encoding, b.encoding) || a.comparable === b.comparable;
}

/** AlgorithmIdentifier: the OID and the parameters, if any. */
export function readAlgorithm(
  element: Element | undefined,
  what: string,
): { oid: string; parameters: Element | undefined; encoding: Uint8Array } {
  const fields = itemsOf(element, TAG.sequence, what);
  if (fields.length < 1 || fields.length > 2) {
    throw new DerError(`${what}: bad AlgorithmIdentifier`);
  }
  return {
    oid: oidOf(fields[0], what),
    parameters: fields[1],
    encoding: encodingOf(element!),
  };
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
 *   signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *   signature, issuer, validity, subject, subjectPublicKeyInfo,
 *   [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions (optional) }
 * Throws DerError when the bytes are not one.
 */
export function readX509(der: Uint8Array): X509 {
  const top = readElement(der);
  if (top.end !== der.length) throw new DerError('trailing bytes');
  const parts = itemsOf(top, TAG.sequence, 'Certificate');
  if (parts.length !== 3) throw new DerError('Certificate: three parts');
  const [tbsElement, outer, value] = parts as [Element, Element, Element];
  const fields = itemsOf(tbsElement, TAG.sequence, 'TBSCertificate');
  let i = 0;
  if (is(fields[0], CONTEXT, 0)) {
    if (!fields[0].constructed || childrenOf(fields[0]).length !== 1) {
      throw new DerError('bad version');
    }
    i = 1;
  }
  const serial = primitive(fields[i], TAG.integer, 'serialNumber');
  if (serial.length === 0) throw new DerError('empty serialNumber');
  const inner = readAlgorithm(fields[i + 1], 'signature');
  const issuer = readName(fields[i + 2], 'issuer');
  const validity = itemsOf(fields[i + 3], TAG.sequence, 'Validity');
  if (validity.length !== 2) throw new DerError('Validity: two times');
  const subject = readName(fields[i + 4], 'subject');
  const spki = itemsOf(fields[i + 5], TAG.sequence, 'SubjectPublicKeyInfo');
  if (spki.length !== 2) throw new DerError('SubjectPublicKeyInfo: two');
  const key = readAlgorithm(spki[0], 'SPKI algorithm');
  const publicKey = bitsOf(spki[1], 'subjectPublicKey');
  const extensions: X509['extensions'] = [];
  let last = 0;
  for (const field of fields.slice(i + 6)) {
    // [1], [2] and [3], each at most once and in that order.
    if (field.tagClass !== CONTEXT || field.tagNumber <= last) {
      throw new DerError('TBSCertificate: unexpected field');
    }
    last = field.tagNumber;
    if (last > 3) throw new DerError('TBSCertificate: unexpected field');
    if (last !== 3) continue;
    const [list, ...more] = childrenOf(field);
    if (more.length) throw new DerError('Extensions: one SEQUENCE');
    const seen = new Set<string>();
    for (const ext of itemsOf(list, TAG.sequence, 'Extensions')) {
      const parts = itemsOf(ext, TAG.sequence, 'Extension');
      const valueAt = parts.length === 3 ? 2 : 1;
      if (parts.length < 2 || parts.length > 3) {
        throw new DerError('Extension: bad shape');
      }
      const flag =
        parts.length === 3 && primitive(parts[1], TAG.boolean, 'critical');
      if (flag && flag.length !== 1) throw new DerError('bad critical');
      const oid = oidOf(parts[0], 'extnID');
      // RFC 5280 4.2: one instance per OID. With two, the checks here
      // (which read the first) and describeFields could read different
      // ones, say a keyUsage with keyCertSign and one without.
      // A Set, not a search of the list: 256 KB of tiny extensions
      // would make that quadratic.
      if (seen.has(oid)) throw new DerError(`Extensions: ${oid} twice`);
      seen.add(oid);
      extensions.push({
        oid,
        critical: flag !== false && flag[0] !== 0,
        value: primitive(parts[valueAt], TAG.octetString, 'extnValue'),
      });
    }
  }
  const outerAlgorithm = readAlgorithm(outer, 'signatureAlgorithm');
  const signature = bitsOf(value, 'signatureValue');
  return {
    der,
    tbs: encodingOf(tbsElement),
    serialNumber: serial,
    issuer,
    subject,
    notBefore: timeOf(validity[0], 'notBefore', true),
    notAfter: timeOf(validity[1], 'notAfter', true),
    spki: encodingOf(fields[i + 5]!),
    keyAlgorithmOid: key.oid,
    keyParameters: key.parameters,
    publicKey: publicKey.bytes,
    innerAlgorithm: inner.encoding,
    outerAlgorithm: outerAlgorithm.encoding,
    signatureOid: outerAlgorithm.oid,
    signatureUnusedBits: signature.unusedBits,
    signature: signature.bytes,
    extensions,
  };
}

/** The first extension of that OID, read as one element; else undefined. */
function extension(cert: X509, oid: string): Element | undefined {
  const value = cert.extensions.find((e) => e.oid === oid)?.value;
  if (!value) return undefined;
  const element = readElement(value);
  if (element.end !== value.length) throw new DerError(`${oid}: trailing`);
  return element;
}

/** subjectKeyIdentifier; undefined when absent or unreadable. */
export function subjectKeyId(cert: X509): Uint8Array | undefined {
  try {
    const value = extension(cert, EXT.subjectKeyIdentifier);
    return value && primitive(value, TAG.octetString, 'subjectKeyId');
  } catch {
    return undefined;
  }
}

/** authorityKeyIdentifier's keyIdentifier [0]; undefined without one. */
export function authorityKeyId(cert: X509): Uint8Array | undefined {
  try {
    const value = extension(cert, EXT.authorityKeyIdentifier);
    const first = value && childrenOf(value)[0];
    if (!is(first, CONTEXT, 0) || first.constructed) return undefined;
    return first.bytes.subarray(first.contentStart, first.contentEnd);
  } catch {
    return undefined;
  }
}

/** basicConstraints cA; throws when the extension is damaged. */
export function isCa(cert: X509): boolean {
  const value = extension(cert, EXT.basicConstraints);
  if (!value) return false;
  const first = itemsOf(value, TAG.sequence, 'basicConstraints')[0];
  if (!is(first, UNIVERSAL, TAG.boolean)) return false;
  const flag = primitive(first, TAG.boolean, 'cA');
  return flag.length === 1 && flag[0] !== 0;
}

/**
 * basicConstraints pathLenConstraint: how many CA certificates (not
 * self-issued) may follow this one down a path; undefined for no limit.
 * Throws when the extension is damaged.
 */
export function pathLength(cert: X509): number | undefined {
  const value = extension(cert, EXT.basicConstraints);
  if (!value) return undefined;
  const fields = itemsOf(value, TAG.sequence, 'basicConstraints');
  const last = fields[fields.length - 1];
  if (!is(last, UNIVERSAL, TAG.integer)) return undefined;
  return smallIntOf(last, 'pathLenConstraint');
}

/**
 * Extensions the verifier acts on, or may ignore (names, key ids,
 * revocation pointers, policies it does not restrict). RFC 5280 4.2: a
 * certificate with any other extension marked critical must be refused,
 * for the verifier cannot honour it (name constraints, policy
 * constraints, a private restriction).
 */
const HANDLED_EXTENSIONS = new Set<string>([
  EXT.subjectKeyIdentifier,
  EXT.keyUsage,
  '2.5.29.17', // subjectAltName
  EXT.basicConstraints,
  '2.5.29.31', // cRLDistributionPoints
  EXT.certificatePolicies,
  EXT.authorityKeyIdentifier,
  EXT.extKeyUsage,
  '2.5.29.46', // freshestCRL
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

/** The OID of a critical extension the verifier cannot honour, if any. */
export function unhandledCritical(cert: X509): string | undefined {
  return cert.extensions.find(
    (e) => e.critical && !HANDLED_EXTENSIONS.has(e.oid),
  )?.oid;
}

/** Issuer and subject the same name (RFC 5280 6.1: "self-issued"). */
export function selfIssued(cert: X509): boolean {
  return sameName(cert.issuer, cert.subject);
}

/**
 * The keyUsage bit, or null when the certificate has no keyUsage.
 * Throws when the extension is damaged.
 */
export function keyUsageBit(cert: X509, bit: number): boolean | null {
  const value = extension(cert, EXT.keyUsage);
  if (!value) return null;
  const { bytes } = bitsOf(value, 'keyUsage');
  return ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
}
