/**
 * Password-based encryption schemes found in PKCS#12 files: the PKCS#12
 * PBE family (RFC 7292 appendix C) and PBES2 with PBKDF2 (RFC 8018).
 *
 * Reading an AlgorithmIdentifier and decrypting are two steps on purpose:
 * the reader first resolves every scheme it meets, so that an algorithm it
 * cannot handle is reported as UNSUPPORTED_ALGORITHM before any failed
 * decryption could be mistaken for a wrong password.
 */
import {
  PaddingError,
  bmpPassword,
  ownBytes,
  utf8Bytes,
} from './bytes.js';
import {
  desCbcDecrypt,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
} from './des.js';
import { pkcs12Kdf, type KdfHash } from './pkcs12-kdf.js';
import { rc2CbcDecrypt, rc2CbcEncrypt } from './rc2.js';
import {
  algorithmId,
  corrupt,
  isNull,
  isOctetString,
  octets,
  sequence,
  smallInt,
  type AlgorithmId,
  type Node,
} from './pkcs12-asn1.js';
import { KeyFileError } from './types.js';

export const OID = {
  pbeSha1Rc4_128: '1.2.840.113549.1.12.1.1',
  pbeSha1Rc4_40: '1.2.840.113549.1.12.1.2',
  pbeSha1TripleDes3Key: '1.2.840.113549.1.12.1.3',
  pbeSha1TripleDes2Key: '1.2.840.113549.1.12.1.4',
  pbeSha1Rc2_128: '1.2.840.113549.1.12.1.5',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha1: '1.2.840.113549.2.7',
  hmacSha256: '1.2.840.113549.2.9',
  hmacSha384: '1.2.840.113549.2.10',
  hmacSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desEde3Cbc: '1.2.840.113549.3.7',
  desCbc: '1.3.14.3.2.7',
  rc2Cbc: '1.2.840.113549.3.2',
} as const;

/**
 * The two ways a password enters a KDF: the PKCS#12 KDF takes a BMPString,
 * PBKDF2 takes the bytes as typed, which every modern writer takes to be
 * UTF-8.
 */
export interface PasswordForms {
  bmp: Uint8Array;
  utf8: Uint8Array;
}

export function passwordForms(password: string): PasswordForms {
  return { bmp: bmpPassword(password), utf8: utf8Bytes(password) };
}

/** A resolved encryption scheme, ready to decrypt with a password. */
export interface DecryptionScheme {
  /** Short text for messages, e.g. "PBES2/PBKDF2-SHA-256/AES-256-CBC". */
  readonly name: string;
  /**
   * Decrypts and removes the padding. Throws PaddingError when the padding
   * is wrong (with a MAC-less file, the usual sign of a wrong password),
   * and KeyFileError for damage that no password explains.
   */
  decrypt(password: PasswordForms, data: Uint8Array): Promise<Uint8Array>;
}

// Hostile-file guard: the PKCS#12 KDF runs in JavaScript, at roughly a
// microsecond a hash; ten million would already freeze a page for seconds.
const MAX_ITERATIONS = 10_000_000;

function unsupported(oid: string, what: string): KeyFileError {
  return new KeyFileError(
    'UNSUPPORTED_ALGORITHM',
    `The key file uses ${what} (${oid}), which this reader does not support.`,
    oid,
  );
}

function checkWholeBlocks(data: Uint8Array, blockSize: number): void {
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw corrupt('Encrypted data is not a whole number of cipher blocks.');
  }
}

interface Pkcs12Pbe {
  name: string;
  keyLength: number;
  cipher: 'des-ede3' | 'rc2';
  rc2Bits?: number;
}

const PKCS12_PBE: Record<string, Pkcs12Pbe> = {
  [OID.pbeSha1TripleDes3Key]: {
    name: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    keyLength: 24,
    cipher: 'des-ede3',
  },
  [OID.pbeSha1TripleDes2Key]: {
    name: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
    keyLength: 16,
    cipher: 'des-ede3',
  },
  [OID.pbeSha1Rc2_128]: {
    name: 'pbeWithSHAAnd128BitRC2-CBC',
    keyLength: 16,
    cipher: 'rc2',
    rc2Bits: 128,
  },
  [OID.pbeSha1Rc2_40]: {
    name: 'pbeWithSHAAnd40BitRC2-CBC',
    keyLength: 5,
    cipher: 'rc2',
    rc2Bits: 40,
  },
};

const KNOWN_UNSUPPORTED: Record<string, string> = {
  [OID.pbeSha1Rc4_128]: 'pbeWithSHAAnd128BitRC4',
  [OID.pbeSha1Rc4_40]: 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.2.8': 'HMAC-SHA-224',
};

function describe(oid: string): string {
  return KNOWN_UNSUPPORTED[oid] ?? 'an unknown algorithm';
}

/** pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } */
function pkcs12PbeParams(params: Node | undefined): {
  salt: Uint8Array;
  iterations: number;
} {
  const [salt, iterations] = sequence(params, 'PKCS#12 PBE parameters');
  return {
    salt: octets(salt, 'PBE salt'),
    iterations: smallInt(iterations, 'PBE iterations', MAX_ITERATIONS),
  };
}

function resolvePkcs12Pbe(
  pbe: Pkcs12Pbe,
  params: Node | undefined,
): DecryptionScheme {
  const { salt, iterations } = pkcs12PbeParams(params);
  return {
    name: pbe.name,
    async decrypt(password, data) {
      checkWholeBlocks(data, 8);
      const [key, iv] = await pkcs12PbeKeyIv(
        password.bmp,
        salt,
        iterations,
        pbe.keyLength,
      );
      return pbe.cipher === 'rc2'
        ? rc2CbcDecrypt(key, pbe.rc2Bits!, iv, data)
        : tripleDesCbcDecrypt(key, iv, data);
    },
  };
}

/** Key and IV of a PKCS#12 PBE scheme: the KDF with IDs 1 and 2, SHA-1. */
async function pkcs12PbeKeyIv(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyLength: number,
): Promise<[Uint8Array, Uint8Array]> {
  const common = { hash: 'SHA-1' as const, password, salt, iterations };
  const key = await pkcs12Kdf({ ...common, purpose: 'key', length: keyLength });
  const iv = await pkcs12Kdf({ ...common, purpose: 'iv', length: 8 });
  return [key, iv];
}

const PBKDF2_PRF: Record<string, KdfHash> = {
  [OID.hmacSha1]: 'SHA-1',
  [OID.hmacSha256]: 'SHA-256',
  [OID.hmacSha384]: 'SHA-384',
  [OID.hmacSha512]: 'SHA-512',
};

interface Pbkdf2 {
  salt: Uint8Array;
  iterations: number;
  keyLength: number | undefined;
  hash: KdfHash;
}

/**
 * PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, … },
 * iterationCount INTEGER, keyLength INTEGER OPTIONAL,
 * prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
 */
function pbkdf2Params(kdf: AlgorithmId): Pbkdf2 {
  if (kdf.oid !== OID.pbkdf2) {
    const name = describe(kdf.oid);
    throw unsupported(kdf.oid, `the key-derivation function ${name}`);
  }
  const fields = sequence(kdf.params, 'PBKDF2 parameters');
  const [salt, iterations, ...rest] = fields;
  if (!isOctetString(salt)) {
    // The "otherSource" choice: defined, never seen in a key file.
    throw unsupported(OID.pbkdf2, 'PBKDF2 with a non-literal salt');
  }
  let keyLength: number | undefined;
  let hash: KdfHash = 'SHA-1';
  for (const field of rest) {
    if (field.idBlock.tagNumber === 2 && !field.idBlock.isConstructed) {
      keyLength = smallInt(field, 'PBKDF2 key length', 64);
    } else {
      const prf = algorithmId(field, 'PBKDF2 PRF');
      const found = PBKDF2_PRF[prf.oid];
      if (!found) {
        throw unsupported(prf.oid, `the PBKDF2 PRF ${describe(prf.oid)}`);
      }
      hash = found;
    }
  }
  return {
    salt: octets(salt, 'PBKDF2 salt'),
    iterations: smallInt(iterations, 'PBKDF2 iterations', MAX_ITERATIONS),
    keyLength,
    hash,
  };
}

