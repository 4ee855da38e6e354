/**
 * CMS and certificates written byte by byte, for the attack tests on the
 * login verifier (test/unit/verify-attacks.test.ts, and the HTTP ones in
 * test/server/bad-input.test.ts): each piece can be made wrong on its
 * own and signed with a real key, which pkijs's re-encoding would not
 * allow.
 */
import * as asn1js from 'asn1js';
import {
  childrenOf,
  encodingOf,
  readElement,
} from '../../src/crypto/der-reader.js';
import { ALG, CMS, EKU } from '../../src/crypto/oids.js';
import { bufferSource } from '../../src/crypto/pem.js';
import {
  generateRsaKey,
  issueCertificate,
  type Issuer,
  type RsaKeyPair,
} from '../../server/pki/certificates.js';
import { PERSON } from './revocation-pki.js';

const subtle = globalThis.crypto.subtle;
const DAY = 24 * 3600 * 1000;

export function len(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Uint8Array.from([tag, ...len(body.length), ...body]);
}

export const seq = (...p: Uint8Array[]) => tlv(0x30, ...p);
export const set = (...p: Uint8Array[]) => tlv(0x31, ...p);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const NULL = Uint8Array.of(0x05, 0x00);
export const oid = (dotted: string) =>
  new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
export const int = (n: number) => tlv(0x02, Uint8Array.of(n));
export const alg = (dotted: string, params: Uint8Array | null = NULL) =>
  params ? seq(oid(dotted), params) : seq(oid(dotted));
export const ascii = (s: string) => new TextEncoder().encode(s);

/** The children of the DER element, each as its encoding. */
export function parts(der: Uint8Array): Uint8Array[] {
  return childrenOf(readElement(der)).map((e) => encodingOf(e).slice());
}

/** X.690 11.6: a SET OF in DER order. */
export function sortedSet(items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => Buffer.compare(a, b));
  return set(...sorted);
}

// ---------------------------------------------------------------------------
// Keys, certificates, CMS.

export interface Holder {
  key: RsaKeyPair;
  cert: Uint8Array;
}

export async function rsaSign(
  key: CryptoKey,
  data: Uint8Array,
  hash = 'SHA-256',
): Promise<Uint8Array> {
  if (hash === 'SHA-256') {
    const signature = await subtle.sign(
      'RSASSA-PKCS1-v1_5',
      key,
      bufferSource(data),
    );
    return new Uint8Array(signature);
  }
  // The same key, imported again for another hash.
  const pkcs8 = await subtle.exportKey('pkcs8', key);
  const other = await subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash },
    false,
    ['sign'],
  );
  const signature = await subtle.sign(
    'RSASSA-PKCS1-v1_5',
    other,
    bufferSource(data),
  );
  return new Uint8Array(signature);
}

/**
 * The certificate with its TBS fields changed by `edit` and signed again
 * by `by` (sha256WithRSA), `outer` replacing the outer algorithm.
 */
export async function resign(
  cert: Uint8Array,
  by: CryptoKey,
  edit: (fields: Uint8Array[]) => Uint8Array[],
  options: { outer?: Uint8Array; trailing?: Uint8Array } = {},
): Promise<Uint8Array> {
  const [tbs, outerAlg] = parts(cert) as [Uint8Array, Uint8Array];
  const newTbs = seq(...edit(parts(tbs)));
  const signature = await rsaSign(by, newTbs);
  return seq(
    newTbs,
    options.outer ?? outerAlg,
    tlv(0x03, Uint8Array.of(0), signature),
    options.trailing ?? new Uint8Array(),
  );
}

/** Index of the TBS fields (version [0] present). */
export const F = {
  serial: 1,
  sig: 2,
  issuer: 3,
  validity: 4,
  subject: 5,
  spki: 6,
};

/** The extensions [3] field with one more extension appended. */
export function addExtension(
  fields: Uint8Array[],
  ext: Uint8Array,
): Uint8Array[] {
  const out = [...fields];
  const i = out.findIndex((f) => f[0] === 0xa3);
  const list = parts(out[i]!)[0]!;
  out[i] = tlv(0xa3, seq(...parts(list), ext));
  return out;
}

export function extension(id: string, value: Uint8Array, critical = false) {
  return critical
    ? seq(oid(id), Uint8Array.of(0x01, 0x01, 0xff), octets(value))
    : seq(oid(id), octets(value));
}

/** The extensions [3] without the ones of that OID. */
export function dropExtension(fields: Uint8Array[], id: string): Uint8Array[] {
  const out = [...fields];
  const i = out.findIndex((f) => f[0] === 0xa3);
  const list = parts(out[i]!)[0]!;
  const kept = parts(list).filter(
    (ext) => !Buffer.from(parts(ext)[0]!).equals(Buffer.from(oid(id))),
  );
  out[i] = tlv(0xa3, seq(...kept));
  return out;
}

