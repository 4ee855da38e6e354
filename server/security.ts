/**
 * Random tokens and their hashes. Cookies carry tokens; the store keeps only
 * SHA-256 of them, so a copy of the database cannot be replayed as cookies.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` bytes from the CSPRNG, base64url without padding. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A token as this server makes them: base64url, 16 to 64 bytes. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{22,86}$/.test(value);
}
