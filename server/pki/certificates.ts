/**
 * Issues X.509 certificates for the demo PKI and for tests: RSA keys from
 * WebCrypto or GOST 34.10-2015 512 keys from the library's own GOST code,
 * certificates assembled with pkijs and signed with sha256WithRSAEncryption
 * or GOST 34.10-2015 in NCA's layout. Only what a CA in NCA's layout
 * needs; this is not a general CA.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ALG, ATTR, EXT } from '../../src/crypto/oids.js';
import {
  generateGostKey,
  gostKeyAlgorithm,
  gostPublicOf,
  gostSignData,
  publicKeyBits,
  writeGostPrivateKey,
  type GostPrivateKey,
} from '../../src/crypto/gost/nca-gost.js';

const subtle = globalThis.crypto.subtle;

export interface RsaKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKeyInfo: Uint8Array;
  /** SubjectPublicKeyInfo, DER. */
  publicKeyInfo: Uint8Array;
}

export async function generateRsaKey(bits = 2048): Promise<RsaKeyPair> {
  const pair = await subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: bits,
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateKeyInfo: new Uint8Array(
      await subtle.exportKey('pkcs8', pair.privateKey),
    ),
    publicKeyInfo: new Uint8Array(
      await subtle.exportKey('spki', pair.publicKey),
    ),
  };
}

export interface GostKeyPair {
  /** The key itself, to sign certificates with. */
  privateKey: GostPrivateKey;
  /** PKCS#8 PrivateKeyInfo in NCA's layout, DER. */
  privateKeyInfo: Uint8Array;
  /** SubjectPublicKeyInfo as NCA writes it, DER. */
  publicKeyInfo: Uint8Array;
}

/** A GOST 34.10-2015 512-bit key on NCA's curve (TC26 512 paramSetA). */
export function generateGostKeyPair(): GostKeyPair {
  const privateKey = generateGostKey();
  const spki = new asn1js.Sequence({
    value: [
      gostKeyAlgorithm(),
      new asn1js.BitString({
        valueHex: publicKeyBits(privateKey.curve, gostPublicOf(privateKey))
          .buffer as ArrayBuffer,
      }),
    ],
  });
  return {
    privateKey,
    privateKeyInfo: writeGostPrivateKey(privateKey),
    publicKeyInfo: new Uint8Array(spki.toBER()),
  };
}

/** What signs a certificate: an RSA CryptoKey or a GOST key. */
export type SigningKey = CryptoKey | GostPrivateKey;

function isGostKey(key: SigningKey): key is GostPrivateKey {
  return 'd' in key && 'curve' in key;
}

/** The signature algorithm a key signs with, with an explicit NULL as NCA. */
function signatureAlgorithmOf(key: SigningKey): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: isGostKey(key) ? ALG.gost2015Signature512 : ALG.sha256WithRsa,
    algorithmParams: new asn1js.Null(),
  });
}

/** The signature value over the TBS bytes. */
async function signTbs(key: SigningKey, tbs: Uint8Array): Promise<ArrayBuffer> {
  if (isGostKey(key)) return bufferOf(gostSignData(key, tbs));
  return subtle.sign('RSASSA-PKCS1-v1_5', key, bufferOf(tbs));
}

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/**
 * One subject attribute. NCA writes C and SERIALNUMBER as PrintableString
 * and names as UTF8String, which is what the OID picks unless a string type
 * is given (tests use BMPString, as some older CAs wrote).
 */
export type NameEntry = [
  oid: string,
  value: string,
  type?: 'utf8' | 'printable' | 'bmp',
];

function stringValue([oid, value, type]: NameEntry): asn1js.AsnType {
  const chosen = type ?? (PRINTABLE_ATTRIBUTES.has(oid) ? 'printable' : 'utf8');
  if (chosen === 'printable') return new asn1js.PrintableString({ value });
  if (chosen === 'bmp') return new asn1js.BmpString({ value });
  return new asn1js.Utf8String({ value });
}

const PRINTABLE_ATTRIBUTES = new Set<string>([ATTR.country, ATTR.serialNumber]);

export function buildName(
  entries: NameEntry[],
): pkijs.RelativeDistinguishedNames {
  // One attribute per RDN, as NCA writes names. pkijs would put a list of
  // attributes into a single multi-valued RDN, so the Name is encoded here
  // and handed to pkijs as parsed DER, which it then keeps as it is.
  const name = new asn1js.Sequence({
    value: entries.map(
      (entry) =>
        new asn1js.Set({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: entry[0] }),
                stringValue(entry),
              ],
            }),
          ],
        }),
    ),
  });
  const parsed = asn1js.fromBER(name.toBER(false));
  return new pkijs.RelativeDistinguishedNames({ schema: parsed.result });
}

export interface Issuer {
  name: NameEntry[];
  privateKey: SigningKey;
  publicKeyInfo: Uint8Array;
}

