import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import { describeCertificate } from '../../src/crypto/certificate-info.js';
import {
  verifyCertificateSignature,
  verifyLoginSignature,
  VerifyError,
} from '../../src/crypto/cms-verify.js';
import { parseCertificate } from '../../src/crypto/cms-verify.js';
import type { ApiErrorCode } from '../../src/api/protocol.js';

const CHALLENGE = new TextEncoder().encode('qoltanba demo login');

describe('ensureDemoPki', () => {
  let dir: string;
  let pki: DemoPki;
  let generateMs: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qoltanba-demo-pki-'));
    const t0 = performance.now();
    pki = await ensureDemoPki(dir);
    generateMs = performance.now() - t0;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates both CA pairs and the four demo key files quickly', (t) => {
    t.diagnostic(`generated in ${generateMs.toFixed(0)} ms`);
    assert.ok(generateMs < 20_000, `generation took ${generateMs} ms`);
    assert.equal(pki.password, 'Demo2026');
    assert.deepEqual(
      pki.people.map((p) => [p.iin, p.kind, p.algorithm]),
      [
        ['900625400121', 'auth', 'gost'],
        ['850115300011', 'auth', 'rsa'],
        ['850115300011', 'sign', 'rsa'],
        ['900625400121', 'expired-auth', 'gost'],
      ],
    );
    for (const person of pki.people) {
      assert.ok(isAbsolute(person.keyFile), person.keyFile);
      assert.ok(existsSync(person.keyFile), person.keyFile);
      // NCA's file names for each kind of key.
      assert.match(
        basename(person.keyFile),
        person.algorithm === 'gost'
          ? /^GOST512_[0-9a-f]{40}\.p12$/
          : /^(AUTH_)?RSA256_[0-9a-f]{40}\.p12$/,
      );
    }
    // Whose file is whose shows in the folder name.
    assert.match(dirname(pki.people[0]!.keyFile), /aigerim-sadykova$/);
    assert.match(dirname(pki.people[1]!.keyFile), /erlan-zhandosov$/);
    assert.match(dirname(pki.people[3]!.keyFile), /aigerim-sadykova-expired$/);
    assert.deepEqual(readFileSync(join(dir, 'root-ca.cer')), Buffer.from(pki.rootCertificate));
    assert.deepEqual(
      readFileSync(join(dir, 'issuing-ca.cer')),
      Buffer.from(pki.issuingCertificate),
    );
    assert.deepEqual(
      readFileSync(join(dir, 'rsa-issuing-ca.cer')),
      Buffer.from(pki.rsaIssuingCertificate),
    );
    assert.match(readFileSync(join(dir, 'README.txt'), 'utf8'), /Demo2026/);
  });

  it('names the CAs as specified, with proper CA extensions', () => {
    const cas = [
      ['GOST', pki.rootCertificate, pki.issuingCertificate, 'ГОСТ 34.10-2015 512'],
      ['RSA', pki.rsaRootCertificate, pki.rsaIssuingCertificate, 'RSA 2048'],
    ] as const;
    for (const [kind, rootDer, issuingDer, algorithm] of cas) {
      const root = describeCertificate(rootDer);
      const issuing = describeCertificate(issuingDer);
      assert.equal(root.commonName, `НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (${kind}) DEMO`);
      assert.equal(root.issuerCommonName, root.commonName);
      assert.equal(issuing.commonName, `ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (${kind}) DEMO`);
      assert.equal(issuing.issuerCommonName, root.commonName);
      for (const ca of [root, issuing]) {
        assert.deepEqual(ca.keyUsage, ['keyCertSign', 'cRLSign']);
        assert.match(ca.subjectDn, /C=KZ$/);
        assert.equal(ca.algorithmName, algorithm);
      }
    }
  });

  it('signs the GOST chain with GOST, in NCA\'s layout', async () => {
    assert.equal(
      await verifyCertificateSignature(pki.rootCertificate, pki.rootCertificate),
      true,
    );
    assert.equal(
      await verifyCertificateSignature(pki.issuingCertificate, pki.rootCertificate),
      true,
    );
    const cert = parseCertificate(pki.issuingCertificate);
    assert.equal(cert.signatureAlgorithm.algorithmId, '1.2.398.3.10.1.1.2.3.2');
    assert.equal(cert.signatureValue.valueBlock.valueHexView.length, 128);
  });

  it('writes key files that open with the password, in NCA layout', async () => {
    for (const person of pki.people) {
      const opened = await openKeyFile(
        new Uint8Array(readFileSync(person.keyFile)),
        pki.password,
      );
      assert.equal(opened.keys.length, 1);
      const info = describeCertificate(opened.keys[0]!.certificate);
      assert.equal(info.iin, person.iin);
      assert.equal(info.fullName, person.fullName);
      const gost = person.algorithm === 'gost';
      assert.equal(info.algorithmName, gost ? 'ГОСТ 34.10-2015 512' : 'RSA 2048');
      assert.equal(
        info.issuerCommonName,
        `ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (${gost ? 'GOST' : 'RSA'}) DEMO`,
      );
      assert.equal(info.holder, 'individual');
      assert.match(info.subjectDn, /^CN=[^,]+, SURNAME=[^,]+, SERIALNUMBER=IIN\d{12}, C=KZ, GIVENNAME=/);
      // domain.md §3: each kind of NCA key, its purpose and policy.
      const expected = gost
        ? ['both', '1.2.398.3.3.2']
        : person.kind === 'sign'
          ? ['sign', '1.2.398.3.3.2.3']
          : ['auth', '1.2.398.3.3.2.4'];
      assert.deepEqual([info.purpose, ...info.policies], expected);
    }
    const aigerim = pki.people[0]!;
    assert.equal(aigerim.fullName, 'САДЫҚОВА АЙГЕРІМ МАРАТҚЫЗЫ');
    assert.equal(pki.people[1]!.fullName, 'ЖАНДОСОВ ЕРЛАН САҒАТҰЛЫ');
  });

  async function login(keyFile: string) {
    const opened = await openKeyFile(new Uint8Array(readFileSync(keyFile)), pki.password);
    const signature = await signCms(CHALLENGE, opened.keys[0]!);
    // Real IIN checks: no test mode.
    return verifyLoginSignature({
      signature,
      expectedContent: CHALLENGE,
      trustAnchors: pki.trustAnchors,
    });
  }

  async function refused(keyFile: string, code: ApiErrorCode) {
    await assert.rejects(login(keyFile), (error: unknown) => {
      assert.ok(error instanceof VerifyError, String(error));
      assert.equal(error.code, code, error.message);
      return true;
    });
  }

  it('logs in with each valid AUTH key', async () => {
    for (const person of pki.people.filter((p) => p.kind === 'auth')) {
      const result = await login(person.keyFile);
      assert.equal(result.iin, person.iin);
      assert.equal(result.fullName, person.fullName);
    }
  });

  it('also chains to the root alone, with the issuing CA as intermediate', async () => {
    const person = pki.people[0]!;
    const opened = await openKeyFile(new Uint8Array(readFileSync(person.keyFile)), pki.password);
    const result = await verifyLoginSignature({
      signature: await signCms(CHALLENGE, opened.keys[0]!),
      expectedContent: CHALLENGE,
      trustAnchors: [pki.rootCertificate],
      intermediates: [pki.issuingCertificate],
    });
    assert.equal(result.iin, person.iin);
  });

  it('refuses the SIGN key and the expired key', async () => {
    const sign = pki.people.find((p) => p.kind === 'sign')!;
    const expired = pki.people.find((p) => p.kind === 'expired-auth')!;
    await refused(sign.keyFile, 'CERT_WRONG_PURPOSE');
    await refused(expired.keyFile, 'CERT_EXPIRED');
  });

  it('loads the PKI on a second call instead of generating a new one', async () => {
    const mtimes = pki.people.map((p) => statSync(p.keyFile).mtimeMs);
    const t0 = performance.now();
    const again = await ensureDemoPki(dir);
    const loadMs = performance.now() - t0;
    assert.ok(loadMs < 500, `loading took ${loadMs} ms`);
    assert.deepEqual(again.rootCertificate, pki.rootCertificate);
    assert.deepEqual(again.issuingCertificate, pki.issuingCertificate);
    assert.deepEqual(again.rsaRootCertificate, pki.rsaRootCertificate);
    assert.deepEqual(again.people, pki.people);
    assert.deepEqual(again.people.map((p) => statSync(p.keyFile).mtimeMs), mtimes);
  });
});
