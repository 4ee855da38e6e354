// Proof of the GOST 34.10-2015 code on NCA's own files: certificates, CRLs,
// key files and Kalkan's CMS signatures all verify, every private key
// derives its certificate's public key, and one flipped bit anywhere makes
// verification fail. Skips where ../shared/nca-test-pki is absent.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signCms } from '../../src/crypto/cms-sign.js';
import {
  checkCmsSignature,
  parseCertificate,
  verifyCertificateSignature,
  verifyCms,
  verifyCrlSignature,
  verifyLoginSignature,
  VerifyError,
} from '../../src/crypto/cms-verify.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { openKeys } from '../../src/crypto/key-file-signer.js';
import { writeNcaKeyFile } from '../../src/crypto/pkcs12-writer.js';
import { fromPem } from '../../src/crypto/pem.js';
import { KeyFileError, type KeyEntry } from '../../src/crypto/types.js';
import { TC26_512_A } from '../../src/crypto/gost/gost3410.js';
import {
  gostKeyAlgorithm,
  gostPublicOf,
  publicKeyFromBits,
  readGostPrivateKey,
  writeGostPrivateKey,
} from '../../src/crypto/gost/nca-gost.js';
import { streebog512 } from '../../src/crypto/gost/streebog.js';

const PKI = fileURLToPath(new URL('../../../shared/nca-test-pki/', import.meta.url));
const noPki = existsSync(PKI) ? false : `NCA test material not found at ${PKI}`;
const readPki = (name: string) => new Uint8Array(readFileSync(PKI + name));
const utf8 = (text: string) => new TextEncoder().encode(text);

const GOST_KEY_FILES = [
  { file: 'gost2015_individual_valid.p12', password: 'Qwerty12', iin: '123456789011' },
  { file: 'gost2015_individual_2022.p12', password: 'Aa123456', iin: '123456789012' },
];

/** A small deterministic generator, so a failing position can be rerun. */
function positions(length: number, count: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const out = new Set<number>();
  while (out.size < Math.min(count, length)) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out.add((state >>> 0) % length);
  }
  return [...out];
}

function flipped(bytes: Uint8Array, at: number, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 1 << bit;
  return copy;
}

/** Verification must pass as given and fail after each single-bit flip. */
async function assertEveryFlipFails(
  what: string,
  bytes: Uint8Array,
  verify: (candidate: Uint8Array) => Promise<boolean>,
  count: number,
): Promise<void> {
  assert.equal(await verify(bytes), true, `${what} verifies as given`);
  for (const at of positions(bytes.length, count, bytes.length * 7919)) {
    const bit = at % 8;
    let ok: boolean;
    try {
      ok = await verify(flipped(bytes, at, bit));
    } catch {
      ok = false;
    }
    assert.equal(ok, false, `${what}: bit ${bit} of byte ${at} flipped still verifies`);
  }
}

/**
 * Both signers of a Kalkan sample verify, each judged at a moment inside
 * its own certificate's validity and chained to its test CA.
 */
async function allSignersGood(cms: Uint8Array, content?: Uint8Array) {
  const withContent = content ? { content } : {};
  const probe = await verifyCms({ cms, ...withContent });
  if (probe.signers.length !== 2) return false;
  for (const signer of probe.signers) {
    if (!signer.signatureValid || !signer.certificate) return false;
    const time = new Date(signer.certificate.notBefore.getTime() + 86_400_000);
    const report = await verifyCms({
      cms,
      ...withContent,
      trustAnchors: [readPki('root_gost_2022_test.cer'), readPki('nca_rsa_test.crt')],
      intermediates: [readPki('nca_gost_2022_test.cer')],
      time,
    });
    if (!report.signers[signer.index]!.valid) return false;
  }
  return true;
}

