/**
 * The few facts the key-file code needs from a certificate and a private
 * key: enough to pair them and to name the pair. Full certificate parsing
 * for display lives elsewhere (certificate-info.ts).
 */
import {
  bitStringBytes,
  corrupt,
  explicit,
  integerBytes,
  isContextTag,
  octets,
  oid,
  parseBer,
  sequence,
  type Node,
} from './pkcs12-asn1.js';
import { bytesEqual } from './bytes.js';
import * as asn1js from 'asn1js';

const RSA = '1.2.840.113549.1.1.1';
const RSA_PSS = '1.2.840.113549.1.1.10';
const EC = '1.2.840.10045.2.1';
const SUBJECT_KEY_ID = '2.5.29.14';
const BASIC_CONSTRAINTS = '2.5.29.19';

export interface CertificateFacts {
  /** SubjectPublicKeyInfo algorithm OID. */
  keyAlgorithmOid: string;
  /** The subjectPublicKey BIT STRING's bytes. */
  publicKey: Uint8Array;
  /** The RSA modulus, for RSA keys. */
  rsaModulus?: Uint8Array;
  subjectKeyId?: Uint8Array;
  /** basicConstraints says cA, or the certificate is self-issued. */
  isCa: boolean;
}

/** Reads a certificate's key facts; throws CORRUPT_FILE if it is not one. */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const [tbs] = sequence(parseBer(der, 'A certificate'), 'Certificate');
  const fields = sequence(tbs, 'TBSCertificate');
  // The version is an optional [0]; skip it so the indexes are fixed.
  const rest = isContextTag(fields[0], 0) ? fields.slice(1) : fields;
  const [, , issuer, , subject, spkiNode, ...optional] = rest;
  const [algorithm, publicKeyNode] = sequence(spkiNode, 'SubjectPublicKeyInfo');
  const [algorithmOid] = sequence(algorithm, 'SPKI algorithm');
  const keyAlgorithmOid = oid(algorithmOid, 'SPKI algorithm');
  const publicKey = bitStringBytes(publicKeyNode, 'subjectPublicKey');
  const facts: CertificateFacts = {
    keyAlgorithmOid,
    publicKey,
    isCa: sameEncoding(issuer, subject),
  };
  if (keyAlgorithmOid === RSA || keyAlgorithmOid === RSA_PSS) {
    const [modulus] = sequence(
      parseBer(publicKey, 'An RSA public key'),
      'RSAPublicKey',
    );
    facts.rsaModulus = integerBytes(modulus, 'RSA modulus');
  }
  const extensionsNode = optional.find((node) => isContextTag(node, 3));
  if (extensionsNode) {
    const list = explicit(extensionsNode, 3, 'Extensions');
    for (const ext of sequence(list, 'Extensions')) {
      readExtension(ext, facts);
    }
  }
  return facts;
}

function sameEncoding(a: Node | undefined, b: Node | undefined): boolean {
  if (!a || !b) return false;
  return bytesEqual(a.valueBeforeDecodeView, b.valueBeforeDecodeView);
}

function readExtension(ext: Node, facts: CertificateFacts): void {
  const fields = sequence(ext, 'Extension');
  const id = oid(fields[0], 'Extension id');
  const value = octets(fields[fields.length - 1], 'Extension value');
  if (id === SUBJECT_KEY_ID) {
    facts.subjectKeyId = octets(parseBer(value, 'Subject key id'), 'SKI');
  } else if (id === BASIC_CONSTRAINTS) {
    const what = 'Basic constraints';
    const [ca] = sequence(parseBer(value, what), what);
    if (ca instanceof asn1js.Boolean && ca.valueBlock.value) facts.isCa = true;
  }
}

export interface PrivateKeyFacts {
  keyAlgorithmOid: string;
  /** The RSA modulus, for RSA keys. */
  rsaModulus?: Uint8Array;
  /**
   * The public key as the certificate would carry it, when the private
   * key states it (EC keys usually do; PKCS#8 v2 may for any algorithm).
   */
  publicKey?: Uint8Array;
}

