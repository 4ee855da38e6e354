/**
 * Reads what a person and a verifier need to know from an X.509
 * certificate: the holder's name, IIN or BIN, validity, algorithm and what
 * the key may be used for. Attribute values are read by OID straight from
 * the DER, so NCA's Kazakh names come out as written whatever string type
 * the CA chose.
 *
 * Only asn1js, never pkijs: this module is in the browser's key-file
 * chunk, and pkijs would triple its weight (issue #7). The server's
 * verifier hands in pkijs certificates, which fit the shapes below.
 */
import * as asn1js from 'asn1js';
import type { CertificateInfo } from './types.js';
import { ALG, ATTR, ATTR_SHORT_NAMES, EKU, EXT } from './oids.js';
import { toHex } from './pem.js';
import {
  bitStringBytes,
  corrupt,
  explicit,
  integerBytes,
  isContextTag,
  oid,
  parseBer,
  sequence,
  set,
  type Node,
} from './pkcs12-asn1.js';

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** Decodes any of the X.520 string types by its universal tag. */
export function decodeString(tagNumber: number, bytes: Uint8Array): string {
  switch (tagNumber) {
    case 12: // UTF8String
      return new TextDecoder('utf-8').decode(bytes);
    case 30: {
      // BMPString: UTF-16 big-endian.
      let out = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      }
      return out;
    }
    case 28: {
      // UniversalString: UTF-32 big-endian.
      let out = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        const code =
          ((bytes[i]! << 24) |
            (bytes[i + 1]! << 16) |
            (bytes[i + 2]! << 8) |
            bytes[i + 3]!) >>>
          0;
        out += String.fromCodePoint(code);
      }
      return out;
    }
    default:
      // PrintableString, IA5String, VisibleString, TeletexString: single
      // bytes. Teletex is really T.61, but CAs put ASCII in it.
      return String.fromCharCode(...bytes);
  }
}

export interface NameAttribute {
  oid: string;
  value: string;
}

/** Every attribute of a Name, RDN by RDN, in the certificate's order. */
function nameAttributes(name: Node | undefined, what: string): NameAttribute[] {
  return sequence(name, what).flatMap((rdn) =>
    set(rdn, what).map((pair) => {
      const [type, value] = sequence(pair, what);
      const bytes = (value?.valueBlock as { valueHexView?: Uint8Array })
        ?.valueHexView;
      const text = bytes ? decodeString(value!.idBlock.tagNumber, bytes) : '';
      return { oid: oid(type, what), value: text };
    }),
  );
}

function firstValue(attrs: NameAttribute[], oid: string): string | undefined {
  return attrs.find((a) => a.oid === oid)?.value;
}

/** "CN=…, SURNAME=…, …" in the certificate's own order. */
function formatName(attrs: NameAttribute[]): string {
  return attrs
    .map((a) => `${ATTR_SHORT_NAMES[a.oid] ?? a.oid}=${a.value}`)
    .join(', ');
}

/**
 * An extension as pkijs's Extension has it. The reader below makes the
 * same shape from the DER, so the extension helpers serve both the page
 * and the server's pkijs certificates.
 */
export interface CertificateExtension {
  extnID: string;
  extnValue: { valueBlock: { valueHexView: Uint8Array } };
}

/** Anything with a certificate's extensions: pkijs's Certificate fits. */
export interface HasExtensions {
  extensions?: readonly CertificateExtension[] | undefined;
}

function extensionValue(
  cert: HasExtensions,
  oid: string,
): asn1js.AsnType | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === oid);
  if (!ext) return undefined;
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  if (asn.offset === -1) {
    throw new Error(`Extension ${oid} is not valid DER`);
  }
  return asn.result;
}

/** The elements of a SEQUENCE or SET; none for anything else. */
export function children(
  value: asn1js.AsnType | undefined,
): asn1js.AsnType[] {
  const block = (value as asn1js.Sequence | undefined)?.valueBlock;
  return Array.isArray(block?.value) ? block.value : [];
}

/** The dotted OID of an OBJECT IDENTIFIER, else undefined. */
export function oidOf(
  value: asn1js.AsnType | undefined,
): string | undefined {
  return value instanceof asn1js.ObjectIdentifier
    ? value.valueBlock.toString()
    : undefined;
}

