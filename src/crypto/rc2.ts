/**
 * RC2 (RFC 2268) in CBC mode, with the "effective key bits" parameter.
 *
 * NCA's key files (and OpenSSL's -legacy output) encrypt the certificate
 * bag with pbeWithSHAAnd40BitRC2-CBC: a 5-byte key with 40 effective bits.
 * The cipher is weak by today's measure; it is here only so that such files
 * can be read, and written in the form NCA's own tools expect.
 */
import { PaddingError, padPkcs7, unpadPkcs7 } from './bytes.js';
import type { CbcOptions } from './des.js';

export const RC2_BLOCK_SIZE = 8;

// PITABLE from RFC 2268 section 2: a permutation of 0..255 derived from
// the digits of pi.
const PITABLE = new Uint8Array([
  0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed,
  0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
  0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e,
  0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
  0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13,
  0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
  0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b,
  0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
  0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c,
  0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
  0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1,
  0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
  0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57,
  0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
  0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7,
  0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
  0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7,
  0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
  0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74,
  0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
  0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc,
  0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
  0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a,
  0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
  0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae,
  0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
  0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c,
  0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
  0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0,
  0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
  0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77,
  0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
]);

// Rotation amounts of the four "mix up" steps.
const ROT = [1, 2, 3, 5];

/**
 * Key expansion (RFC 2268 section 2): 64 16-bit subkeys. The effective key
 * bits limit the search space independently of the key's length; RC2-40
 * keys are 5 bytes with 40 effective bits.
 */
export function rc2ExpandKey(
  key: Uint8Array,
  effectiveBits: number,
): Uint16Array {
  if (key.length < 1 || key.length > 128) {
    throw new RangeError(`RC2 key must be 1 to 128 bytes, got ${key.length}`);
  }
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1) {
    throw new RangeError(`Bad RC2 effective key bits: ${effectiveBits}`);
  }
  const bits = Math.min(effectiveBits, 1024);
  const l = new Uint8Array(128);
  l.set(key);
  const t = key.length;
  for (let i = t; i < 128; i++) {
    l[i] = PITABLE[(l[i - 1]! + l[i - t]!) & 0xff]!;
  }
  const t8 = Math.ceil(bits / 8);
  const tm = 0xff >> (8 * t8 - bits);
  l[128 - t8] = PITABLE[l[128 - t8]! & tm]!;
  for (let i = 127 - t8; i >= 0; i--) {
    l[i] = PITABLE[l[i + 1]! ^ l[i + t8]!]!;
  }
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i]! | (l[2 * i + 1]! << 8);
  return k;
}

/** Encrypts one block (four little-endian 16-bit words) in place. */
function encryptWords(r: Uint16Array, k: Uint16Array): void {
  let j = 0;
  const mix = (): void => {
    for (let i = 0; i < 4; i++) {
      const a = r[(i + 3) & 3]!;
      const b = r[(i + 2) & 3]!;
      const c = r[(i + 1) & 3]!;
      let v = (r[i]! + k[j++]! + (a & b) + (~a & c)) & 0xffff;
      v = ((v << ROT[i]!) | (v >> (16 - ROT[i]!))) & 0xffff;
      r[i] = v;
    }
  };
  const mash = (): void => {
    for (let i = 0; i < 4; i++) {
      r[i] = (r[i]! + k[r[(i + 3) & 3]! & 63]!) & 0xffff;
    }
  };
  for (let n = 0; n < 5; n++) mix();
  mash();
  for (let n = 0; n < 6; n++) mix();
  mash();
  for (let n = 0; n < 5; n++) mix();
}

/** Decrypts one block in place: the steps of encryptWords reversed. */
function decryptWords(r: Uint16Array, k: Uint16Array): void {
  let j = 63;
  const rmix = (): void => {
    for (let i = 3; i >= 0; i--) {
      let v = r[i]!;
      v = ((v >> ROT[i]!) | (v << (16 - ROT[i]!))) & 0xffff;
      const a = r[(i + 3) & 3]!;
      const b = r[(i + 2) & 3]!;
      const c = r[(i + 1) & 3]!;
      r[i] = (v - k[j--]! - (a & b) - (~a & c)) & 0xffff;
    }
  };
  const rmash = (): void => {
    for (let i = 3; i >= 0; i--) {
      r[i] = (r[i]! - k[r[(i + 3) & 3]! & 63]!) & 0xffff;
    }
  };
  for (let n = 0; n < 5; n++) rmix();
  rmash();
  for (let n = 0; n < 6; n++) rmix();
  rmash();
  for (let n = 0; n < 5; n++) rmix();
}

