/**
 * GOST 34.10-2015 (512-bit) as NCA writes it, on top of the generic
 * GOST R 34.10 code: the key and signature layouts of domain.md §3, each
 * proved on NCA's own files in test/unit/gost-nca.test.ts.
 *
 * - public key: the certificate's BIT STRING holds an OCTET STRING of
 *   x‖y, 64 bytes each, little-endian;
 * - private key: PKCS#8 privateKey OCTET STRING → OCTET STRING of 64
 *   bytes, d little-endian;
 * - digest: Streebog-512 of the data, read little-endian as the integer
 *   the signature equations take;
 * - signature value: r‖s, 64 bytes each, little-endian.
 */
import * as asn1js from 'asn1js';
import { ALG } from '../oids.js';
import { KeyFileError } from '../types.js';
import {
  bigFromBytesLE,
  bigToBytesLE,
  decodePublicKey,
  decodeSignature,
  digestToInteger,
  encodePublicKey,
  encodeSignature,
  gostPublicKey,
  gostSign,
  gostVerify,
  randomScalar,
  TC26_512_A,
  type GostCurve,
  type GostPoint,
} from './gost3410.js';
import { streebog512 } from './streebog.js';

/** The curves NCA's 512-bit keys name, NCA's own OID first. */
export const GOST_512_CURVE_OIDS: ReadonlySet<string> = new Set([
  '1.2.398.3.10.1.1.2.2.1',
  '1.2.643.7.1.2.1.2.1', // id-tc26-gost-3410-12-512-paramSetA
]);

// Only NCA's algorithm OIDs are taken for keys, digests and signatures.
// TC26's own OIDs (1.2.643.7.1.1.*) stand for the same mathematics but
// with the signature bytes in the opposite order; reading them with NCA's
// layout would be wrong, so they are left to ALGORITHM_UNSUPPORTED.

/** NCA's GOST 34.10-2015 512-bit key OID. */
export const GOST_512_KEY_OIDS: ReadonlySet<string> = new Set([
  ALG.gost2015Key512,
]);

/** NCA's Streebog-512 digest OID. */
export const STREEBOG_512_OIDS: ReadonlySet<string> = new Set([
  ALG.streebog512,
]);

/** NCA's GOST 34.10-2015 512 with Streebog-512 signature OID. */
export const GOST_512_SIGNATURE_OIDS: ReadonlySet<string> = new Set([
  ALG.gost2015Signature512,
]);

/** GOST 34.310-2004, the older Kazakh standard, which we do not sign with. */
export const GOST_2004_OIDS: ReadonlySet<string> = new Set([
  ALG.gost2004Key,
  ALG.gost2004Signature,
  ALG.gost2004Digest,
]);

/** The advice a person with an old GOST key needs. */
export const GOST_2004_ADVICE =
  'GOST 34.310-2004 keys cannot be used in the browser; sign with ' +
  'NCALayer, or get a current key from NCA.';

/**
 * The curve a GOST key's parameters name: SEQUENCE { curve OID, digest
 * OID, … } (NCA and TC26), or a bare curve OID. Null for anything else.
 */
export function curveOfKeyParameters(
  params: asn1js.AsnType | undefined,
): GostCurve | null {
  let curveOid: string | undefined;
  if (params instanceof asn1js.ObjectIdentifier) {
    curveOid = params.valueBlock.toString();
  } else if (params instanceof asn1js.Sequence) {
    const first = params.valueBlock.value[0];
    if (first instanceof asn1js.ObjectIdentifier) {
      curveOid = first.valueBlock.toString();
    }
  }
  return curveOid && GOST_512_CURVE_OIDS.has(curveOid) ? TC26_512_A : null;
}

/**
 * The public point in a certificate's subjectPublicKey bits (an OCTET
 * STRING of x‖y); null when it is not one or not on the curve.
 */
export function publicKeyFromBits(
  curve: GostCurve,
  bits: Uint8Array,
): GostPoint | null {
  const asn = asn1js.fromBER(bits);
  if (asn.offset !== bits.length || !(asn.result instanceof asn1js.OctetString)) {
    return null;
  }
  return decodePublicKey(curve, asn.result.valueBlock.valueHexView);
}

/** The subjectPublicKey bits for a point: OCTET STRING of x‖y. */
export function publicKeyBits(curve: GostCurve, point: GostPoint): Uint8Array {
  const value = encodePublicKey(curve, point);
  return new Uint8Array(
    new asn1js.OctetString({ valueHex: value.slice().buffer }).toBER(),
  );
}