export function keyUsageOf(cert: HasExtensions): string[] {
  const value = extensionValue(cert, EXT.keyUsage);
  if (!(value instanceof asn1js.BitString)) return [];
  const bytes = value.valueBlock.valueHexView;
  const names: string[] = [];
  KEY_USAGE_NAMES.forEach((name, bit) => {
    const byte = bytes[bit >> 3] ?? 0;
    if (byte & (0x80 >> (bit & 7))) names.push(name);
  });
  return names;
}

export function extendedKeyUsageOf(cert: HasExtensions): string[] {
  return children(extensionValue(cert, EXT.extKeyUsage))
    .map(oidOf)
    .filter((oid): oid is string => oid !== undefined);
}

export function policiesOf(cert: HasExtensions): string[] {
  return children(extensionValue(cert, EXT.certificatePolicies))
    .map((info) => oidOf(children(info)[0]))
    .filter((oid): oid is string => oid !== undefined);
}

/** basicConstraints cA, false when the extension is absent. */
export function isCaCertificate(cert: HasExtensions): boolean {
  const first = children(extensionValue(cert, EXT.basicConstraints))[0];
  return first instanceof asn1js.Boolean && first.getValue();
}

/** Modulus size of an RSA public key (the subjectPublicKey bits). */
function rsaModulusBits(publicKey: Uint8Array): number | undefined {
  const asn = asn1js.fromBER(publicKey);
  const modulus = children(asn.result)[0];
  if (!(modulus instanceof asn1js.Integer)) return undefined;
  const bytes = modulus.valueBlock.valueHexView;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const top = bytes[i] ?? 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(top));
}

function algorithmName(oid: string, publicKey: Uint8Array): string {
  switch (oid) {
    case ALG.rsaEncryption: {
      const bits = rsaModulusBits(publicKey);
      return bits ? `RSA ${bits}` : 'RSA';
    }
    case ALG.gost2015Key512:
    case ALG.tc26Key512:
      return 'ГОСТ 34.10-2015 512';
    case ALG.tc26Key256:
      return 'ГОСТ 34.10-2015 256';
    case ALG.gost2004Key:
      return 'ГОСТ 34.310-2004';
    case ALG.ecPublicKey:
      return 'ECDSA';
    default:
      return oid;
  }
}

export function isGost2015Key(oid: string): boolean {
  return (
    oid === ALG.gost2015Key512 ||
    oid === ALG.tc26Key512 ||
    oid === ALG.tc26Key256
  );
}

function purposeOf(
  keyOid: string,
  keyUsage: string[],
  eku: string[],
): CertificateInfo['purpose'] {
  const has = (name: string) => keyUsage.includes(name);
  // NCA's GOST 2015 certificates serve both login and signing with one key,
  // whatever their EKU says, so they are looked at first.
  if (
    isGost2015Key(keyOid) &&
    has('digitalSignature') &&
    has('nonRepudiation')
  ) {
    return 'both';
  }
  if (eku.includes(EKU.clientAuth)) return 'auth';
  if (
    keyOid === ALG.rsaEncryption &&
    (eku.includes(EKU.emailProtection) || has('nonRepudiation'))
  ) {
    return 'sign';
  }
  return 'unknown';
}

/**
 * The fields of a certificate the description is made of; the server's
 * verifier, which has read them already, hands them in directly.
 */
export interface CertificateFields extends HasExtensions {
  serialNumber: Uint8Array;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  keyAlgorithmOid: string;
  publicKey: Uint8Array;
}