function loadWords(r: Uint16Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 4; i++) {
    r[i] = bytes[offset + 2 * i]! | (bytes[offset + 2 * i + 1]! << 8);
  }
}

function storeWords(r: Uint16Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 4; i++) {
    bytes[offset + 2 * i] = r[i]! & 0xff;
    bytes[offset + 2 * i + 1] = r[i]! >> 8;
  }
}

/** RC2 on a single 8-byte block, no chaining: for known-answer tests. */
export function rc2EncryptBlock(
  key: Uint8Array,
  effectiveBits: number,
  block: Uint8Array,
): Uint8Array {
  if (block.length !== RC2_BLOCK_SIZE) {
    throw new RangeError('RC2 block must be 8 bytes');
  }
  const r = new Uint16Array(4);
  loadWords(r, block, 0);
  encryptWords(r, rc2ExpandKey(key, effectiveBits));
  const out = new Uint8Array(RC2_BLOCK_SIZE);
  storeWords(r, out, 0);
  return out;
}

/** Inverse of rc2EncryptBlock. */
export function rc2DecryptBlock(
  key: Uint8Array,
  effectiveBits: number,
  block: Uint8Array,
): Uint8Array {
  if (block.length !== RC2_BLOCK_SIZE) {
    throw new RangeError('RC2 block must be 8 bytes');
  }
  const r = new Uint16Array(4);
  loadWords(r, block, 0);
  decryptWords(r, rc2ExpandKey(key, effectiveBits));
  const out = new Uint8Array(RC2_BLOCK_SIZE);
  storeWords(r, out, 0);
  return out;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== RC2_BLOCK_SIZE) {
    throw new RangeError(`RC2 IV must be 8 bytes, got ${iv.length}`);
  }
}

/** RC2-CBC encryption, PKCS#5 padded unless `padding: false`. */
export function rc2CbcEncrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkIv(iv);
  const k = rc2ExpandKey(key, effectiveBits);
  const input =
    (options.padding ?? true) ? padPkcs7(data, RC2_BLOCK_SIZE) : data;
  if (input.length % RC2_BLOCK_SIZE !== 0) {
    throw new RangeError('Unpadded CBC input must be whole 8-byte blocks');
  }
  const out = new Uint8Array(input.length);
  const r = new Uint16Array(4);
  // A copy, not iv.slice(): on a Node Buffer slice() shares memory, and
  // this loop writes into prev.
  const prev = new Uint8Array(iv);
  for (let off = 0; off < input.length; off += RC2_BLOCK_SIZE) {
    for (let i = 0; i < RC2_BLOCK_SIZE; i++) prev[i]! ^= input[off + i]!;
    loadWords(r, prev, 0);
    encryptWords(r, k);
    storeWords(r, prev, 0);
    out.set(prev, off);
  }
  return out;
}

/**
 * RC2-CBC decryption. With padding on (the default) it throws PaddingError
 * when the padding does not check out, which for a file without a MAC is
 * the usual sign of a wrong password.
 */
export function rc2CbcDecrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkIv(iv);
  if (data.length % RC2_BLOCK_SIZE !== 0) {
    throw new PaddingError('Ciphertext is not whole 8-byte blocks');
  }
  const k = rc2ExpandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  const r = new Uint16Array(4);
  let prev = iv;
  for (let off = 0; off < data.length; off += RC2_BLOCK_SIZE) {
    loadWords(r, data, off);
    decryptWords(r, k);
    storeWords(r, out, off);
    for (let i = 0; i < RC2_BLOCK_SIZE; i++) out[off + i]! ^= prev[i]!;
    prev = data.subarray(off, off + RC2_BLOCK_SIZE);
  }
  return (options.padding ?? true) ? unpadPkcs7(out, RC2_BLOCK_SIZE) : out;
}
