/**
 * Makes the CMS SignedData a portal expects from a login: the content
 * attached byte for byte, signed attributes (contentType, signingTime,
 * messageDigest), the signer's certificate, and a SignerInfo identified by
 * issuer and serial number. The shape follows what NCA's Kalkan library
 * writes (compare ../shared/nca-test-pki/cms_attached_rsa.der, and the
 * GOST signer of cms_attached_gost2015_and_rsa.der), so servers built for
 * NCALayer accept it.
 *
 * The DER is assembled here by hand rather than through pkijs objects: the
 * certificate must be embedded exactly as the CA wrote it, and the signed
 * attributes must be in DER order, neither of which a re-encoding promises.
 * This module runs in the page, so it uses asn1js only; pkijs stays with
 * the server's verifier (issue #7).
 */
import * as asn1js from 'asn1js';
import type { KeyEntry } from './types.js';
import { KeyFileError } from './types.js';
import { ALG, CMS } from './oids.js';
import { bufferSource } from './pem.js';
import {
  GOST_2004_ADVICE,
  GOST_2004_OIDS,
  GOST_512_KEY_OIDS,
  gostSignData,
  gostVerifyData,
  publicKeyFromBits,
  readGostPrivateKey,
} from './gost/nca-gost.js';
import { streebog512 } from './gost/streebog.js';

/** A DER length prefix. */
function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One DER element: tag, length, then the contents in order. */
function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concat(contents);
  return concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OCTET_STRING = 0x04;
const CONTEXT_0 = 0xa0;

function oid(dotted: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
}

/** AlgorithmIdentifier with an explicit NULL, as Kalkan writes them. */
function algorithm(dotted: string): Uint8Array {
  return tlv(SEQUENCE, oid(dotted), Uint8Array.of(0x05, 0x00));
}

/** X.690 11.6: SET OF members sorted as octet strings, zero-padded. */
function compareDer(a: Uint8Array, b: Uint8Array): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** What the SignerInfo copies from the certificate, and what checks it. */
interface SignerCertificate {
  /** The issuer Name and serial INTEGER, as raw DER. */
  issuerAndSerial: Uint8Array;
  publicKeyInfo: asn1js.Sequence;
}

function readSignerCertificate(certificate: Uint8Array): SignerCertificate {
  const asn = asn1js.fromBER(certificate);
  const cert = asn.result as asn1js.Sequence;
  const tbs = cert.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const fields = tbs?.valueBlock?.value ?? [];
  // The version field [0] is optional; the serial follows it when present.
  const start = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const serial = fields[start];
  const issuer = fields[start + 2];
  const publicKeyInfo = fields[start + 5];
  if (
    asn.offset === -1 ||
    !serial ||
    !issuer ||
    !(publicKeyInfo instanceof asn1js.Sequence)
  ) {
    throw new KeyFileError('CORRUPT_FILE', 'The key certificate is damaged.');
  }
  return {
    issuerAndSerial: tlv(
      SEQUENCE,
      issuer.valueBeforeDecodeView,
      serial.valueBeforeDecodeView,
    ),
    publicKeyInfo,
  };
}

/**
 * RFC 5652 wants UTCTime for dates from 1950 through 2049 and
 * GeneralizedTime after; both without fractions of a second.
 */
function encodeTime(date: Date): Uint8Array {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const time =
    whole.getUTCFullYear() < 2050
      ? new asn1js.UTCTime({ valueDate: whole })
      : new asn1js.GeneralizedTime({ valueDate: whole });
  return new Uint8Array(time.toBER());
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return tlv(SEQUENCE, oid(type), tlv(SET, value));
}

/** Options for tests and callers that need a fixed signing time. */
export interface SignCmsOptions {
  signingTime?: Date;
}

/**
 * One signing key, whatever its algorithm: the OIDs Kalkan writes for it,
 * the digest of the content, and the raw signature over bytes.
 */
interface CmsSigner {
  digestOid: string;
  signatureOid: string;
  digest(data: Uint8Array): Promise<Uint8Array>;
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Does the certificate's key verify the signature? False on any error. */
  verify(
    data: Uint8Array,
    signature: Uint8Array,
    publicKeyInfo: asn1js.Sequence,
  ): Promise<boolean>;
}

