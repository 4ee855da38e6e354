/**
 * DES and Triple DES (FIPS 46-3, NIST SP 800-67) in CBC mode.
 *
 * NCA's key files protect the private key with pbeWithSHAAnd3-KeyTripleDES-
 * CBC, and WebCrypto has no DES at all, so the key-file reader carries its
 * own. It is written for clarity over speed: a key file holds a few hundred
 * blocks. Not constant-time (table lookups); it only ever decrypts the
 * user's own file on the user's own machine.
 */
import { PaddingError, padPkcs7, unpadPkcs7 } from './bytes.js';

export const DES_BLOCK_SIZE = 8;

/** Options shared by the CBC functions. */
export interface CbcOptions {
  /** PKCS#5 padding on encrypt, checked and removed on decrypt. Default on. */
  padding?: boolean;
}

// The standard's tables, bit positions counted from 1 at the most
// significant bit, exactly as printed in FIPS 46-3.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];

const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];

const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

// S-boxes, each 4 rows of 16 as in the standard.
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
    0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
    15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
    3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
    13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
    13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
    1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
    13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
    3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
    14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
    11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
    10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
    4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
    13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
    6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
    1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
    2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

/** Bit `pos` (1 = most significant) of a 32-bit word. */
function bit32(word: number, pos: number): number {
  return (word >>> (32 - pos)) & 1;
}

/** Bit `pos` (1..64) of a 64-bit value held as two 32-bit words. */
function bit64(hi: number, lo: number, pos: number): number {
  return pos <= 32 ? bit32(hi, pos) : bit32(lo, pos - 32);
}

/** Applies a 64-to-64 bit permutation table to (hi, lo). */
function permute64(hi: number, lo: number, table: number[]): [number, number] {
  let outHi = 0;
  let outLo = 0;
  for (let i = 0; i < 32; i++) {
    outHi = (outHi << 1) | bit64(hi, lo, table[i]!);
    outLo = (outLo << 1) | bit64(hi, lo, table[i + 32]!);
  }
  return [outHi >>> 0, outLo >>> 0];
}

// The final permutation is the inverse of IP; derive it rather than type
// a second table that could disagree.
const FP: number[] = new Array<number>(64);
IP.forEach((from, i) => {
  FP[from - 1] = i + 1;
});

/**
 * S-box output already passed through P, one table per S-box, indexed by
 * the six input bits. Precomputing this turns each round into eight
 * lookups.
 */
const SP: Uint32Array[] = S.map((box, i) => {
  const table = new Uint32Array(64);
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 0xf;
    const sOut = box[row * 16 + col]! << (28 - 4 * i);
    let out = 0;
    for (let j = 0; j < 32; j++) out = (out << 1) | bit32(sOut, P[j]!);
    table[v] = out >>> 0;
  }
  return table;
});

function rotl32(word: number, count: number): number {
  return ((word << count) | (word >>> (32 - count))) >>> 0;
}

/** The round function f(R, K) with K as eight 6-bit pieces. */
function feistel(r: number, subkey: Uint8Array): number {
  let out = 0;
  // Expansion E picks, for S-box i, the six bits starting one to the left
  // of bit 4i (wrapping round); a rotation brings them to the bottom.
  for (let i = 0; i < 8; i++) {
    out |= SP[i]![(rotl32(r, 4 * i + 5) & 0x3f) ^ subkey[i]!]!;
  }
  return out >>> 0;
}

/** The 16 round keys of one DES key, each as eight 6-bit values. */
function keySchedule(key: Uint8Array): Uint8Array[] {
  const hi = readU32(key, 0);
  const lo = readU32(key, 4);
  const cd: number[] = PC1.map((pos) => bit64(hi, lo, pos));
  let c = cd.slice(0, 28);
  let d = cd.slice(28);
  const subkeys: Uint8Array[] = [];
  for (const shift of SHIFTS) {
    c = c.slice(shift).concat(c.slice(0, shift));
    d = d.slice(shift).concat(d.slice(0, shift));
    const joined = c.concat(d);
    const subkey = new Uint8Array(8);
    for (let i = 0; i < 48; i++) {
      const piece = Math.floor(i / 6);
      subkey[piece] = (subkey[piece]! << 1) | joined[PC2[i]! - 1]!;
    }
    subkeys.push(subkey);
  }
  return subkeys;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

function writeU32(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word >>> 24;
  bytes[offset + 1] = (word >>> 16) & 0xff;
  bytes[offset + 2] = (word >>> 8) & 0xff;
  bytes[offset + 3] = word & 0xff;
}

/** One DES pass over a block held as two words; subkeys set direction. */
function desRounds(
  hi: number,
  lo: number,
  subkeys: Uint8Array[],
  decrypt: boolean,
): [number, number] {
  let [l, r] = permute64(hi, lo, IP);
  for (let round = 0; round < 16; round++) {
    const k = subkeys[decrypt ? 15 - round : round]!;
    const next = (l ^ feistel(r, k)) >>> 0;
    l = r;
    r = next;
  }
  // The halves swap once more before the final permutation.
  return permute64(r, l, FP);
}

/**
 * A block cipher as the CBC helper sees it: an in-place transform of
 * one 8-byte block held as two big-endian words.
 */
type BlockFn = (hi: number, lo: number) => [number, number];

function checkKey(key: Uint8Array, sizes: number[], name: string): void {
  if (!sizes.includes(key.length)) {
    throw new RangeError(
      `${name} key must be ${sizes.join(' or ')} bytes, got ${key.length}`,
    );
  }
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== DES_BLOCK_SIZE) {
    throw new RangeError(`DES IV must be 8 bytes, got ${iv.length}`);
  }
}