async function pbkdf2(
  password: Uint8Array,
  kdf: Pbkdf2,
  length: number,
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey(
    'raw',
    ownBytes(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await subtle.deriveBits(
    {
      name: 'PBKDF2',
      hash: kdf.hash,
      salt: ownBytes(kdf.salt),
      iterations: kdf.iterations,
    },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** The IV parameter of a CBC scheme: an OCTET STRING of `length` bytes. */
function ivParam(params: Node | undefined, length: number, what: string) {
  const iv = octets(params, `${what} IV`);
  if (iv.length !== length) throw corrupt(`${what} IV has the wrong length.`);
  return iv;
}

// RFC 8018 B.2.3: the RC2 "version" number encodes the effective key bits.
function rc2BitsFromVersion(version: number): number {
  const table: Record<number, number> = { 160: 40, 120: 64, 58: 128 };
  if (table[version] !== undefined) return table[version]!;
  if (version >= 256) return version;
  throw corrupt(`Unknown RC2 parameter version ${version}.`);
}

interface Pbes2Cipher {
  name: string;
  keyLength: number;
  decrypt(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

function pbes2Cipher(scheme: AlgorithmId, kdfKeyLength?: number): Pbes2Cipher {
  const aesBits: Record<string, number> = {
    [OID.aes128Cbc]: 128,
    [OID.aes192Cbc]: 192,
    [OID.aes256Cbc]: 256,
  };
  const bits = aesBits[scheme.oid];
  if (bits) {
    const iv = ivParam(scheme.params, 16, 'AES-CBC');
    return {
      name: `AES-${bits}-CBC`,
      keyLength: bits / 8,
      decrypt: (key, data) => aesCbcDecrypt(scheme.oid, key, iv, data),
    };
  }
  if (scheme.oid === OID.desEde3Cbc || scheme.oid === OID.desCbc) {
    const triple = scheme.oid === OID.desEde3Cbc;
    const iv = ivParam(scheme.params, 8, 'DES-CBC');
    return {
      name: triple ? 'DES-EDE3-CBC' : 'DES-CBC',
      keyLength: triple ? 24 : 8,
      decrypt: async (key, data) => {
        checkWholeBlocks(data, 8);
        return triple
          ? tripleDesCbcDecrypt(key, iv, data)
          : desCbcDecrypt(key, iv, data);
      },
    };
  }
  if (scheme.oid === OID.rc2Cbc) {
    // RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER
    // OPTIONAL, iv OCTET STRING }; no version means 32 effective bits.
    const fields = sequence(scheme.params, 'RC2-CBC parameters');
    const ivNode = fields[fields.length - 1];
    const effectiveBits =
      fields.length === 2
        ? rc2BitsFromVersion(smallInt(fields[0], 'RC2 version'))
        : 32;
    const iv = ivParam(ivNode, 8, 'RC2-CBC');
    return {
      name: `RC2-CBC-${effectiveBits}`,
      // OpenSSL always states the key length for RC2; 16 is its default.
      keyLength: kdfKeyLength ?? 16,
      decrypt: async (key, data) => {
        checkWholeBlocks(data, 8);
        return rc2CbcDecrypt(key, effectiveBits, iv, data);
      },
    };
  }
  throw unsupported(scheme.oid, `the cipher ${describe(scheme.oid)}`);
}

async function aesCbcDecrypt(
  oid: string,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  checkWholeBlocks(data, 16);
  const subtle = globalThis.crypto.subtle;
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await subtle.importKey('raw', ownBytes(key), 'AES-CBC', false, [
      'decrypt',
    ]);
  } catch {
    // Chromium refuses 192-bit AES keys; say so rather than blame the
    // password.
    throw new KeyFileError(
      'UNSUPPORTED_ALGORITHM',
      `This browser cannot use AES with a ${key.length * 8}-bit key.`,
      oid,
    );
  }
  try {
    const plain = await subtle.decrypt(
      { name: 'AES-CBC', iv: ownBytes(iv) },
      cryptoKey,
      ownBytes(data),
    );
    return new Uint8Array(plain);
  } catch {
    // WebCrypto checks the padding itself and reports only "failed".
    throw new PaddingError('AES-CBC padding check failed');
  }
}

/**
 * PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier,
 * encryptionScheme AlgorithmIdentifier }
 */
function resolvePbes2(params: Node | undefined): DecryptionScheme {
  const [kdfNode, schemeNode] = sequence(params, 'PBES2 parameters');
  const kdf = pbkdf2Params(algorithmId(kdfNode, 'PBES2 key derivation'));
  const cipher = pbes2Cipher(
    algorithmId(schemeNode, 'PBES2 encryption scheme'),
    kdf.keyLength,
  );
  if (kdf.keyLength !== undefined && kdf.keyLength !== cipher.keyLength) {
    throw corrupt('PBKDF2 key length does not fit the cipher.');
  }
  return {
    name: `PBES2/PBKDF2-${kdf.hash}/${cipher.name}`,
    async decrypt(password, data) {
      const key = await pbkdf2(password.utf8, kdf, cipher.keyLength);
      return cipher.decrypt(key, data);
    },
  };
}

/**
 * Turns an encryption AlgorithmIdentifier into a scheme, or throws
 * UNSUPPORTED_ALGORITHM (OID in `detail`) or CORRUPT_FILE. Nothing is
 * decrypted here.
 */
export function resolveScheme(algorithm: AlgorithmId): DecryptionScheme {
  const pbe = PKCS12_PBE[algorithm.oid];
  if (pbe) return resolvePkcs12Pbe(pbe, algorithm.params);
  if (algorithm.oid === OID.pbes2) return resolvePbes2(algorithm.params);
  throw unsupported(algorithm.oid, describe(algorithm.oid));
}

/** Whether the parameters are absent or NULL, as for a digest. */
export function noParams(params: Node | undefined): boolean {
  return params === undefined || isNull(params);
}

/**
 * Encrypts with a PKCS#12 PBE scheme, for the writer. Only the two that
 * NCA's files use are offered.
 */
export async function pkcs12PbeEncrypt(
  oid: typeof OID.pbeSha1TripleDes3Key | typeof OID.pbeSha1Rc2_40,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  data: Uint8Array,
): Promise<Uint8Array> {
  const pbe = PKCS12_PBE[oid]!;
  const [key, iv] = await pkcs12PbeKeyIv(
    password,
    salt,
    iterations,
    pbe.keyLength,
  );
  return pbe.cipher === 'rc2'
    ? rc2CbcEncrypt(key, pbe.rc2Bits!, iv, data)
    : tripleDesCbcEncrypt(key, iv, data);
}
