/**
 * The PKCS#12 key-derivation function (RFC 7292 appendix B.2).
 *
 * It turns a password into the keys and IVs of the PKCS#12 PBE ciphers
 * (pbeWithSHAAnd3-KeyTripleDES-CBC, pbeWithSHAAnd40BitRC2-CBC, …) and into
 * the HMAC key of the MAC over the whole file. WebCrypto does not offer it.
 */
import { concatBytes } from './bytes.js';
import { SHA1, SHA256, type SyncHash } from './pkcs12-sha.js';

/** What the derived bytes are for: the ID byte of RFC 7292 B.3. */
export const KDF_PURPOSE = {
  key: 1,
  iv: 2,
  mac: 3,
} as const;

export type KdfPurpose = keyof typeof KDF_PURPOSE;

/** WebCrypto names of the hashes this KDF accepts. */
export type KdfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface Pkcs12KdfParams {
  hash: KdfHash;
  /** The password already encoded: see `bmpPassword` in bytes.ts. */
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  purpose: KdfPurpose;
  /** How many bytes to derive. */
  length: number;
}

interface HashInfo {
  outputLength: number;
  blockLength: number;
  /** Hashes `data`, then the result again, `count` times in all. */
  iterate(data: Uint8Array, count: number): Promise<Uint8Array>;
}

function syncInfo(hash: SyncHash): HashInfo {
  return {
    outputLength: hash.outputLength,
    blockLength: hash.blockLength,
    iterate: async (data, count) => {
      let out = data;
      for (let i = 0; i < count; i++) out = hash.digest(out);
      return out;
    },
  };
}

// SHA-384 and SHA-512 are rare in PKCS#12 files and need 64-bit
// arithmetic to do by hand, so they go through WebCrypto, slowly.
function webCryptoInfo(name: 'SHA-384' | 'SHA-512'): HashInfo {
  return {
    outputLength: name === 'SHA-384' ? 48 : 64,
    blockLength: 128,
    iterate: async (data, count) => {
      let out: Uint8Array<ArrayBuffer> = new Uint8Array(data);
      for (let i = 0; i < count; i++) {
        out = new Uint8Array(await globalThis.crypto.subtle.digest(name, out));
      }
      return out;
    },
  };
}

function hashInfo(hash: KdfHash): HashInfo {
  switch (hash) {
    case 'SHA-1':
      return syncInfo(SHA1);
    case 'SHA-256':
      return syncInfo(SHA256);
    case 'SHA-384':
    case 'SHA-512':
      return webCryptoInfo(hash);
  }
}

/** `source` repeated to fill a multiple of `v` bytes (empty stays empty). */
function stretch(source: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(source.length / v) * v);
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
  return out;
}

/** Derives `length` bytes as RFC 7292 B.2 describes. */
export async function pkcs12Kdf(params: Pkcs12KdfParams): Promise<Uint8Array> {
  const { password, salt, iterations, length } = params;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`Bad iteration count: ${iterations}`);
  }
  const info = hashInfo(params.hash);
  const u = info.outputLength;
  const v = info.blockLength;
  const d = new Uint8Array(v).fill(KDF_PURPOSE[params.purpose]);
  // I = S || P, each stretched to whole v-byte blocks.
  const i = concatBytes(stretch(salt, v), stretch(password, v));
  const out = new Uint8Array(length);
  for (let done = 0; done < length; done += u) {
    const a = await info.iterate(concatBytes(d, i), iterations);
    out.set(a.subarray(0, Math.min(u, length - done)), done);
    if (done + u >= length) break;
    // Each v-byte block of I becomes (I_j + B + 1) mod 2^(8v), where B is
    // A repeated to v bytes: a big-endian add with carry.
    const b = stretch(a, v).subarray(0, v);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out;
}