function desFns(key: Uint8Array): { enc: BlockFn; dec: BlockFn } {
  const ks = keySchedule(key);
  return {
    enc: (hi, lo) => desRounds(hi, lo, ks, false),
    dec: (hi, lo) => desRounds(hi, lo, ks, true),
  };
}

/** EDE with K1, K2, K3; a 16-byte key means K3 = K1 (two-key 3DES). */
function tripleDesFns(key: Uint8Array): { enc: BlockFn; dec: BlockFn } {
  const k1 = keySchedule(key.subarray(0, 8));
  const k2 = keySchedule(key.subarray(8, 16));
  const k3 = key.length === 24 ? keySchedule(key.subarray(16, 24)) : k1;
  return {
    enc: (hi, lo) => {
      [hi, lo] = desRounds(hi, lo, k1, false);
      [hi, lo] = desRounds(hi, lo, k2, true);
      return desRounds(hi, lo, k3, false);
    },
    dec: (hi, lo) => {
      [hi, lo] = desRounds(hi, lo, k3, true);
      [hi, lo] = desRounds(hi, lo, k2, false);
      return desRounds(hi, lo, k1, true);
    },
  };
}

function cbcEncrypt(
  block: BlockFn,
  iv: Uint8Array,
  data: Uint8Array,
  padding: boolean,
): Uint8Array {
  const input = padding ? padPkcs7(data, DES_BLOCK_SIZE) : data;
  if (input.length % DES_BLOCK_SIZE !== 0) {
    throw new RangeError('Unpadded CBC input must be whole 8-byte blocks');
  }
  const out = new Uint8Array(input.length);
  let prevHi = readU32(iv, 0);
  let prevLo = readU32(iv, 4);
  for (let off = 0; off < input.length; off += DES_BLOCK_SIZE) {
    [prevHi, prevLo] = block(
      (readU32(input, off) ^ prevHi) >>> 0,
      (readU32(input, off + 4) ^ prevLo) >>> 0,
    );
    writeU32(out, off, prevHi);
    writeU32(out, off + 4, prevLo);
  }
  return out;
}

function cbcDecrypt(
  block: BlockFn,
  iv: Uint8Array,
  data: Uint8Array,
  padding: boolean,
): Uint8Array {
  if (data.length % DES_BLOCK_SIZE !== 0) {
    // A wrong length is damage, not a wrong key, but the caller decides
    // how to report it; PaddingError keeps that decision in one place.
    throw new PaddingError('Ciphertext is not whole 8-byte blocks');
  }
  const out = new Uint8Array(data.length);
  let prevHi = readU32(iv, 0);
  let prevLo = readU32(iv, 4);
  for (let off = 0; off < data.length; off += DES_BLOCK_SIZE) {
    const hi = readU32(data, off);
    const lo = readU32(data, off + 4);
    const [pHi, pLo] = block(hi, lo);
    writeU32(out, off, (pHi ^ prevHi) >>> 0);
    writeU32(out, off + 4, (pLo ^ prevLo) >>> 0);
    prevHi = hi;
    prevLo = lo;
  }
  return padding ? unpadPkcs7(out, DES_BLOCK_SIZE) : out;
}

/** Single DES in CBC mode (8-byte key; parity bits are ignored). */
export function desCbcEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkKey(key, [8], 'DES');
  checkIv(iv);
  return cbcEncrypt(desFns(key).enc, iv, data, options.padding ?? true);
}

/** Throws PaddingError when the padding does not check out. */
export function desCbcDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkKey(key, [8], 'DES');
  checkIv(iv);
  return cbcDecrypt(desFns(key).dec, iv, data, options.padding ?? true);
}

/** Triple DES (EDE) in CBC mode; 24-byte key, or 16 for two-key 3DES. */
export function tripleDesCbcEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkKey(key, [16, 24], 'Triple DES');
  checkIv(iv);
  return cbcEncrypt(tripleDesFns(key).enc, iv, data, options.padding ?? true);
}

/** Throws PaddingError when the padding does not check out. */
export function tripleDesCbcDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: CbcOptions = {},
): Uint8Array {
  checkKey(key, [16, 24], 'Triple DES');
  checkIv(iv);
  return cbcDecrypt(tripleDesFns(key).dec, iv, data, options.padding ?? true);
}