async function rsaSigner(key: KeyEntry): Promise<CmsSigner> {
  const subtle = globalThis.crypto.subtle;
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle.importKey(
      'pkcs8',
      bufferSource(key.privateKeyInfo),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  } catch {
    throw new KeyFileError(
      'UNSUPPORTED_KEY',
      'The private key could not be loaded.',
      key.keyAlgorithmOid,
    );
  }
  return {
    digestOid: ALG.sha256,
    signatureOid: ALG.sha256WithRsa,
    digest: async (data) =>
      new Uint8Array(await subtle.digest('SHA-256', bufferSource(data))),
    sign: async (data) =>
      new Uint8Array(
        await subtle.sign('RSASSA-PKCS1-v1_5', privateKey, bufferSource(data)),
      ),
    verify: async (data, signature, publicKeyInfo) => {
      try {
        const publicKey = await subtle.importKey(
          'spki',
          bufferSource(publicKeyInfo.valueBeforeDecodeView),
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['verify'],
        );
        return await subtle.verify(
          'RSASSA-PKCS1-v1_5',
          publicKey,
          bufferSource(signature),
          bufferSource(data),
        );
      } catch {
        // Not an RSA key, or not one WebCrypto takes: it cannot verify.
        return false;
      }
    },
  };
}

/**
 * GOST 34.10-2015 512 with Streebog-512, in NCA's layout: the same OIDs
 * and byte order as Kalkan (domain.md §3). WebCrypto has neither, so this
 * is the library's own code, the same in the browser and in Node.
 */
function gostSigner(key: KeyEntry): CmsSigner {
  const gostKey = readGostPrivateKey(key.privateKeyInfo);
  return {
    digestOid: ALG.streebog512,
    signatureOid: ALG.gost2015Signature512,
    digest: async (data) => streebog512(data),
    sign: async (data) => gostSignData(gostKey, data),
    verify: async (data, signature, publicKeyInfo) => {
      const bits = publicKeyInfo.valueBlock.value[1];
      if (!(bits instanceof asn1js.BitString)) return false;
      const { curve } = gostKey;
      try {
        const point = publicKeyFromBits(curve, bits.valueBlock.valueHexView);
        return (
          point !== null && gostVerifyData(curve, point, data, signature)
        );
      } catch {
        return false;
      }
    },
  };
}

function signerFor(key: KeyEntry): Promise<CmsSigner> | CmsSigner {
  const oid = key.keyAlgorithmOid;
  if (oid === ALG.rsaEncryption) return rsaSigner(key);
  if (GOST_512_KEY_OIDS.has(oid)) return gostSigner(key);
  if (GOST_2004_OIDS.has(oid)) {
    throw new KeyFileError('UNSUPPORTED_KEY', GOST_2004_ADVICE, oid);
  }
  throw new KeyFileError(
    'UNSUPPORTED_KEY',
    'Only RSA and GOST 34.10-2015 keys can sign here.',
    oid,
  );
}

/**
 * Signs `content` with the key and returns CMS SignedData (DER) with the
 * content attached: RSA (SHA-256) or GOST 34.10-2015 512 (Streebog-512).
 */
export async function signCms(
  content: Uint8Array,
  key: KeyEntry,
  options: SignCmsOptions = {},
): Promise<Uint8Array> {
  const signer = await signerFor(key);
  const certificate = readSignerCertificate(key.certificate);
  const digest = await signer.digest(content);
  const attributes = [
    attribute(CMS.contentType, oid(CMS.data)),
    attribute(CMS.signingTime, encodeTime(options.signingTime ?? new Date())),
    attribute(CMS.messageDigest, tlv(OCTET_STRING, digest)),
  ].sort(compareDer);
  // The signature covers the attributes as a SET; in the SignerInfo they
  // sit under the IMPLICIT [0] tag instead.
  const signedAttrs = tlv(SET, ...attributes);
  const signature = await signer.sign(signedAttrs);

  const signerInfo = tlv(
    SEQUENCE,
    Uint8Array.of(0x02, 0x01, 0x01), // version 1: issuerAndSerialNumber
    certificate.issuerAndSerial,
    algorithm(signer.digestOid),
    tlv(CONTEXT_0, ...attributes),
    algorithm(signer.signatureOid),
    tlv(OCTET_STRING, signature),
  );
  const signedData = tlv(
    SEQUENCE,
    Uint8Array.of(0x02, 0x01, 0x01), // version 1: data content, no v2 bits
    tlv(SET, algorithm(signer.digestOid)),
    tlv(SEQUENCE, oid(CMS.data), tlv(CONTEXT_0, tlv(OCTET_STRING, content))),
    tlv(CONTEXT_0, key.certificate),
    tlv(SET, signerInfo),
  );
  const der = tlv(SEQUENCE, oid(CMS.signedData), tlv(CONTEXT_0, signedData));

  // Check the signature with the certificate's key, as a verifier will:
  // this catches a key file whose key does not belong to its certificate.
  // (The full verifier, cms-verify.ts, needs pkijs, which the page must
  // not load; the tests run it on this output.)
  const verified = await signer.verify(
    signedAttrs,
    signature,
    certificate.publicKeyInfo,
  );
  if (!verified) {
    throw new KeyFileError(
      'CORRUPT_FILE',
      'The signature does not verify with the certificate in the key file; ' +
        'the key and the certificate do not belong together.',
    );
  }
  return der;
}