export interface CertificateRequest {
  subject: NameEntry[];
  publicKeyInfo: Uint8Array;
  /** The issuing CA; omitted for a self-signed root. */
  issuer?: Issuer;
  /** Signs a self-signed certificate (required when issuer is omitted). */
  selfSignKey?: SigningKey;
  notBefore: Date;
  notAfter: Date;
  /** Present for a CA certificate. */
  ca?: { pathLength?: number };
  keyUsage: KeyUsageName[];
  extendedKeyUsage?: string[];
  policies?: string[];
  /** Where the certificate's status is published, as NCA's name it. */
  revocationUrls?: RevocationUrls;
}

export interface RevocationUrls {
  /** CRL distribution points (the base CRL). */
  crl?: string[];
  /** Freshest CRL (the delta CRL). */
  deltaCrl?: string[];
  /** Authority information access: the OCSP responder. */
  ocsp?: string[];
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

const KEY_USAGE_BITS: Record<KeyUsageName, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};

/** DER BIT STRING for KeyUsage: trailing zero bits are not encoded. */
function keyUsageValue(names: KeyUsageName[]): asn1js.BitString {
  let mask = 0;
  for (const name of names) mask |= 0x80 >> KEY_USAGE_BITS[name];
  // The zero bits below the lowest bit set are marked unused (X.690 11.2.2).
  const lowest = mask & -mask;
  return new asn1js.BitString({
    valueHex: Uint8Array.of(mask).buffer,
    unusedBits: mask === 0 ? 0 : Math.log2(lowest),
  });
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export async function keyIdentifier(
  publicKeyInfo: Uint8Array,
): Promise<Uint8Array> {
  const spki = new pkijs.PublicKeyInfo({
    schema: asn1js.fromBER(publicKeyInfo).result,
  });
  const bits = spki.subjectPublicKey.valueBlock.valueHexView.slice();
  return new Uint8Array(await subtle.digest('SHA-1', bits));
}

function extension(
  extnID: string,
  value: asn1js.AsnType,
  critical = false,
): pkijs.Extension {
  return new pkijs.Extension({
    extnID,
    critical,
    extnValue: value.toBER(false),
  });
}

/** A whole-second Date, so that times encode without fractions. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function time(date: Date): pkijs.Time {
  const value = wholeSeconds(date);
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  const type = value.getUTCFullYear() < 2050 ? 0 : 1;
  return new pkijs.Time({ type, value });
}

/** A positive 20-byte serial number, as NCA's are. */
function randomSerial(): asn1js.Integer {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(20));
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return new asn1js.Integer({ valueHex: bytes.buffer });
}

/** Issues one certificate and returns its DER. */
export async function issueCertificate(
  request: CertificateRequest,
): Promise<Uint8Array> {
  const issuerName = request.issuer?.name ?? request.subject;
  const signingKey = request.issuer?.privateKey ?? request.selfSignKey;
  if (!signingKey) throw new Error('A self-signed certificate needs its key.');
  const issuerKeyInfo = request.issuer?.publicKeyInfo ?? request.publicKeyInfo;

  const algorithm = signatureAlgorithmOf(signingKey);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = randomSerial();
  cert.signature = algorithm;
  cert.issuer = buildName(issuerName);
  cert.subject = buildName(request.subject);
  cert.notBefore = time(request.notBefore);
  cert.notAfter = time(request.notAfter);
  cert.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({
    schema: asn1js.fromBER(request.publicKeyInfo).result,
  });

  const extensions = [
    extension(EXT.keyUsage, keyUsageValue(request.keyUsage), true),
  ];
  if (request.ca) {
    const constraints: asn1js.AsnType[] = [new asn1js.Boolean({ value: true })];
    if (request.ca.pathLength !== undefined) {
      constraints.push(new asn1js.Integer({ value: request.ca.pathLength }));
    }
    extensions.push(
      extension(
        EXT.basicConstraints,
        new asn1js.Sequence({ value: constraints }),
        true,
      ),
    );
  }
  if (request.extendedKeyUsage?.length) {
    extensions.push(
      extension(
        EXT.extKeyUsage,
        new asn1js.Sequence({
          value: request.extendedKeyUsage.map(
            (value) => new asn1js.ObjectIdentifier({ value }),
          ),
        }),
      ),
    );
  }
  if (request.policies?.length) {
    extensions.push(
      extension(
        EXT.certificatePolicies,
        new asn1js.Sequence({
          value: request.policies.map(
            (value) =>
              new asn1js.Sequence({
                value: [new asn1js.ObjectIdentifier({ value })],
              }),
          ),
        }),
      ),
    );
  }
  extensions.push(
    extension(
      EXT.subjectKeyIdentifier,
      new asn1js.OctetString({
        valueHex: (await keyIdentifier(request.publicKeyInfo)).slice().buffer,
      }),
    ),
  );
  if (request.issuer) {
    // keyIdentifier [0] IMPLICIT OCTET STRING.
    const keyId = new asn1js.Primitive({
      idBlock: { tagClass: 3, tagNumber: 0 },
      valueHex: (await keyIdentifier(issuerKeyInfo)).slice().buffer,
    });
    extensions.push(
      extension(
        EXT.authorityKeyIdentifier,
        new asn1js.Sequence({ value: [keyId] }),
      ),
    );
  }
  extensions.push(...revocationExtensions(request.revocationUrls ?? {}));
  cert.extensions = extensions;

  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  cert.signatureAlgorithm = signatureAlgorithmOf(signingKey);
  cert.signatureValue = new asn1js.BitString({
    valueHex: await signTbs(signingKey, tbs),
  });
  return new Uint8Array(cert.toSchema().toBER(false));
}

