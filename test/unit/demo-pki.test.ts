import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import { describeCertificate } from '../../src/crypto/certificate-info.js';
import { verifyLoginSignature, VerifyError } from '../../src/crypto/cms-verify.js';
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

  it('generates the CAs and the four demo key files quickly', (t) => {
    t.diagnostic(`generated in ${generateMs.toFixed(0)} ms`);
    assert.ok(generateMs < 20_000, `generation took ${generateMs} ms`);
    assert.equal(pki.password, 'Demo2026');
    assert.deepEqual(
      pki.people.map((p) => [p.iin, p.kind]),
      [
        ['900625400121', 'auth'],
        ['850115300011', 'auth'],
        ['850115300011', 'sign'],
        ['900625400121', 'expired-auth'],
      ],
    );
    for (const person of pki.people) {
      assert.ok(isAbsolute(person.keyFile), person.keyFile);
      assert.ok(existsSync(person.keyFile), person.keyFile);
      assert.match(basename(person.keyFile), /^(AUTH_)?RSA256_[0-9a-f]{40}\.p12$/);
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
    assert.match(readFileSync(join(dir, 'README.txt'), 'utf8'), /Demo2026/);
  });

  it('names the CAs as specified, with proper CA extensions', () => {
    const root = describeCertificate(pki.rootCertificate);
    const issuing = describeCertificate(pki.issuingCertificate);
    assert.equal(root.commonName, 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO');
    assert.equal(root.issuerCommonName, root.commonName);
    assert.equal(issuing.commonName, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO');
    assert.equal(issuing.issuerCommonName, root.commonName);
    for (const ca of [root, issuing]) {
      assert.deepEqual(ca.keyUsage, ['keyCertSign', 'cRLSign']);
      assert.match(ca.subjectDn, /C=KZ$/);
    }
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
      assert.equal(info.algorithmName, 'RSA 2048');
      assert.equal(info.issuerCommonName, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO');
      assert.equal(info.holder, 'individual');
      assert.match(info.subjectDn, /^CN=[^,]+, SURNAME=[^,]+, SERIALNUMBER=IIN\d{12}, C=KZ, GIVENNAME=/);
      assert.equal(info.purpose, person.kind === 'sign' ? 'sign' : 'auth');
      assert.deepEqual(
        info.policies,
        [person.kind === 'sign' ? '1.2.398.3.3.2.3' : '1.2.398.3.3.2.4'],
      );
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
    assert.deepEqual(again.people, pki.people);
    assert.deepEqual(again.people.map((p) => statSync(p.keyFile).mtimeMs), mtimes);
  });
});
