/**
 * A small reader of BER/DER by offsets, for the server's verifier. It
 * makes no object per byte and copies nothing: an element is its tag and
 * where its header and content lie in the bytes it was read from.
 *
 * asn1js builds a tree of objects with several buffer checks per node;
 * on a 2 KB login CMS that took about 1.5 ms, and pkijs's schema
 * comparison on top of it about 5 ms more, most of a login's cost
 * (bench/README.md, Login verification). Every reader here throws
 * DerError on anything that is not what it expects.
 */
import { concatBytes } from './bytes.js';

export class DerError extends Error {
  override name = 'DerError';
}

export const UNIVERSAL = 0;
export const CONTEXT = 2;

/** Universal tag numbers the verifier reads. */
export const TAG = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  utcTime: 23,
  generalizedTime: 24,
} as const;

/** One element: its tag and where it lies in `bytes`. */
export interface Element {
  bytes: Uint8Array;
  tagClass: number;
  tagNumber: number;
  constructed: boolean;
  /** Offset of the identifier octet. */
  start: number;
  /** Content: [contentStart, contentEnd); for an indefinite length, the
   * end-of-contents octets follow contentEnd. */
  contentStart: number;
  contentEnd: number;
  /** Offset after the element. */
  end: number;
}

/** Deeper than any certificate or CMS a login carries. */
const MAX_DEPTH = 64;

/** Reads the element at `at`, which must end by `limit`. */
export function readElement(
  bytes: Uint8Array,
  at = 0,
  limit = bytes.length,
  depth = 0,
): Element {
  if (depth > MAX_DEPTH) throw new DerError('nested too deep');
  const start = at;
  if (at + 2 > limit) throw new DerError('cut short');
  const first = bytes[at++]!;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    // High tag number: base-128 digits, the last without the top bit.
    tagNumber = 0;
    for (let digits = 0; ; digits++) {
      if (at >= limit || digits > 3) throw new DerError('bad tag');
      const b = bytes[at++]!;
      // X.690 8.1.2.4.2: no leading zero digit, even in BER.
      if (digits === 0 && b === 0x80) throw new DerError('bad tag');
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    // X.690 8.1.2.2: numbers below 31 have only the one-byte form, else
    // "1F 04" would be read as an OCTET STRING that no other reader sees.
    if (tagNumber < 31) throw new DerError('bad tag');
  }
  if (at >= limit) throw new DerError('cut short');
  const constructed = (first & 0x20) !== 0;
  const lengthByte = bytes[at++]!;
  const element = {
    bytes,
    tagClass: first >> 6,
    tagNumber,
    constructed,
    start,
    contentStart: at,
    contentEnd: at,
    end: at,
  };
  if (lengthByte === 0x80) {
    // Indefinite length: children up to the end-of-contents octets.
    if (!constructed) throw new DerError('indefinite primitive');
    while (!(bytes[at] === 0 && bytes[at + 1] === 0)) {
      if (at + 2 > limit) throw new DerError('cut short');
      at = readElement(bytes, at, limit, depth + 1).end;
    }
    if (at + 2 > limit) throw new DerError('cut short');
    element.contentEnd = at;
    element.end = at + 2;
    return element;
  }
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4 || at + count > limit) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at++]!;
  }
  if (at + length > limit) throw new DerError('cut short');
  element.contentStart = at;
  element.contentEnd = at + length;
  element.end = at + length;
  return element;
}

/** The elements inside a constructed one; each must fit exactly. */
export function childrenOf(parent: Element): Element[] {
  if (!parent.constructed) throw new DerError('not constructed');
  const out: Element[] = [];
  let at = parent.contentStart;
  while (at < parent.contentEnd) {
    const child = readElement(parent.bytes, at, parent.contentEnd);
    out.push(child);
    at = child.end;
  }
  return out;
}

export function is(
  element: Element | undefined,
  tagClass: number,
  tagNumber: number,
): element is Element {
  return (
    element !== undefined &&
    element.tagClass === tagClass &&
    element.tagNumber === tagNumber
  );
}

/** The children of a universal SEQUENCE or SET; throws on anything else. */
export function itemsOf(
  element: Element | undefined,
  tagNumber: number,
  what: string,
): Element[] {
  if (!is(element, UNIVERSAL, tagNumber) || !element.constructed) {
    const name = tagNumber === TAG.sequence ? 'SEQUENCE' : 'SET';
    throw new DerError(`${what}: expected a ${name}`);
  }
  return childrenOf(element);
}

/** The element's bytes, header included (a view, not a copy). */
export function encodingOf(element: Element): Uint8Array {
  return element.bytes.subarray(element.start, element.end);
}

/** The content of a primitive element (a view). */
export function contentOf(element: Element): Uint8Array {
  if (element.constructed) throw new DerError('not primitive');
  return element.bytes.subarray(element.contentStart, element.contentEnd);
}

