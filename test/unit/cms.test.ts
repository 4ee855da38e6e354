import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signCms } from '../../src/crypto/cms-sign.js';
import { cmsCertificates } from '../../src/crypto/cms-certificates.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { keyRingOf, openKeys } from '../../src/crypto/key-file-signer.js';
import {
  checkCmsSignature,
  verifyLoginSignature,
  VerifyError,
  type VerifyLoginOptions,
} from '../../src/crypto/cms-verify.js';
import { fromBase64, toBase64, toPem } from '../../src/crypto/pem.js';
import { KeyFileError, type KeyEntry } from '../../src/crypto/types.js';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import {
  generateRsaKey,
  issueCertificate,
  type Issuer,
  type KeyUsageName,
  type NameEntry,
  type RsaKeyPair,
} from '../../server/pki/certificates.js';
import { noOpenssl, opensslCmsContent } from '../support/openssl-cms.js';

const PKI = fileURLToPath(new URL('../../../shared/nca-test-pki/', import.meta.url));
const noPki = existsSync(PKI) ? false : `NCA test material not found at ${PKI}`;

const utf8 = (text: string) => new TextEncoder().encode(text);
const readPki = (name: string) => new Uint8Array(readFileSync(PKI + name));
const RSA = '1.2.840.113549.1.1.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const CHALLENGE = utf8('qoltanba login https://portal.example.kz 4f1c…');