/** uniformResourceIdentifier [6] IA5String. */
function uriName(url: string): asn1js.Primitive {
  return new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber: 6 },
    valueHex: new TextEncoder().encode(url).buffer as ArrayBuffer,
  });
}

/** CRLDistributionPoints syntax: each URL a point with a fullName. */
function distributionPoints(urls: string[]): asn1js.Sequence {
  return new asn1js.Sequence({
    value: urls.map(
      (url) =>
        new asn1js.Sequence({
          value: [
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [
                new asn1js.Constructed({
                  idBlock: { tagClass: 3, tagNumber: 0 },
                  value: [uriName(url)],
                }),
              ],
            }),
          ],
        }),
    ),
  });
}

function revocationExtensions(urls: RevocationUrls): pkijs.Extension[] {
  const out: pkijs.Extension[] = [];
  if (urls.crl?.length) {
    out.push(extension('2.5.29.31', distributionPoints(urls.crl)));
  }
  if (urls.deltaCrl?.length) {
    out.push(extension('2.5.29.46', distributionPoints(urls.deltaCrl)));
  }
  if (urls.ocsp?.length) {
    const access = urls.ocsp.map(
      (url) =>
        new asn1js.Sequence({
          value: [
            new asn1js.ObjectIdentifier({ value: '1.3.6.1.5.5.7.48.1' }),
            uriName(url),
          ],
        }),
    );
    out.push(
      extension('1.3.6.1.5.5.7.1.1', new asn1js.Sequence({ value: access })),
    );
  }
  return out;
}

export interface RevokedEntry {
  /** The revoked certificate's serial number, as its bytes. */
  serial: Uint8Array;
  date: Date;
  /** CRLReason: 1 keyCompromise, 6 certificateHold, 8 removeFromCRL… */
  reason?: number;
}

export interface CrlRequest {
  issuer: Issuer;
  thisUpdate: Date;
  /** Omitted only to test a verifier that must refuse such a CRL. */
  nextUpdate?: Date;
  number: number;
  /** For a delta CRL: the number of the base CRL it completes. */
  deltaOf?: number;
  revoked: RevokedEntry[];
}

/** Issues a CRL (base, or delta with deltaOf) and returns its DER. */
export async function issueCrl(request: CrlRequest): Promise<Uint8Array> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.signature = signatureAlgorithmOf(request.issuer.privateKey);
  crl.issuer = buildName(request.issuer.name);
  crl.thisUpdate = time(request.thisUpdate);
  if (request.nextUpdate) crl.nextUpdate = time(request.nextUpdate);
  if (request.revoked.length > 0) {
    crl.revokedCertificates = request.revoked.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({
            valueHex: bufferOf(entry.serial),
          }),
          revocationDate: time(entry.date),
          ...(entry.reason === undefined
            ? {}
            : {
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [
                    extension(
                      '2.5.29.21',
                      new asn1js.Enumerated({ value: entry.reason }),
                    ),
                  ],
                }),
              }),
        }),
    );
  }
  const extensions = [
    extension('2.5.29.20', new asn1js.Integer({ value: request.number })),
    extension(
      EXT.authorityKeyIdentifier,
      new asn1js.Sequence({
        value: [
          new asn1js.Primitive({
            idBlock: { tagClass: 3, tagNumber: 0 },
            valueHex: bufferOf(
              await keyIdentifier(request.issuer.publicKeyInfo),
            ),
          }),
        ],
      }),
    ),
  ];
  if (request.deltaOf !== undefined) {
    extensions.push(
      extension(
        '2.5.29.27',
        new asn1js.Integer({ value: request.deltaOf }),
        true,
      ),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({ extensions });
  // encodeTBS is protected in pkijs's typings for CRLs, public for
  // certificates; it is the same method.
  const encode = crl as unknown as { encodeTBS(): asn1js.Sequence };
  const tbs = new Uint8Array(encode.encodeTBS().toBER(false));
  crl.tbsView = tbs;
  crl.signatureAlgorithm = signatureAlgorithmOf(request.issuer.privateKey);
  crl.signatureValue = new asn1js.BitString({
    valueHex: await signTbs(request.issuer.privateKey, tbs),
  });
  return new Uint8Array(crl.toSchema().toBER(false));
}

/** Signs bytes as a CA of this PKI would (for OCSP answers in tests). */
export async function signWith(
  key: SigningKey,
  data: Uint8Array,
): Promise<{ algorithm: pkijs.AlgorithmIdentifier; signature: ArrayBuffer }> {
  return {
    algorithm: signatureAlgorithmOf(key),
    signature: await signTbs(key, data),
  };
}