/** A primitive element of one universal tag, else DerError. */
export function primitive(
  element: Element | undefined,
  tagNumber: number,
  what: string,
): Uint8Array {
  if (!is(element, UNIVERSAL, tagNumber) || element.constructed) {
    throw new DerError(`${what}: expected universal tag ${tagNumber}`);
  }
  return contentOf(element);
}

/** Dotted text of an OBJECT IDENTIFIER. */
export function oidOf(element: Element | undefined, what: string): string {
  const content = primitive(element, TAG.oid, what);
  if (content.length === 0 || content[content.length - 1]! & 0x80) {
    throw new DerError(`${what}: bad OBJECT IDENTIFIER`);
  }
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    if (value === 0 && b === 0x80) {
      throw new DerError(`${what}: bad OBJECT IDENTIFIER`);
    }
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) {
      throw new DerError(`${what}: OBJECT IDENTIFIER arc too large`);
    }
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const top = value < 40 ? 0 : value < 80 ? 1 : 2;
        parts.push(top, value - top * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}

/** A small non-negative INTEGER (a version). */
export function smallIntOf(element: Element | undefined, what: string): number {
  const content = primitive(element, TAG.integer, what);
  if (content.length === 0 || content.length > 4 || content[0]! & 0x80) {
    throw new DerError(`${what}: not a small INTEGER`);
  }
  let value = 0;
  for (const b of content) value = value * 256 + b;
  return value;
}

/**
 * The content of an OCTET STRING, primitive or (BER) constructed from
 * primitive pieces, which are joined.
 */
export function octetsOf(
  element: Element | undefined,
  what: string,
): Uint8Array {
  if (!is(element, UNIVERSAL, TAG.octetString)) {
    throw new DerError(`${what}: expected an OCTET STRING`);
  }
  if (!element.constructed) return contentOf(element);
  return concatBytes(
    ...childrenOf(element).map((piece) =>
      primitive(piece, TAG.octetString, what),
    ),
  );
}

/** A BIT STRING's unused-bit count and its bytes after that count. */
export function bitsOf(
  element: Element | undefined,
  what: string,
): { unusedBits: number; bytes: Uint8Array } {
  const content = primitive(element, TAG.bitString, what);
  if (content.length === 0 || content[0]! > 7) {
    throw new DerError(`${what}: bad BIT STRING`);
  }
  return { unusedBits: content[0]!, bytes: content.subarray(1) };
}

const TIME = new RegExp(
  '^(\\d{2}|\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})?' +
    '(\\.\\d{1,9})?(Z|[+-]\\d{4})$',
);

/**
 * UTCTime (years 1950-2049, RFC 5280 4.1.2.5.1) or GeneralizedTime. With
 * `rfc5280` (certificate validity) only the forms RFC 5280 4.1.2.5 allows,
 * as OpenSSL: seconds, Z, no fraction. Otherwise (signingTime) seconds
 * and a fraction are optional and an offset may replace Z. Fields out of
 * range are refused either way: Date.UTC would roll month 13 or 30
 * February over into a time no other reader sees.
 */
export function timeOf(
  element: Element | undefined,
  what: string,
  rfc5280 = false,
): Date {
  const utc = is(element, UNIVERSAL, TAG.utcTime);
  if (!utc && !is(element, UNIVERSAL, TAG.generalizedTime)) {
    throw new DerError(`${what}: expected a time`);
  }
  const content = contentOf(element!);
  if (content.length > 32) throw new DerError(`${what}: bad time`);
  const text = String.fromCharCode(...content);
  const m = TIME.exec(text);
  const strictOk = !rfc5280 || (m?.[6] && !m[7] && m[8] === 'Z');
  if (
    !m ||
    !strictOk ||
    (utc ? m[1]!.length !== 2 || m[7] : m[1]!.length !== 4)
  ) {
    throw new DerError(`${what}: bad time ${JSON.stringify(text)}`);
  }
  const [month, day, hour, minute] = [2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? 0);
  let year = Number(m[1]);
  if (utc) year += year < 50 ? 2000 : 1900;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > days[month! - 1]! ||
    hour! > 23 ||
    minute! > 59 ||
    second > 59
  ) {
    throw new DerError(`${what}: time out of range ${JSON.stringify(text)}`);
  }
  const utcDate = new Date(Date.UTC(2000, 0, 1, hour!, minute!, second, ms));
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
  let t = utcDate.setUTCFullYear(year, month! - 1, day!);
  if (m[8] !== 'Z') {
    const sign = m[8]![0] === '-' ? -1 : 1;
    const [hours, minutes] = [m[8]!.slice(1, 3), m[8]!.slice(3)].map(Number);
    if (hours! > 23 || minutes! > 59) {
      throw new DerError(`${what}: bad time zone ${JSON.stringify(text)}`);
    }
    const offset = hours! * 60 + minutes!;
    t -= sign * offset * 60000;
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) throw new DerError(`${what}: bad time`);
  return date;
}
