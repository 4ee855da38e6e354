/**
 * Reading helpers over asn1js for the key-file code. Every helper names
 * what it expected, and any mismatch becomes a KeyFileError, so that a
 * damaged file never escapes as an untyped exception.
 */
import * as asn1js from 'asn1js';
import { concatBytes } from './bytes.js';
import { KeyFileError, type KeyFileErrorCode } from './types.js';

export type Node = asn1js.AsnType;

const UNIVERSAL = 1;
const CONTEXT = 3;

// Bounds for untrusted input: real key files are a few kilobytes with a
// nesting depth under 15.
const PARSE_LIMITS = { maxDepth: 40, maxNodes: 20000 };

/**
 * Parses one BER value that must fill `bytes` (trailing zero bytes are
 * tolerated: some writers pad files). Failure becomes `code` (CORRUPT_FILE
 * unless the caller knows better, e.g. WRONG_PASSWORD after decryption).
 */
export function parseBer(
  bytes: Uint8Array,
  what: string,
  code: KeyFileErrorCode = 'CORRUPT_FILE',
): Node {
  let parsed: asn1js.FromBerResult;
  try {
    // parseEmbedded off: asn1js would otherwise try to parse the inside of
    // every OCTET STRING as ASN.1, which wastes time on ciphertext.
    parsed = asn1js.fromBER(bytes, { ...PARSE_LIMITS, parseEmbedded: false });
  } catch {
    throw new KeyFileError(code, `${what} is not valid ASN.1.`);
  }
  if (parsed.offset === -1 || parsed.result.error) {
    throw new KeyFileError(code, `${what} is not valid ASN.1.`);
  }
  for (let i = parsed.offset; i < bytes.length; i++) {
    if (bytes[i] !== 0) {
      throw new KeyFileError(code, `${what} has unexpected trailing bytes.`);
    }
  }
  return parsed.result;
}

/** The encoded length of a parsed value, header included. */
export function encodedLength(node: Node): number {
  return node.blockLength;
}

export function corrupt(message: string): KeyFileError {
  return new KeyFileError('CORRUPT_FILE', message);
}

function isTag(node: Node, tagClass: number, tagNumber: number): boolean {
  return (
    node.idBlock.tagClass === tagClass && node.idBlock.tagNumber === tagNumber
  );
}

/** The elements of a SEQUENCE or SET, without BER end-of-content markers. */
function elements(node: Node): Node[] {
  const value = (node.valueBlock as { value?: unknown }).value;
  if (!Array.isArray(value)) return [];
  return (value as Node[]).filter((n) => !(n instanceof asn1js.EndOfContent));
}

/** The elements of a SEQUENCE; throws CORRUPT_FILE on anything else. */
export function sequence(node: Node | undefined, what: string): Node[] {
  if (!node || !isTag(node, UNIVERSAL, 16) || !node.idBlock.isConstructed) {
    throw corrupt(`${what}: expected a SEQUENCE.`);
  }
  return elements(node);
}

/** The elements of a SET; throws CORRUPT_FILE on anything else. */
export function set(node: Node | undefined, what: string): Node[] {
  if (!node || !isTag(node, UNIVERSAL, 17) || !node.idBlock.isConstructed) {
    throw corrupt(`${what}: expected a SET.`);
  }
  return elements(node);
}

/** Dotted OID text. */
export function oid(node: Node | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) {
    throw corrupt(`${what}: expected an OBJECT IDENTIFIER.`);
  }
  return node.valueBlock.toString();
}

/**
 * A small non-negative INTEGER (version, iteration count). Anything over
 * `max` is refused: a huge iteration count in a hostile file would
 * otherwise freeze the page.
 */
export function smallInt(
  node: Node | undefined,
  what: string,
  max = 0x7fffffff,
): number {
  if (!(node instanceof asn1js.Integer)) {
    throw corrupt(`${what}: expected an INTEGER.`);
  }
  const value = node.toBigInt();
  if (value < 0n || value > BigInt(max)) {
    throw corrupt(`${what}: value ${value} is out of range.`);
  }
  return Number(value);
}

/** The magnitude of an INTEGER as bytes, without leading zero bytes. */
export function integerBytes(node: Node | undefined, what: string): Uint8Array {
  if (!(node instanceof asn1js.Integer)) {
    throw corrupt(`${what}: expected an INTEGER.`);
  }
  const bytes = node.valueBlock.valueHexView;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.slice(start);
}

/**
 * The content of an OCTET STRING, or of an IMPLICIT-tagged one when
 * `tagNumber` is given. BER lets a writer split it into a constructed
 * string of pieces (NCA does, for the encrypted certificates); the pieces
 * are joined.
 */
export function octets(
  node: Node | undefined,
  what: string,
  implicitTag?: number,
): Uint8Array {
  const ok =
    node &&
    (implicitTag === undefined
      ? isTag(node, UNIVERSAL, 4)
      : isTag(node, CONTEXT, implicitTag));
  if (!node || !ok) throw corrupt(`${what}: expected an OCTET STRING.`);
  return joinOctets(node, what, 0);
}

function joinOctets(node: Node, what: string, depth: number): Uint8Array {
  if (!node.idBlock.isConstructed) {
    return (node.valueBlock as { valueHexView: Uint8Array }).valueHexView;
  }
  if (depth > 8) throw corrupt(`${what}: OCTET STRING nested too deep.`);
  const parts = elements(node).map((piece) => {
    if (!isTag(piece, UNIVERSAL, 4)) {
      throw corrupt(`${what}: bad piece in a constructed OCTET STRING.`);
    }
    return joinOctets(piece, what, depth + 1);
  });
  return concatBytes(...parts);
}

/** The BIT STRING's bytes (NCA and X.509 keys never have unused bits). */
export function bitStringBytes(
  node: Node | undefined,
  what: string,
): Uint8Array {
  if (!(node instanceof asn1js.BitString) || node.idBlock.isConstructed) {
    throw corrupt(`${what}: expected a BIT STRING.`);
  }
  return node.valueBlock.valueHexView;
}

/** The single value inside an EXPLICIT [tagNumber] wrapper. */
export function explicit(
  node: Node | undefined,
  tagNumber: number,
  what: string,
): Node {
  const ok = node && isTag(node, CONTEXT, tagNumber);
  if (!node || !ok || !node.idBlock.isConstructed) {
    throw corrupt(`${what}: expected [${tagNumber}].`);
  }
  const inner = elements(node);
  if (inner.length !== 1) throw corrupt(`${what}: expected one value.`);
  return inner[0]!;
}

export function isContextTag(
  node: Node | undefined,
  tagNumber: number,
): boolean {
  return !!node && isTag(node, CONTEXT, tagNumber);
}

export function isOctetString(node: Node | undefined): boolean {
  return !!node && isTag(node, UNIVERSAL, 4);
}

export function isNull(node: Node | undefined): boolean {
  return !!node && isTag(node, UNIVERSAL, 5);
}

/** AlgorithmIdentifier: the OID and the parameters, if any. */
export interface AlgorithmId {
  oid: string;
  params: Node | undefined;
}

export function algorithmId(node: Node | undefined, what: string): AlgorithmId {
  const [id, params] = sequence(node, what);
  return { oid: oid(id, `${what} algorithm`), params };
}

/** Text of a BMPString, UTF8String or PrintableString attribute value. */
export function text(node: Node | undefined): string | undefined {
  if (
    node instanceof asn1js.BmpString ||
    node instanceof asn1js.Utf8String ||
    node instanceof asn1js.PrintableString ||
    node instanceof asn1js.IA5String
  ) {
    return node.valueBlock.value;
  }
  return undefined;
}