/** A GOST private key, ready to sign. */
export interface GostPrivateKey {
  curve: GostCurve;
  d: bigint;
}

function unsupported(message: string, oid?: string): KeyFileError {
  return new KeyFileError('UNSUPPORTED_KEY', message, oid);
}

/**
 * Reads NCA's GOST PKCS#8 PrivateKeyInfo. Throws KeyFileError:
 * UNSUPPORTED_KEY for a GOST 34.310-2004 key or another curve,
 * CORRUPT_FILE when the bytes are not the expected layout.
 */
export function readGostPrivateKey(privateKeyInfo: Uint8Array): GostPrivateKey {
  const damaged = () =>
    new KeyFileError('CORRUPT_FILE', 'The GOST private key is damaged.');
  const asn = asn1js.fromBER(privateKeyInfo);
  const fields =
    asn.result instanceof asn1js.Sequence ? asn.result.valueBlock.value : [];
  const algorithm = fields[1];
  const keyNode = fields[2];
  if (!(algorithm instanceof asn1js.Sequence)) throw damaged();
  const [oidNode, params] = algorithm.valueBlock.value;
  const keyOid =
    oidNode instanceof asn1js.ObjectIdentifier
      ? oidNode.valueBlock.toString()
      : '';
  if (GOST_2004_OIDS.has(keyOid)) throw unsupported(GOST_2004_ADVICE, keyOid);
  if (!GOST_512_KEY_OIDS.has(keyOid)) {
    throw unsupported(`Not a GOST 34.10-2015 512-bit key (${keyOid}).`, keyOid);
  }
  const curve = curveOfKeyParameters(params);
  if (!curve) {
    throw unsupported('The GOST key uses a curve this library lacks.', keyOid);
  }
  if (!(keyNode instanceof asn1js.OctetString)) throw damaged();
  // NCA nests the scalar in a second OCTET STRING; a bare 64-byte value
  // is taken as well.
  let raw = keyNode.valueBlock.valueHexView;
  const inner = asn1js.fromBER(raw);
  if (inner.offset === raw.length && inner.result instanceof asn1js.OctetString) {
    raw = inner.result.valueBlock.valueHexView;
  }
  if (raw.length !== curve.size) throw damaged();
  const d = bigFromBytesLE(raw);
  if (d <= 0n || d >= curve.q) throw damaged();
  return { curve, d };
}

/** PKCS#8 PrivateKeyInfo for a GOST key, in NCA's layout. */
export function writeGostPrivateKey(key: GostPrivateKey): Uint8Array {
  const scalar = new asn1js.OctetString({
    valueHex: bigToBytesLE(key.d, key.curve.size).buffer as ArrayBuffer,
  });
  const info = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      gostKeyAlgorithm(),
      new asn1js.OctetString({ valueHex: scalar.toBER() }),
    ],
  });
  return new Uint8Array(info.toBER());
}

/**
 * AlgorithmIdentifier of NCA's 512-bit key: the key OID with parameters
 * SEQUENCE { curve OID, Streebog-512 OID }.
 */
export function gostKeyAlgorithm(): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: ALG.gost2015Key512 }),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: '1.2.398.3.10.1.1.2.2.1' }),
          new asn1js.ObjectIdentifier({ value: ALG.streebog512 }),
        ],
      }),
    ],
  });
}

/** The public key of a private key. */
export function gostPublicOf(key: GostPrivateKey): GostPoint {
  return gostPublicKey(key.curve, key.d);
}

/** Signs the bytes (hashing them with Streebog-512): NCA's r‖s layout. */
export function gostSignData(key: GostPrivateKey, data: Uint8Array): Uint8Array {
  const alpha = digestToInteger(streebog512(data));
  return encodeSignature(key.curve, gostSign(key.curve, key.d, alpha));
}

/** Verifies NCA's r‖s signature value over the bytes. */
export function gostVerifyData(
  curve: GostCurve,
  publicKey: GostPoint,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const sig = decodeSignature(curve, signature);
  if (!sig) return false;
  return gostVerify(curve, publicKey, digestToInteger(streebog512(data)), sig);
}

/** A fresh random GOST key on NCA's curve. */
export function generateGostKey(): GostPrivateKey {
  const curve = TC26_512_A;
  return { curve, d: randomScalar(curve) };
}