describe('GOST on NCA test material', { skip: noPki }, () => {
  let root: Uint8Array;
  let issuing: Uint8Array;
  const keys = new Map<string, KeyEntry>();

  before(async () => {
    root = readPki('root_gost_2022_test.cer');
    issuing = readPki('nca_gost_2022_test.cer');
    for (const { file, password } of GOST_KEY_FILES) {
      const opened = await openKeyFile(readPki(file), password);
      keys.set(file, opened.keys[0]!);
    }
  });

  describe('certificates and CRLs', () => {
    it('the test root verifies its own signature', async () => {
      assert.equal(await verifyCertificateSignature(root, root), true);
    });

    it('the issuing CA verifies under the root, and not under itself', async () => {
      assert.equal(await verifyCertificateSignature(issuing, root), true);
      assert.equal(await verifyCertificateSignature(issuing, issuing), false);
    });

    it('the certificates inside both GOST key files verify under the issuing CA', async () => {
      for (const { file } of GOST_KEY_FILES) {
        const cert = keys.get(file)!.certificate;
        assert.equal(await verifyCertificateSignature(cert, issuing), true, file);
        assert.equal(await verifyCertificateSignature(cert, root), false, file);
      }
    });

    it('both CRLs verify under the issuing CA, and not under the root', async () => {
      for (const file of ['nca_gost_2022_test.crl', 'nca_gost_2022_test_delta.crl']) {
        assert.equal(await verifyCrlSignature(readPki(file), issuing), true, file);
        assert.equal(await verifyCrlSignature(readPki(file), root), false, file);
      }
    });
  });

  describe('private keys', () => {
    it('every GOST key file holds the scalar of its certificate public key', () => {
      for (const { file } of GOST_KEY_FILES) {
        const key = keys.get(file)!;
        const cert = parseCertificate(key.certificate);
        const bits = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
        const fromCert = publicKeyFromBits(TC26_512_A, bits);
        assert.ok(fromCert, `${file}: public key on the curve`);
        const derived = gostPublicOf(readGostPrivateKey(key.privateKeyInfo));
        assert.ok(derived.equals(fromCert), `${file}: d·G is the certificate key`);
      }
    });
  });

  describe('layouts written by this library', () => {
    it("match NCA's key file byte for byte: PKCS#8 and the SPKI algorithm", () => {
      for (const { file } of GOST_KEY_FILES) {
        const key = keys.get(file)!;
        // The nested OCTET STRING private key, written back identically.
        const rewritten = writeGostPrivateKey(readGostPrivateKey(key.privateKeyInfo));
        assert.deepEqual([...rewritten], [...key.privateKeyInfo], file);
        // AlgorithmIdentifier { key OID, SEQUENCE { curve, Streebog-512 } }.
        const cert = parseCertificate(key.certificate);
        const theirs = cert.subjectPublicKeyInfo.algorithm.toSchema().toBER();
        assert.deepEqual(
          Buffer.from(gostKeyAlgorithm().toBER()),
          Buffer.from(theirs),
          file,
        );
      }
    });
  });

  describe("Kalkan's CMS signatures", () => {
    it('both signers of the attached two-signer CMS verify (GOST, then RSA)', async () => {
      const report = await verifyCms({ cms: readPki('cms_attached_gost2015_and_rsa.der') });
      assert.equal(report.detached, false);
      assert.equal(new TextDecoder().decode(report.content!), 'test123');
      assert.deepEqual(
        report.signers.map((s) => [s.certificate?.algorithmName, s.signatureValid]),
        [['ГОСТ 34.10-2015 512', true], ['RSA 2048', true]],
      );
      assert.equal(await allSignersGood(readPki('cms_attached_gost2015_and_rsa.der')), true);
    });

    it('both signers of the detached CMS verify with the content "test123"', async () => {
      const cms = readPki('cms_detached_two_signers.der');
      const report = await verifyCms({ cms, content: utf8('test123') });
      assert.equal(report.detached, true);
      assert.deepEqual(report.signers.map((s) => s.signatureValid), [true, true]);
      assert.equal(await allSignersGood(cms, utf8('test123')), true);
      const wrong = await verifyCms({ cms, content: utf8('test124') });
      assert.deepEqual(wrong.signers.map((s) => s.signatureValid), [false, false]);
      assert.equal(wrong.signers[0]!.error?.code, 'SIGNATURE_INVALID');
      await assert.rejects(verifyCms({ cms }), (e: unknown) =>
        e instanceof VerifyError && e.code === 'CONTENT_MISMATCH');
    });

    it('refuses what is not a CMS, and a CMS over maxBytes, as SIGNATURE_MALFORMED', async () => {
      const malformed = (e: unknown) =>
        e instanceof VerifyError && e.code === 'SIGNATURE_MALFORMED';
      await assert.rejects(verifyCms({ cms: utf8('not a signature') }), malformed);
      await assert.rejects(verifyCms({ cms: root }), malformed);
      await assert.rejects(
        verifyCms({ cms: readPki('cms_attached_gost2015_and_rsa.der'), maxBytes: 1000 }),
        malformed,
      );
    });

    it('reports trust: valid only with an anchor, at a time inside the certificate', async () => {
      const cms = readPki('cms_attached_gost2015_and_rsa.der');
      const untrusted = await verifyCms({ cms, time: new Date('2022-10-01T00:00:00Z') });
      assert.equal(untrusted.signers[0]!.chainValid, null);
      assert.equal(untrusted.valid, false);
      const now = await verifyCms({ cms, trustAnchors: [root] });
      assert.equal(now.signers[0]!.timeValid, false);
      assert.equal(now.signers[0]!.error?.code, 'CERT_EXPIRED');
      // Kalkan's CMS carries only the signers' certificates: the issuing
      // CA comes from the caller.
      const then = await verifyCms({
        cms, trustAnchors: [root], intermediates: [issuing],
        time: new Date('2022-10-01T00:00:00Z'),
      });
      assert.equal(then.signers[0]!.valid, true);
      assert.equal(then.signers[0]!.certificate?.iin, '123456789012');
      assert.equal(then.signers[1]!.chainValid, false);
    });
  });

  describe('one flipped bit anywhere fails verification', () => {
    it('in the root and the issuing CA certificates', async () => {
      await assertEveryFlipFails('root', root, (c) => verifyCertificateSignature(c, c), 120);
      await assertEveryFlipFails('issuing CA', issuing, (c) => verifyCertificateSignature(c, root), 120);
    });

    it('in the certificates of both key files', async () => {
      for (const { file } of GOST_KEY_FILES) {
        await assertEveryFlipFails(file, keys.get(file)!.certificate,
          (c) => verifyCertificateSignature(c, issuing), 100);
      }
    });

    it('in both CRLs', async () => {
      for (const file of ['nca_gost_2022_test.crl', 'nca_gost_2022_test_delta.crl']) {
        await assertEveryFlipFails(file, readPki(file), (c) => verifyCrlSignature(c, issuing), 100);
      }
    });

    it("in both of Kalkan's two-signer CMS files", async () => {
      await assertEveryFlipFails('attached CMS', readPki('cms_attached_gost2015_and_rsa.der'),
        (c) => allSignersGood(c), 80);
      await assertEveryFlipFails('detached CMS', readPki('cms_detached_two_signers.der'),
        (c) => allSignersGood(c, utf8('test123')), 80);
    });
  });

  describe('signing with a GOST key file', () => {
    it('makes a CMS shaped like Kalkan\'s GOST signer, field by field', async () => {
      const key = keys.get('gost2015_individual_valid.p12')!;
      const ours = await signCms(utf8('test123'), key, {
        signingTime: new Date('2026-06-01T10:00:00Z'),
      });
      const kalkan = readPki('cms_attached_gost2015_and_rsa.der');
      const outline = (der: Uint8Array, signerIndex: number) => {
        const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
        const s = new pkijs.SignedData({ schema: info.content });
        const signer = s.signerInfos[signerIndex]!;
        const params = (a: pkijs.AlgorithmIdentifier) =>
          a.algorithmParams?.constructor.name;
        return {
          version: s.version,
          digest: signer.digestAlgorithm.algorithmId,
          digestParams: params(signer.digestAlgorithm),
          listedDigest: s.digestAlgorithms.some(
            (a) => a.algorithmId === signer.digestAlgorithm.algorithmId &&
              params(a) === 'Null'),
          contentType: s.encapContentInfo.eContentType,
          content: Buffer.from(s.encapContentInfo.eContent!.getValue()).toString(),
          signerVersion: signer.version,
          sid: signer.sid.constructor.name,
          attributes: signer.signedAttrs?.attributes.map((a) => a.type),
          messageDigestLength: (signer.signedAttrs!.attributes
            .find((a) => a.type === '1.2.840.113549.1.9.4')!
            .values[0] as asn1js.OctetString).valueBlock.valueHexView.length,
          signature: signer.signatureAlgorithm.algorithmId,
          signatureParams: params(signer.signatureAlgorithm),
          signatureLength: signer.signature.valueBlock.valueHexView.length,
          signatureTag: signer.signature.idBlock.tagNumber,
          unsigned: signer.unsignedAttrs,
        };
      };
      assert.deepEqual(outline(ours, 0), outline(kalkan, 0));
      // The digest is Streebog-512 of the content, in stream order, as in
      // Kalkan's attribute.
      const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(kalkan).result });
      const kalkanSigner = new pkijs.SignedData({ schema: info.content }).signerInfos[0]!;
      const kalkanDigest = (kalkanSigner.signedAttrs!.attributes
        .find((a) => a.type === '1.2.840.113549.1.9.4')!.values[0] as asn1js.OctetString)
        .valueBlock.valueHexView;
      assert.deepEqual([...kalkanDigest], [...streebog512(utf8('test123'))]);
      assert.equal(await checkCmsSignature(ours), true);
    });

    it('is accepted by verifyLoginSignature against NCA\'s real chain, today', async () => {
      const ring = await openKeys(readPki('gost2015_individual_valid.p12'), 'Qwerty12');
      assert.equal(ring.choices[0]!.info.algorithmName, 'ГОСТ 34.10-2015 512');
      const challenge = utf8('qoltanba login https://portal.example.kz nonce');
      const signature = await ring.sign(ring.choices[0]!.id, challenge);
      const login = await verifyLoginSignature({
        signature,
        expectedContent: challenge,
        trustAnchors: [root, issuing],
        acceptTestIins: true,
      });
      assert.equal(login.iin, '123456789011');
      assert.equal(login.certificate.purpose, 'both');
      const report = await verifyCms({
        cms: signature, trustAnchors: [root], intermediates: [issuing],
      });
      assert.equal(report.valid, true);
      ring.dispose();
    });

    it('the expired GOST key signs, and login refuses it as expired', async () => {
      const key = keys.get('gost2015_individual_2022.p12')!;
      const challenge = utf8('challenge');
      const der = await signCms(challenge, key);
      await assert.rejects(
        verifyLoginSignature({
          signature: der, expectedContent: challenge,
          trustAnchors: [issuing], acceptTestIins: true,
        }),
        (e: unknown) => e instanceof VerifyError && e.code === 'CERT_EXPIRED',
      );
    });
  });

  describe('GOST 34.310-2004', () => {
    /** A key file as NCA wrote them for the old standard. */
    async function gost2004KeyFile(): Promise<Uint8Array> {
      const pem = fromPem(readFileSync(PKI + 'nca_gost2004_test.crt', 'utf8'))!;
      const privateKeyInfo = new asn1js.Sequence({
        value: [
          new asn1js.Integer({ value: 0 }),
          new asn1js.Sequence({
            value: [new asn1js.ObjectIdentifier({ value: '1.2.398.3.10.1.1.1.1' })],
          }),
          new asn1js.OctetString({
            valueHex: new asn1js.OctetString({
              valueHex: crypto.getRandomValues(new Uint8Array(32)).buffer,
            }).toBER(),
          }),
        ],
      }).toBER();
      return writeNcaKeyFile({
        privateKeyInfo: new Uint8Array(privateKeyInfo),
        certificate: pem.bytes,
        password: 'Qwerty12',
      });
    }

    it('a key file opens to UNSUPPORTED_KEY with the NCALayer advice, not a crash', async () => {
      const file = await gost2004KeyFile();
      await assert.rejects(openKeys(file, 'Qwerty12'), (e: unknown) => {
        assert.ok(e instanceof KeyFileError, String(e));
        assert.equal(e.code, 'UNSUPPORTED_KEY');
        assert.match(e.message, /NCALayer/);
        assert.equal(e.detail, '1.2.398.3.10.1.1.1.1');
        return true;
      });
      // A wrong password is still a wrong password.
      await assert.rejects(openKeys(file, 'Wrong123'), (e: unknown) =>
        e instanceof KeyFileError && e.code === 'WRONG_PASSWORD');
    });

    it('signCms refuses such a key with UNSUPPORTED_KEY', async () => {
      const opened = await openKeyFile(await gost2004KeyFile(), 'Qwerty12');
      await assert.rejects(signCms(utf8('x'), opened.keys[0]!), (e: unknown) =>
        e instanceof KeyFileError && e.code === 'UNSUPPORTED_KEY');
    });

    it('the verifier answers ALGORITHM_UNSUPPORTED for a 2004 signer', async () => {
      // Kalkan's GOST signer with its algorithms renamed to the 2004 OIDs.
      const hex = Buffer.from(readPki('cms_attached_gost2015_and_rsa.der')).toString('hex')
        .replaceAll('060a2a830e030a0101020302', '060a2a830e030a0101010202')
        .replaceAll('06082a830e030a010303', '06082a830e030a010301');
      const report = await verifyCms({ cms: new Uint8Array(Buffer.from(hex, 'hex')) });
      assert.equal(report.signers[0]!.error?.code, 'ALGORITHM_UNSUPPORTED');
      assert.equal(report.signers[1]!.signatureValid, true);
    });
  });
});

