/**
 * Small byte helpers shared by the key-file code. Plain Uint8Array only, so
 * the same code runs in the browser and in Node.
 */

/** Joins byte arrays into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, so
 * a MAC check does not reveal how many leading bytes matched.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lowercase hex, two digits a byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Parses hex (either case, no separators); throws on bad input. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) {
    throw new TypeError('Not a hex string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * A password as the PKCS#12 key-derivation function takes it (RFC 7292
 * B.1): a BMPString, i.e. UTF-16 big-endian, with two zero bytes at the
 * end. JavaScript strings are already UTF-16, so letters outside the
 * basic plane become surrogate pairs, which is what OpenSSL writes too.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

/**
 * Copies bytes into a fresh ArrayBuffer-backed array. WebCrypto's types
 * want `Uint8Array<ArrayBuffer>`, and a view may sit on a shared buffer.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

/** Thrown when CBC padding does not check out after decryption. */
export class PaddingError extends Error {
  override name = 'PaddingError';
}

/** Adds PKCS#5/#7 padding: 1 to blockSize bytes, each holding the count. */
export function padPkcs7(data: Uint8Array, blockSize: number): Uint8Array {
  const count = blockSize - (data.length % blockSize);
  const out = new Uint8Array(data.length + count);
  out.set(data);
  out.fill(count, data.length);
  return out;
}

/**
 * Removes PKCS#5/#7 padding. With a wrong key the last block is noise, so
 * this is where most wrong passwords show up when a file has no MAC.
 */
export function unpadPkcs7(data: Uint8Array, blockSize: number): Uint8Array {
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new PaddingError('Data is not a whole number of blocks');
  }
  const count = data[data.length - 1]!;
  if (count === 0 || count > blockSize) {
    throw new PaddingError('Bad padding length');
  }
  for (let i = data.length - count; i < data.length; i++) {
    if (data[i] !== count) throw new PaddingError('Bad padding bytes');
  }
  return data.subarray(0, data.length - count);
}