/** UTCTime or GeneralizedTime, as RFC 5280 4.1.2.5 allows. */
function readTime(node: Node | undefined, what: string): Date {
  if (
    node instanceof asn1js.UTCTime ||
    node instanceof asn1js.GeneralizedTime
  ) {
    return node.toDate();
  }
  throw corrupt(`${what}: expected a time.`);
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *   signature, issuer, validity, subject, subjectPublicKeyInfo,
 *   [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions (optional) }
 */
function readCertificate(der: Uint8Array): CertificateFields {
  const [tbs] = sequence(parseBer(der, 'A certificate'), 'Certificate');
  const fields = sequence(tbs, 'TBSCertificate');
  // The version is an optional [0]; skip it so the indexes are fixed.
  const rest = isContextTag(fields[0], 0) ? fields.slice(1) : fields;
  const [serial, , issuer, validity, subject, spki, ...optional] = rest;
  const [notBefore, notAfter] = sequence(validity, 'Validity');
  const [algorithm, publicKey] = sequence(spki, 'SubjectPublicKeyInfo');
  const [algorithmOid] = sequence(algorithm, 'SPKI algorithm');
  const extensions = optional.find((node) => isContextTag(node, 3));
  return {
    serialNumber: integerBytes(serial, 'Serial number'),
    issuer: nameAttributes(issuer, 'Issuer'),
    subject: nameAttributes(subject, 'Subject'),
    notBefore: readTime(notBefore, 'notBefore'),
    notAfter: readTime(notAfter, 'notAfter'),
    keyAlgorithmOid: oid(algorithmOid, 'SPKI algorithm'),
    publicKey: bitStringBytes(publicKey, 'subjectPublicKey'),
    extensions: extensions
      ? sequence(explicit(extensions, 3, 'Extensions'), 'Extensions').map(
          readExtension,
        )
      : [],
  };
}

/**
 * Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
 *   extnValue OCTET STRING }
 */
function readExtension(node: Node): CertificateExtension {
  const fields = sequence(node, 'Extension');
  const value = fields[fields.length - 1];
  if (!(value instanceof asn1js.OctetString)) {
    throw corrupt('Extension value: expected an OCTET STRING.');
  }
  return { extnID: oid(fields[0], 'Extension id'), extnValue: value };
}

/**
 * Reads a certificate (DER) into what the key list and verifier show.
 * Throws KeyFileError (CORRUPT_FILE) when the bytes are not an X.509
 * certificate, and an Error when an extension it reads is damaged.
 */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  return describeFields(readCertificate(der));
}

/** The description of fields read elsewhere; see describeCertificate. */
export function describeFields(cert: CertificateFields): CertificateInfo {
  const { subject, issuer, keyAlgorithmOid } = cert;
  const commonName = firstValue(subject, ATTR.commonName) ?? '';
  const patronymic = firstValue(subject, ATTR.givenName);
  const serialField = firstValue(subject, ATTR.serialNumber);
  const iin = /^IIN(\d{12})$/.exec(serialField ?? '')?.[1];
  const bin = subject
    .filter((a) => a.oid === ATTR.organisationalUnit)
    .map((a) => /^BIN(\d{12})$/.exec(a.value)?.[1])
    .find((b) => b !== undefined);
  const organisation = firstValue(subject, ATTR.organisation);
  const keyUsage = keyUsageOf(cert);
  const extendedKeyUsage = extendedKeyUsageOf(cert);

  const legalEntity =
    organisation !== undefined ||
    bin !== undefined ||
    extendedKeyUsage.some(
      (oid) =>
        oid === EKU.ncaLegalEntity || oid.startsWith(`${EKU.ncaLegalEntity}.`),
    );
  const info: CertificateInfo = {
    commonName,
    fullName: patronymic ? `${commonName} ${patronymic}` : commonName,
    // Whole bytes, as OpenSSL and NCA print it: only a leading 00 sign
    // byte goes, never the zero nibble of a byte such as 0f.
    serialNumber: toHex(cert.serialNumber).replace(/^(?:00)+(?=..)/, ''),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    issuerCommonName: firstValue(issuer, ATTR.commonName) ?? '',
    subjectDn: formatName(subject),
    issuerDn: formatName(issuer),
    algorithmName: algorithmName(keyAlgorithmOid, cert.publicKey),
    keyAlgorithmOid,
    keyUsage,
    extendedKeyUsage,
    policies: policiesOf(cert),
    purpose: purposeOf(keyAlgorithmOid, keyUsage, extendedKeyUsage),
    holder: legalEntity
      ? 'legal-entity'
      : iin === undefined && bin === undefined
        ? 'system'
        : 'individual',
  };
  // Optional fields are set only when present, so that deepEqual in tests
  // and JSON for the UI carry no undefined keys.
  const surname = firstValue(subject, ATTR.surname);
  const email = firstValue(subject, ATTR.email);
  if (surname !== undefined) info.surname = surname;
  if (patronymic !== undefined) info.patronymic = patronymic;
  if (iin !== undefined) info.iin = iin;
  if (bin !== undefined) info.bin = bin;
  if (organisation !== undefined) info.organisation = organisation;
  if (email !== undefined) info.email = email;
  return info;
}
