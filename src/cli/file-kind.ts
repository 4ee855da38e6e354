/**
 * What a file that is not the expected kind most likely is, so that the
 * CLI can say "this is a key file, use inspect" instead of a parser's
 * reason. A guess from the first bytes of the DER structure, used only to
 * word an error: never to accept anything.
 */
export type FileKind = 'key-file' | 'certificate' | 'signature' | 'unknown';

const PKCS7_DATA = [
  0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
];
const PKCS7_SIGNED_DATA = [
  0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];

/** The DER bytes of a file given as DER, PEM or base64, or null. */
export function derOf(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder().decode(bytes.subarray(0, 1 << 20));
  const base64 = text
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const der = new Uint8Array(Buffer.from(base64, 'base64'));
  return der[0] === 0x30 ? der : null;
}

/** Where the content of the DER element at `at` starts, or -1. */
function contentStart(der: Uint8Array, at: number): number {
  const length = der[at + 1];
  if (length === undefined) return -1;
  if (length < 0x80) return at + 2;
  const octets = length & 0x7f;
  return octets > 0 && octets <= 4 ? at + 2 + octets : -1;
}

function startsWith(der: Uint8Array, at: number, prefix: number[]): boolean {
  return prefix.every((byte, i) => der[at + i] === byte);
}

/** A guess at what `bytes` (DER, PEM or base64) holds. */
export function guessFileKind(bytes: Uint8Array): FileKind {
  const der = derOf(bytes);
  if (!der) return 'unknown';
  const inner = contentStart(der, 0);
  if (inner < 0) return 'unknown';
  // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data) }
  if (startsWith(der, inner, [0x02, 0x01, 0x03, 0x30])) {
    const authSafe = contentStart(der, inner + 3);
    if (authSafe > 0 && startsWith(der, authSafe, PKCS7_DATA)) {
      return 'key-file';
    }
  }
  // ContentInfo ::= SEQUENCE { contentType signedData, [0] content }
  if (startsWith(der, inner, PKCS7_SIGNED_DATA)) return 'signature';
  // Certificate ::= SEQUENCE { tbs SEQUENCE { [0] { INTEGER 2 }, … } … }
  if (der[inner] === 0x30) {
    const tbs = contentStart(der, inner);
    if (tbs > 0 && startsWith(der, tbs, [0xa0, 0x03, 0x02, 0x01, 0x02])) {
      return 'certificate';
    }
  }
  return 'unknown';
}
