/**
 * Base64, PEM and hex helpers that run the same in the browser and in Node
 * (no Buffer, no atob: atob's leniency differs between engines, and a
 * verifier must say exactly which input it refuses).
 */

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[n >> 18]! +
      ALPHABET[(n >> 12) & 63]! +
      ALPHABET[(n >> 6) & 63]! +
      ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
    out += rest === 2 ? ALPHABET[(n >> 6) & 63]! + '=' : '==';
  }
  return out;
}

/**
 * Decodes standard base64. Whitespace and line breaks anywhere are ignored
 * (NCALayer and mail clients wrap lines); padding may be left off. Returns
 * null for anything else, base64url's '-' and '_' included, so the caller
 * can report its own error.
 */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\s]+/g, '');
  const body = clean.replace(/={1,2}$/, '');
  if (body.length % 4 === 1) return null;
  if (clean.length !== body.length && clean.length % 4 !== 0) return null;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const digit = code < 128 ? DECODE[code]! : -1;
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * The label and bytes of the first PEM block in the text, or null when there
 * is no well-formed block (labels differ, bad base64). Linear in the text:
 * a lazy regular expression from every "-----BEGIN" to an "-----END" took
 * seconds on repeated BEGIN lines, on a verifier's only thread.
 */
export function fromPem(
  text: string,
): { label: string; bytes: Uint8Array } | null {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!begin) return null;
  const from = begin.index + begin[0].length;
  const endAt = text.indexOf('-----END ', from);
  if (endAt < 0) return null;
  const end = /^-----END ([A-Z0-9 ]+)-----/.exec(text.slice(endAt, endAt + 80));
  if (!end || end[1] !== begin[1]) return null;
  // RFC 7468 allows header lines before the base64 in old-style PEM; NCA
  // and OpenSSL never write them for certificates or CMS, so refuse them.
  const bytes = fromBase64(text.slice(from, endAt));
  return bytes ? { label: begin[1]!, bytes } : null;
}

/** PEM armour with 64-column lines, as OpenSSL writes it. */
export function toPem(label: string, bytes: Uint8Array): string {
  const lines = toBase64(bytes).match(/.{1,64}/g) ?? [];
  const body = lines.join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * A certificate as DER, whether given as DER or as PEM text (NCA publishes
 * some CA certificates one way and some the other).
 */
export function certificateBytes(input: Uint8Array): Uint8Array {
  // DER certificates start with SEQUENCE (0x30); PEM starts with '-' or
  // whitespace.
  if (input[0] === 0x30) return input;
  const pem = fromPem(new TextDecoder().decode(input));
  return pem ? pem.bytes : input;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The same bytes typed for WebCrypto, which refuses views that might sit
 * on a SharedArrayBuffer. Copies only when the view does.
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : bytes.slice();
}