/**
 * Reads a PKCS#8 PrivateKeyInfo (or v2 OneAsymmetricKey). Throws
 * CORRUPT_FILE if the bytes are not one; the caller knows whether that
 * means damage or, in a file without a MAC, a wrong password.
 */
export function privateKeyFacts(der: Uint8Array): PrivateKeyFacts {
  const fields = sequence(parseBer(der, 'The private key'), 'PrivateKeyInfo');
  const [version, algorithm, keyNode, ...optional] = fields;
  if (!(version instanceof asn1js.Integer)) {
    throw corrupt('PrivateKeyInfo: expected a version number.');
  }
  const [algorithmOid] = sequence(algorithm, 'Private key algorithm');
  const keyAlgorithmOid = oid(algorithmOid, 'Private key algorithm');
  const privateKey = octets(keyNode, 'Private key');
  const facts: PrivateKeyFacts = { keyAlgorithmOid };
  // OneAsymmetricKey: publicKey [1] IMPLICIT BIT STRING.
  const v2PublicKey = optional.find((node) => isContextTag(node, 1));
  if (v2PublicKey && !v2PublicKey.idBlock.isConstructed) {
    const raw = (v2PublicKey.valueBlock as { valueHexView: Uint8Array })
      .valueHexView;
    facts.publicKey = raw.subarray(1);
  }
  // The inner key formats are only read for pairing: when they do not
  // parse, pairing falls back to localKeyID, so errors are swallowed.
  try {
    if (keyAlgorithmOid === RSA || keyAlgorithmOid === RSA_PSS) {
      const [, modulus] = sequence(
        parseBer(privateKey, 'An RSA private key'),
        'RSAPrivateKey',
      );
      facts.rsaModulus = integerBytes(modulus, 'RSA modulus');
    } else if (keyAlgorithmOid === EC) {
      // ECPrivateKey: version, privateKey, [0] parameters, [1] publicKey.
      const ecFields = sequence(
        parseBer(privateKey, 'An EC private key'),
        'ECPrivateKey',
      );
      const pub = ecFields.find((node) => isContextTag(node, 1));
      if (pub) {
        const bits = explicit(pub, 1, 'EC public key');
        facts.publicKey = bitStringBytes(bits, 'EC public key');
      }
    }
  } catch {
    // See above.
  }
  return facts;
}

/**
 * Whether a private key and a certificate hold the same key pair:
 * true or false when the key says enough to tell, undefined when not
 * (e.g. NCA's GOST keys, which hold only the secret scalar).
 */
export function sameKeyPair(
  key: PrivateKeyFacts,
  cert: CertificateFacts,
): boolean | undefined {
  const keyFamily = family(key.keyAlgorithmOid);
  const certFamily = family(cert.keyAlgorithmOid);
  if (
    keyFamily !== certFamily &&
    (WELL_KNOWN.has(keyFamily) || WELL_KNOWN.has(certFamily))
  ) {
    return false;
  }
  if (key.rsaModulus && cert.rsaModulus) {
    return bytesEqual(key.rsaModulus, cert.rsaModulus);
  }
  if (key.publicKey) return bytesEqual(key.publicKey, cert.publicKey);
  return undefined;
}

// Key algorithms whose OID is the same in a PKCS#8 key and in the
// certificate. Other families (GOST above all) have several OIDs for one
// key kind across vendors, so a difference there proves nothing.
const WELL_KNOWN = new Set([
  'rsa',
  EC,
  '1.2.840.10040.4.1', // DSA
  '1.3.101.110', // X25519
  '1.3.101.111', // X448
  '1.3.101.112', // Ed25519
  '1.3.101.113', // Ed448
]);

/** An RSA key may sit in an RSA-PSS certificate and vice versa. */
function family(oid: string): string {
  return oid === RSA || oid === RSA_PSS ? 'rsa' : oid;
}