/** Awaits a verification that must fail with this code. */
async function rejectsWith(
  options: VerifyLoginOptions,
  code: ApiErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(verifyLoginSignature(options), (error: unknown) => {
    assert.ok(error instanceof VerifyError, `not a VerifyError: ${error}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A throwaway chain: root → issuing CA → a person's AUTH key. */
interface Chain {
  root: Uint8Array;
  issuing: Uint8Array;
  leaf: KeyEntry;
  issuingIssuer: Issuer;
  issue(options: Partial<LeafOptions>): Promise<KeyEntry>;
}

interface LeafOptions {
  subject: NameEntry[];
  extendedKeyUsage: string[];
  keyUsage: KeyUsageName[];
  notBefore: Date;
  notAfter: Date;
}

const CA_NAME = (cn: string): NameEntry[] => [
  ['2.5.4.3', cn],
  ['2.5.4.6', 'KZ'],
];
const PERSON: NameEntry[] = [
  ['2.5.4.3', 'САДЫҚОВА АЙГЕРІМ'],
  ['2.5.4.4', 'САДЫҚОВА'],
  ['2.5.4.5', 'IIN900625400121'],
  ['2.5.4.6', 'KZ'],
  ['2.5.4.42', 'МАРАТҚЫЗЫ'],
];
const NOW = Date.now();
const YEAR = 365 * 24 * 3600 * 1000;

async function makeCa(
  name: string,
  key: RsaKeyPair,
  issuer?: Issuer,
  options: { ca?: boolean; notAfter?: Date } = {},
): Promise<Uint8Array> {
  return issueCertificate({
    subject: CA_NAME(name),
    publicKeyInfo: key.publicKeyInfo,
    ...(issuer ? { issuer } : { selfSignKey: key.privateKey }),
    notBefore: new Date(NOW - YEAR),
    notAfter: options.notAfter ?? new Date(NOW + 5 * YEAR),
    ...(options.ca === false ? {} : { ca: {} }),
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
}

async function makeChain(): Promise<Chain> {
  const [rootKey, issuingKey] = await Promise.all([
    generateRsaKey(2048),
    generateRsaKey(2048),
  ]);
  const root = await makeCa('ROOT TEST', rootKey);
  const issuing = await makeCa('ISSUING TEST', issuingKey, {
    name: CA_NAME('ROOT TEST'),
    privateKey: rootKey.privateKey,
    publicKeyInfo: rootKey.publicKeyInfo,
  });
  const issuingIssuer: Issuer = {
    name: CA_NAME('ISSUING TEST'),
    privateKey: issuingKey.privateKey,
    publicKeyInfo: issuingKey.publicKeyInfo,
  };
  const issue = async (options: Partial<LeafOptions>): Promise<KeyEntry> => {
    const key = await generateRsaKey(2048);
    const certificate = await issueCertificate({
      subject: options.subject ?? PERSON,
      publicKeyInfo: key.publicKeyInfo,
      issuer: issuingIssuer,
      notBefore: options.notBefore ?? new Date(NOW - 3600_000),
      notAfter: options.notAfter ?? new Date(NOW + YEAR),
      keyUsage: options.keyUsage ?? ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: options.extendedKeyUsage ?? [
        CLIENT_AUTH,
        '1.2.398.3.3.4.1.1',
      ],
      policies: ['1.2.398.3.3.2.4'],
    });
    return { privateKeyInfo: key.privateKeyInfo, certificate, keyAlgorithmOid: RSA };
  };
  return { root, issuing, issuingIssuer, leaf: await issue({}), issue };
}

/** Re-encodes a CMS after a change made through pkijs. */
function editCms(der: Uint8Array, edit: (signed: pkijs.SignedData) => void) {
  const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
  const signed = new pkijs.SignedData({ schema: info.content });
  edit(signed);
  info.content = signed.toSchema(true);
  return new Uint8Array(info.toSchema().toBER());
}

/** Replaces the last occurrence of a byte pattern. */
function replaceLast(der: Uint8Array, from: number[], to: number[]) {
  const hex = Buffer.from(der).toString('hex');
  const at = hex.lastIndexOf(Buffer.from(from).toString('hex'));
  assert.ok(at >= 0 && at % 2 === 0, 'pattern not found');
  const out = new Uint8Array(der);
  out.set(to, at / 2);
  return out;
}

describe('signCms', () => {
  let chain: Chain;
  before(async () => {
    chain = await makeChain();
  });

  it('writes the shape Kalkan writes, with the content attached as given', async () => {
    const time = new Date('2026-03-01T10:20:30.456Z');
    const der = await signCms(CHALLENGE, chain.leaf, { signingTime: time });
    const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
    assert.equal(info.contentType, '1.2.840.113549.1.7.2');
    const signed = new pkijs.SignedData({ schema: info.content });
    assert.equal(signed.version, 1);
    assert.deepEqual(
      signed.digestAlgorithms.map((a) => a.algorithmId),
      ['2.16.840.1.101.3.4.2.1'],
    );
    assert.equal(signed.encapContentInfo.eContentType, '1.2.840.113549.1.7.1');
    assert.deepEqual(
      new Uint8Array(signed.encapContentInfo.eContent!.getValue()),
      CHALLENGE,
    );
    assert.equal(signed.certificates?.length, 1);
    // The certificate is embedded byte for byte.
    assert.ok(Buffer.from(der).includes(Buffer.from(chain.leaf.certificate)));
    const [signer] = signed.signerInfos;
    assert.equal(signed.signerInfos.length, 1);
    assert.equal(signer!.version, 1);
    assert.ok(signer!.sid instanceof pkijs.IssuerAndSerialNumber);
    assert.equal(signer!.digestAlgorithm.algorithmId, '2.16.840.1.101.3.4.2.1');
    assert.equal(signer!.signatureAlgorithm.algorithmId, '1.2.840.113549.1.1.11');
    const attributes = signer!.signedAttrs!.attributes;
    assert.deepEqual(
      attributes.map((a) => a.type),
      ['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.4'],
    );
    const signingTime = attributes[1]!.values[0] as asn1js.UTCTime;
    assert.equal(signingTime.toDate().toISOString(), '2026-03-01T10:20:30.000Z');
    // DER: the SET OF members in ascending order of their encodings.
    const encodings = attributes.map((a) =>
      Buffer.from(a.toSchema().toBER()).toString('hex'),
    );
    assert.deepEqual([...encodings].sort(), encodings);
    assert.equal(await checkCmsSignature(der), true);
  });

  it('writes the same shape as the Kalkan sample, field by field', { skip: noPki }, async () => {
    const outline = (der: Uint8Array) => {
      const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
      const s = new pkijs.SignedData({ schema: info.content });
      const signer = s.signerInfos[0]!;
      return {
        version: s.version,
        digests: s.digestAlgorithms.map((a) => a.algorithmId),
        contentType: s.encapContentInfo.eContentType,
        certificates: s.certificates?.length,
        crls: s.crls?.length,
        signerVersion: signer.version,
        sid: signer.sid.constructor.name,
        digest: signer.digestAlgorithm.algorithmId,
        digestParams: signer.digestAlgorithm.algorithmParams?.constructor.name,
        attributes: signer.signedAttrs?.attributes.map((a) => a.type),
        signature: signer.signatureAlgorithm.algorithmId,
        unsigned: signer.unsignedAttrs,
      };
    };
    const ours = await signCms(utf8('test123'), chain.leaf);
    assert.deepEqual(outline(ours), outline(readPki('cms_attached_rsa.der')));
  });

  it('is accepted by OpenSSL', { skip: noOpenssl }, async () => {
    const der = await signCms(CHALLENGE, chain.leaf);
    assert.deepEqual(opensslCmsContent(der), CHALLENGE);
  });

  it('refuses a GOST key with UNSUPPORTED_KEY', async () => {
    const gost = { ...chain.leaf, keyAlgorithmOid: '1.2.398.3.10.1.1.2.2' };
    await assert.rejects(signCms(CHALLENGE, gost), (error: unknown) => {
      assert.ok(error instanceof KeyFileError);
      assert.equal(error.code, 'UNSUPPORTED_KEY');
      return true;
    });
  });

  it('notices a key that does not belong to its certificate', async () => {
    const other = await chain.issue({});
    const mixed = { ...chain.leaf, privateKeyInfo: other.privateKeyInfo };
    await assert.rejects(signCms(CHALLENGE, mixed), (error: unknown) => {
      assert.ok(error instanceof KeyFileError);
      assert.equal(error.code, 'CORRUPT_FILE');
      return true;
    });
  });
});

describe('cmsCertificates', () => {
  let leaf: KeyEntry;
  before(async () => {
    ({ leaf } = await makeChain());
  });

  it('gives the certificates a CMS carries, byte for byte', async () => {
    const der = await signCms(CHALLENGE, leaf);
    assert.deepEqual(cmsCertificates(der), [leaf.certificate]);
  });

  it('gives none for a CMS without certificates', async () => {
    const bare = editCms(await signCms(CHALLENGE, leaf), (signed) => {
      signed.certificates = undefined;
    });
    assert.deepEqual(cmsCertificates(bare), []);
  });

  it('throws on bytes that are not SignedData', () => {
    assert.throws(() => cmsCertificates(leaf.certificate));
    assert.throws(() => cmsCertificates(Uint8Array.of(0x30, 0x00)));
  });
});

describe('verifyLoginSignature with made keys', () => {
  let chain: Chain;
  let good: Uint8Array;
  let base: VerifyLoginOptions;
  before(async () => {
    chain = await makeChain();
    good = await signCms(CHALLENGE, chain.leaf);
    base = {
      signature: toBase64(good),
      expectedContent: CHALLENGE,
      trustAnchors: [chain.root],
      intermediates: [chain.issuing],
    };
  });

  it('accepts a good signature and reads the signer', async () => {
    const t0 = performance.now();
    const login = await verifyLoginSignature(base);
    const ms = performance.now() - t0;
    assert.equal(login.iin, '900625400121');
    assert.equal(login.fullName, 'САДЫҚОВА АЙГЕРІМ МАРАТҚЫЗЫ');
    assert.deepEqual(login.certificateDer, chain.leaf.certificate);
    assert.equal(login.certificate.purpose, 'auth');
    assert.ok(ms < 1000, `verification took ${ms} ms`);
  });

  it('accepts base64 with line breaks, PEM armour, and the bytes', async () => {
    const wrapped = toBase64(good).replace(/.{1,64}/g, '$&\r\n');
    for (const signature of [wrapped, toPem('CMS', good), toPem('PKCS7', good), good]) {
      const login = await verifyLoginSignature({ ...base, signature });
      assert.equal(login.iin, '900625400121');
    }
  });

  it('accepts the issuing CA itself as the trust anchor', async () => {
    const login = await verifyLoginSignature({
      ...base,
      trustAnchors: [chain.issuing],
      intermediates: [],
    });
    assert.equal(login.iin, '900625400121');
  });

  it('takes intermediates from inside the CMS too', async () => {
    const issuing = new pkijs.Certificate({
      schema: asn1js.fromBER(chain.issuing).result,
    });
    const withChain = editCms(good, (s) => s.certificates!.push(issuing));
    const login = await verifyLoginSignature({
      ...base,
      signature: withChain,
      intermediates: [],
    });
    assert.equal(login.iin, '900625400121');
  });

  it('refuses malformed input of every kind with SIGNATURE_MALFORMED', async () => {
    const b64 = toBase64(good);
    const inputs: Array<string | Uint8Array> = [
      '',
      'not base64 at all!',
      b64.replace(/\+/g, '-').replace(/\//g, '_'), // base64url
      b64.slice(0, b64.length / 2), // cut short
      toBase64(good.subarray(0, good.length - 10)), // truncated DER
      toBase64(Uint8Array.of(...good, 0, 0)), // trailing bytes
      toPem('CERTIFICATE', chain.leaf.certificate),
      '-----BEGIN CMS-----\n!!!!\n-----END CMS-----',
      '-----BEGIN CMS-----\nMIIB\n-----END PKCS7-----',
      toBase64(chain.leaf.certificate), // DER, but not a CMS
      toBase64(utf8('{"json": true}')),
      new Uint8Array(0),
      new Uint8Array(300 * 1024), // oversized
      'A'.repeat(2_000_000),
    ];
    for (const signature of inputs) {
      await rejectsWith({ ...base, signature }, 'SIGNATURE_MALFORMED');
    }
  });

  it('never throws anything but VerifyError on damaged DER', async () => {
    // Flip bytes across the whole structure, a few hundred variants.
    for (let at = 0; at < good.length; at += 7) {
      const bad = new Uint8Array(good);
      bad[at] = bad[at]! ^ 0x5a;
      await assert.rejects(
        verifyLoginSignature({ ...base, signature: bad }),
        (error: unknown) => error instanceof VerifyError,
      );
    }
  });

  it('refuses other content with CONTENT_MISMATCH', async () => {
    await rejectsWith(
      { ...base, expectedContent: utf8('another challenge') },
      'CONTENT_MISMATCH',
    );
    const detached = editCms(good, (s) => {
      delete s.encapContentInfo.eContent;
    });
    await rejectsWith({ ...base, signature: detached }, 'CONTENT_MISMATCH', /detached/);
  });

  it('refuses a CMS without the signer certificate with CERT_MISSING', async () => {
    const bare = editCms(good, (s) => {
      delete s.certificates;
    });
    await rejectsWith({ ...base, signature: bare }, 'CERT_MISSING');
    const other = await chain.issue({});
    const wrong = editCms(good, (s) => {
      s.certificates = [
        new pkijs.Certificate({ schema: asn1js.fromBER(other.certificate).result }),
      ];
    });
    await rejectsWith({ ...base, signature: wrong }, 'CERT_MISSING');
  });

  it('refuses a changed signature or digest with SIGNATURE_INVALID', async () => {
    const flipped = new Uint8Array(good);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x01;
    await rejectsWith({ ...base, signature: flipped }, 'SIGNATURE_INVALID');

    const digestOid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
    const at = Buffer.from(good).lastIndexOf(Buffer.from(digestOid));
    const badDigest = new Uint8Array(good);
    // Past the OID, SET and OCTET STRING headers lies the digest itself.
    badDigest[at + digestOid.length + 4] ^= 0x01;
    await rejectsWith({ ...base, signature: badDigest }, 'SIGNATURE_INVALID', /messageDigest/);
  });

  it('refuses algorithms it does not know with ALGORITHM_UNSUPPORTED', async () => {
    // sha256WithRSAEncryption → sha1WithRSAEncryption in the SignerInfo.
    const sha1 = replaceLast(
      good,
      [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
      [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
    );
    await rejectsWith({ ...base, signature: sha1 }, 'ALGORITHM_UNSUPPORTED');
    // SHA-1 as the digest, listed in SignedData as well: still refused.
    const sha1Digest = new pkijs.AlgorithmIdentifier({
      algorithmId: '1.3.14.3.2.26',
      algorithmParams: new asn1js.Null(),
    });
    const oddDigest = editCms(good, (s) => {
      s.digestAlgorithms = [sha1Digest];
      s.signerInfos[0]!.digestAlgorithm = sha1Digest;
    });
    await rejectsWith({ ...base, signature: oddDigest }, 'ALGORITHM_UNSUPPORTED');
    // A digest the SignedData does not list is a broken structure.
    const unlisted = editCms(good, (s) => {
      s.signerInfos[0]!.digestAlgorithm = sha1Digest;
    });
    await rejectsWith({ ...base, signature: unlisted }, 'SIGNATURE_MALFORMED');
  });

  it('refuses expired and not yet valid certificates', async () => {
    await rejectsWith({ ...base, time: new Date(NOW + 2 * YEAR) }, 'CERT_EXPIRED');
    await rejectsWith({ ...base, time: new Date(NOW - 3 * 3600_000) }, 'CERT_NOT_YET_VALID');
  });

  it('refuses certificates that do not chain to an anchor: CERT_UNTRUSTED', async () => {
    const strangerKey = await generateRsaKey(2048);
    // Same name as the real issuing CA, different key: names alone must
    // not be enough.
    const impostor = await makeCa('ISSUING TEST', strangerKey);
    await rejectsWith(
      { ...base, trustAnchors: [impostor], intermediates: [] },
      'CERT_UNTRUSTED',
    );
    await rejectsWith({ ...base, intermediates: [] }, 'CERT_UNTRUSTED');
    await rejectsWith({ ...base, trustAnchors: [] }, 'CERT_UNTRUSTED');
  });

  it('checks each CA on the way: cA flag and validity', async () => {
    const rootKey = await generateRsaKey(2048);
    const issuingKey = await generateRsaKey(2048);
    const root = await makeCa('R2', rootKey);
    const rootIssuer = {
      name: CA_NAME('R2'),
      privateKey: rootKey.privateKey,
      publicKeyInfo: rootKey.publicKeyInfo,
    };
    const issuingAs = async (options: { ca?: boolean; notAfter?: Date }) =>
      makeCa('ISSUING TEST', issuingKey, rootIssuer, options);
    // The leaf is issued by "ISSUING TEST"; re-issue that CA's certificate
    // with the same key but a flaw, under root R2.
    const leaf = await (await makeChainWithIssuingKey(issuingKey)).issue({});
    const signature = await signCms(CHALLENGE, leaf);
    const options = { ...base, signature, trustAnchors: [root] };
    const sound = await issuingAs({});
    assert.equal(
      (await verifyLoginSignature({ ...options, intermediates: [sound] })).iin,
      '900625400121',
    );
    await rejectsWith(
      { ...options, intermediates: [await issuingAs({ ca: false })] },
      'CERT_UNTRUSTED',
    );
    await rejectsWith(
      {
        ...options,
        intermediates: [await issuingAs({ notAfter: new Date(NOW - 1000) })],
      },
      'CERT_UNTRUSTED',
    );
  });

  it('refuses an RSA key without clientAuth: CERT_WRONG_PURPOSE', async () => {
    const signKey = await chain.issue({
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'],
    });
    await rejectsWith(
      { ...base, signature: await signCms(CHALLENGE, signKey) },
      'CERT_WRONG_PURPOSE',
      /AUTH_RSA/,
    );
  });

  it('wants a valid IIN: CERT_NO_IIN', async () => {
    const noIin = await chain.issue({ subject: [['2.5.4.3', 'SYSTEM'], ['2.5.4.6', 'KZ']] });
    await rejectsWith(
      { ...base, signature: await signCms(CHALLENGE, noIin) },
      'CERT_NO_IIN',
    );
    const badIin = await chain.issue({
      subject: [['2.5.4.3', 'X'], ['2.5.4.5', 'IIN900625400122']],
    });
    await rejectsWith(
      { ...base, signature: await signCms(CHALLENGE, badIin), acceptTestIins: true },
      'CERT_NO_IIN',
      /900625400122/,
    );
  });
});

/** A chain whose issuing CA has a given key, for the CA-flaw test. */
async function makeChainWithIssuingKey(issuingKey: RsaKeyPair) {
  const issuer: Issuer = {
    name: CA_NAME('ISSUING TEST'),
    privateKey: issuingKey.privateKey,
    publicKeyInfo: issuingKey.publicKeyInfo,
  };
  return {
    async issue(_: Partial<LeafOptions>): Promise<KeyEntry> {
      const key = await generateRsaKey(2048);
      const certificate = await issueCertificate({
        subject: PERSON,
        publicKeyInfo: key.publicKeyInfo,
        issuer,
        notBefore: new Date(NOW - 3600_000),
        notAfter: new Date(NOW + YEAR),
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        extendedKeyUsage: [CLIENT_AUTH],
      });
      return { privateKeyInfo: key.privateKeyInfo, certificate, keyAlgorithmOid: RSA };
    },
  };
}

describe('verifyLoginSignature with NCA test material', { skip: noPki }, () => {
  const anchor = () => readPki('nca_rsa_test.crt');
  const inside2022 = new Date('2022-06-01T00:00:00Z');

  async function ncaKey(file: string) {
    const opened = await openKeyFile(readPki(file), 'Qwerty12');
    return opened.keys[0]!;
  }

  it('verifies a CMS signed with a real NCA AUTH key', async (t) => {
    const key = await ncaKey('rsa_individual_auth_revoked_2022.p12');
    const t0 = performance.now();
    const der = await signCms(CHALLENGE, key);
    const signMs = performance.now() - t0;
    const options: VerifyLoginOptions = {
      signature: toPem('CMS', der),
      expectedContent: CHALLENGE,
      trustAnchors: [anchor()],
      time: inside2022,
      acceptTestIins: true,
    };
    const t1 = performance.now();
    const login = await verifyLoginSignature(options);
    const verifyMs = performance.now() - t1;
    t.diagnostic(`sign ${signMs.toFixed(1)} ms, verify ${verifyMs.toFixed(1)} ms`);
    assert.equal(login.iin, '123456789011');
    assert.equal(login.fullName, 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ');
    assert.equal(login.certificate.issuerCommonName, 'ҰКО 3.0 (RSA TEST)');

    // The test IIN fails the check digit: only test mode accepts it.
    await rejectsWith({ ...options, acceptTestIins: false }, 'CERT_NO_IIN');
    await rejectsWith({ ...options, time: undefined }, 'CERT_EXPIRED');
    await rejectsWith({ ...options, expectedContent: utf8('other') }, 'CONTENT_MISMATCH');
    const flipped = new Uint8Array(der);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x80;
    await rejectsWith({ ...options, signature: flipped }, 'SIGNATURE_INVALID');
    const freshCa = await makeCa('ҰКО 3.0 (RSA TEST)', await generateRsaKey(2048));
    await rejectsWith({ ...options, trustAnchors: [freshCa] }, 'CERT_UNTRUSTED');
  });

  it('refuses the SIGN key with CERT_WRONG_PURPOSE', async () => {
    const key = await ncaKey('rsa_individual_sign_2021.p12');
    await rejectsWith(
      {
        signature: toBase64(await signCms(CHALLENGE, key)),
        expectedContent: CHALLENGE,
        trustAnchors: [anchor()],
        time: new Date('2021-06-01T00:00:00Z'),
        acceptTestIins: true,
      },
      'CERT_WRONG_PURPOSE',
      /AUTH_RSA/,
    );
  });

  it("reads Kalkan's CMS: its RSA signature verifies", async () => {
    const kalkan = readPki('cms_attached_rsa.der');
    assert.equal(await checkCmsSignature(kalkan), true);
    // Kalkan's signer holds a SIGN key: every check before purpose passes.
    await rejectsWith(
      {
        signature: toBase64(kalkan),
        expectedContent: utf8('test123'),
        trustAnchors: [anchor()],
        time: new Date('2021-06-01T00:00:00Z'),
        acceptTestIins: true,
      },
      'CERT_WRONG_PURPOSE',
    );
  });

  it('refuses the two-signer files with SIGNER_COUNT', async () => {
    for (const file of ['cms_attached_gost2015_and_rsa.der', 'cms_detached_two_signers.der']) {
      await rejectsWith(
        {
          signature: toBase64(readPki(file)),
          expectedContent: utf8('test123'),
          trustAnchors: [anchor()],
        },
        'SIGNER_COUNT',
      );
    }
  });

  it("accepts Kalkan's GOST 2015 signer alone, within its validity", async () => {
    // Kalkan's GOST signer alone, cut out of the two-signer file. Its
    // certificate expired in 2023, so the check runs at a time inside it.
    const gostOnly = editCms(readPki('cms_attached_gost2015_and_rsa.der'), (s) => {
      s.signerInfos = s.signerInfos.slice(0, 1);
    });
    const options = {
      signature: gostOnly,
      expectedContent: utf8('test123'),
      trustAnchors: [readPki('nca_gost_2022_test.cer')],
      acceptTestIins: true,
    };
    const login = await verifyLoginSignature({
      ...options,
      time: new Date('2022-10-01T00:00:00Z'),
    });
    assert.equal(login.iin, '123456789012');
    assert.equal(login.certificate.purpose, 'both');
    assert.equal(login.certificate.algorithmName, 'ГОСТ 34.10-2015 512');
    await rejectsWith(options, 'CERT_EXPIRED');
  });
});

describe('openKeys (key-file-signer)', () => {
  it('lists the keys, signs with the chosen one, and forgets them', { skip: noPki }, async () => {
    const ring = await openKeys(readPki('rsa_individual_auth_revoked_2022.p12'), 'Qwerty12');
    assert.equal(ring.choices.length, 1);
    const [choice] = ring.choices;
    assert.equal(choice!.info.iin, '123456789011');
    assert.equal(choice!.info.purpose, 'auth');
    const signature = await ring.sign(choice!.id, CHALLENGE);
    assert.match(signature, /^[A-Za-z0-9+/]+=*$/);
    const login = await verifyLoginSignature({
      signature,
      expectedContent: CHALLENGE,
      trustAnchors: [readPki('nca_rsa_test.crt')],
      time: new Date('2022-06-01T00:00:00Z'),
      acceptTestIins: true,
    });
    assert.equal(login.iin, '123456789011');
    assert.ok(fromBase64(signature));

    await assert.rejects(ring.sign('no-such-key', CHALLENGE), KeyFileError);
    ring.dispose();
    await assert.rejects(ring.sign(choice!.id, CHALLENGE), KeyFileError);
  });

  it('zeroes the private key bytes on dispose', async () => {
    const chain = await makeChain();
    const entry = { ...chain.leaf, privateKeyInfo: chain.leaf.privateKeyInfo.slice() };
    const ring = keyRingOf([entry, { ...chain.leaf }]);
    assert.equal(ring.choices.length, 2);
    assert.notEqual(ring.choices[0]!.id, ring.choices[1]!.id);
    const signature = await ring.sign(ring.choices[0]!.id, CHALLENGE);
    assert.equal(await checkCmsSignature(fromBase64(signature)!), true);
    ring.dispose();
    assert.ok(entry.privateKeyInfo.every((byte) => byte === 0));
    await assert.rejects(ring.sign(ring.choices[0]!.id, CHALLENGE), /No key/);
  });
});