export interface CmsOptions {
  signer: Holder;
  certs?: Uint8Array[];
  /** The attached content; null for a detached signature. */
  content: Uint8Array | null;
  eContentType?: string;
  /** Signed attributes, each an Attribute DER; null for none. */
  attrs?: Uint8Array[] | null;
  /** Encodes the attributes' SET as given (not sorted). */
  rawAttrs?: boolean;
  sid?: Uint8Array;
  sidIsKeyId?: boolean;
  digestOid?: string;
  signatureOid?: string;
  /** Hash the RSA signature is really made with. */
  signHash?: string;
  /** Replaces the signature value. */
  signature?: (signed: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  signerInfos?: (one: Uint8Array) => Uint8Array[];
  version?: number;
}

export function issuerAndSerial(cert: Uint8Array): Uint8Array {
  const tbs = parts(parts(cert)[0]!);
  return seq(tbs[F.issuer]!, tbs[F.serial]!);
}

export const attribute = (type: string, ...values: Uint8Array[]) =>
  seq(oid(type), set(...values));

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest('SHA-256', bufferSource(data)));
}

export async function standardAttrs(content: Uint8Array): Promise<Uint8Array[]> {
  return [
    attribute(CMS.contentType, oid(CMS.data)),
    attribute(CMS.signingTime, tlv(0x17, ascii('261203120000Z'))),
    attribute(CMS.messageDigest, octets(await sha256(content))),
  ];
}

export async function makeCms(o: CmsOptions): Promise<Uint8Array> {
  const content = o.content;
  const digestOid = o.digestOid ?? ALG.sha256;
  const attrs =
    o.attrs === undefined
      ? await standardAttrs(content ?? new Uint8Array())
      : o.attrs;
  let signed: Uint8Array;
  let attrField = new Uint8Array();
  if (attrs) {
    const asSet = o.rawAttrs ? set(...attrs) : sortedSet(attrs);
    signed = asSet;
    attrField = Uint8Array.of(0xa0, ...asSet.subarray(1));
  } else {
    signed = content ?? new Uint8Array();
  }
  const signature = o.signature
    ? await o.signature(signed)
    : await rsaSign(o.signer.key.privateKey, signed, o.signHash);
  const sid = o.sid ?? issuerAndSerial(o.signer.cert);
  const signerInfo = seq(
    int(o.sidIsKeyId ? 3 : 1),
    sid,
    alg(digestOid),
    attrField,
    alg(o.signatureOid ?? ALG.sha256WithRsa),
    octets(signature),
  );
  const infos = o.signerInfos ? o.signerInfos(signerInfo) : [signerInfo];
  const encap = seq(
    oid(o.eContentType ?? CMS.data),
    content ? tlv(0xa0, octets(content)) : new Uint8Array(),
  );
  const certs = o.certs ?? [o.signer.cert];
  const version =
    o.version ??
    (o.sidIsKeyId || (o.eContentType ?? CMS.data) !== CMS.data ? 3 : 1);
  const signedData = seq(
    int(version),
    set(alg(digestOid)),
    encap,
    certs.length ? tlv(0xa0, ...certs) : new Uint8Array(),
    set(...infos),
  );
  return seq(oid(CMS.signedData), tlv(0xa0, signedData));
}


/**
 * A login CMS over `content` whose certificate set carries `copies`
 * same-named, self-issued CA certificates under one key of the sender's
 * own, each of which "issued" every other: a chain search without a
 * bound tries every order of them.
 */
export async function selfIssuedFlood(
  content: Uint8Array,
  copies: number,
): Promise<Uint8Array> {
  const key = await generateRsaKey(1024);
  const name: Issuer['name'] = [
    ['2.5.4.3', 'EVIL CA'],
    ['2.5.4.6', 'KZ'],
  ];
  const now = Date.now();
  const certs: Uint8Array[] = [];
  for (let i = 0; i < copies; i++) {
    certs.push(
      await issueCertificate({
        subject: name,
        publicKeyInfo: key.publicKeyInfo,
        selfSignKey: key.privateKey,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 400 * DAY),
        ca: {},
        keyUsage: ['keyCertSign'],
      }),
    );
  }
  const userKey = await generateRsaKey(2048);
  const cert = await issueCertificate({
    subject: PERSON,
    publicKeyInfo: userKey.publicKeyInfo,
    issuer: {
      name,
      privateKey: key.privateKey,
      publicKeyInfo: key.publicKeyInfo,
    },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 300 * DAY),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
  });
  return makeCms({
    signer: { key: userKey, cert },
    content,
    certs: [cert, ...certs],
  });
}