// Debian's GOST engine for OpenSSL checks the same signatures with
// independent code, once the 128 signature bytes are reversed (TC26
// order) and NCA's OIDs are read as TC26's.
const ENGINE = spawnSync('openssl', ['engine', 'gost'], { encoding: 'utf8' });
const noEngine =
  ENGINE.status === 0 ? false : 'libengine-gost-openssl is not installed';

describe('independent check with the OpenSSL GOST engine', { skip: noPki || noEngine }, () => {
  it('verifies our GOST signature and NCA\'s certificate signatures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qoltanba-gost-'));
    try {
      const opened = await openKeyFile(readPki('gost2015_individual_valid.p12'), 'Qwerty12');
      const key = readGostPrivateKey(opened.keys[0]!.privateKeyInfo);
      const cases: Array<{ data: Uint8Array; sig: Uint8Array; cert: Uint8Array }> = [];
      const { gostSignData } = await import('../../src/crypto/gost/nca-gost.js');
      const data = utf8('independent check');
      cases.push({ data, sig: gostSignData(key, data), cert: opened.keys[0]!.certificate });
      const rootCert = parseCertificate(readPki('root_gost_2022_test.cer'));
      cases.push({
        data: new Uint8Array(rootCert.tbsView),
        sig: rootCert.signatureValue.valueBlock.valueHexView,
        cert: readPki('root_gost_2022_test.cer'),
      });
      for (const [i, c] of cases.entries()) {
        const pub = parseCertificate(c.cert).subjectPublicKeyInfo.subjectPublicKey
          .valueBlock.valueHexView;
        // A TC26 SubjectPublicKeyInfo for the same key: GOST 2012 512,
        // paramSetA, Streebog-512 (RFC 9215 layout).
        const spki = new asn1js.Sequence({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: '1.2.643.7.1.1.1.2' }),
                new asn1js.Sequence({
                  value: [new asn1js.ObjectIdentifier({ value: '1.2.643.7.1.2.1.2.1' })],
                }),
              ],
            }),
            new asn1js.BitString({ valueHex: pub.slice().buffer }),
          ],
        }).toBER();
        writeFileSync(join(dir, `pub${i}.der`), new Uint8Array(spki));
        writeFileSync(join(dir, `data${i}`), c.data);
        const engineVerifies = (signature: Uint8Array) => {
          writeFileSync(join(dir, `sig${i}`), signature);
          const result = spawnSync('openssl', [
            'dgst', '-engine', 'gost', '-md_gost12_512', '-keyform', 'DER',
            '-verify', join(dir, `pub${i}.der`), '-signature', join(dir, `sig${i}`),
            join(dir, `data${i}`),
          ], { encoding: 'utf8' });
          return /Verified OK/.test(result.stdout);
        };
        assert.equal(engineVerifies(c.sig.slice().reverse()), true, `case ${i}`);
        const bad = c.sig.slice().reverse();
        bad[5]! ^= 1;
        assert.equal(engineVerifies(bad), false, `case ${i}, damaged`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
