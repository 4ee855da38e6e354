import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
import {
  parseCrl,
  RevocationChecker,
} from '../../src/crypto/revocation/index.js';
import {
  distributionPointUrls,
  REVOCATION_EXT,
} from '../../src/crypto/revocation/sources.js';

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

  it('generates both CA pairs and the five demo key files quickly', (t) => {
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
        ['900625400121', 'revoked-auth', 'gost'],
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
    assert.match(dirname(pki.people[4]!.keyFile), /aigerim-sadykova-revoked$/);
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

  async function login(keyFile: string, revocation?: RevocationChecker) {
    const opened = await openKeyFile(new Uint8Array(readFileSync(keyFile)), pki.password);
    const signature = await signCms(CHALLENGE, opened.keys[0]!);
    // Real IIN checks: no test mode.
    return verifyLoginSignature({
      signature,
      expectedContent: CHALLENGE,
      trustAnchors: pki.trustAnchors,
      ...(revocation ? { revocation } : {}),
    });
  }

  async function refused(
    keyFile: string,
    code: ApiErrorCode,
    revocation?: RevocationChecker,
  ) {
    await assert.rejects(login(keyFile, revocation), (error: unknown) => {
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

  it('names the CRL in every key; the CRL lists the revoked key', async () => {
    const crls = await pki.currentCrls();
    assert.deepEqual(
      crls.map((c) => c.name),
      ['gost-issuing-ca.crl', 'rsa-issuing-ca.crl'],
    );
    assert.equal(pki.crlBaseUrl, 'http://localhost:8080/demo-pki/');
    for (const person of pki.people) {
      const opened = await openKeyFile(
        new Uint8Array(readFileSync(person.keyFile)),
        pki.password,
      );
      const cert = parseCertificate(opened.keys[0]!.certificate);
      assert.deepEqual(
        distributionPointUrls(cert, REVOCATION_EXT.crlDistributionPoints),
        [`${pki.crlBaseUrl}${person.algorithm}-issuing-ca.crl`],
      );
    }
    const gost = parseCrl(crls[0]!.der)!;
    const rsa = parseCrl(crls[1]!.der)!;
    assert.equal(gost.list.revokedCertificates?.length, 1);
    assert.equal(rsa.list.revokedCertificates, undefined);
    // Signed with the CA's own algorithm, as NCA's GOST CRLs are.
    const algorithm = gost.list.signatureAlgorithm.algorithmId;
    assert.equal(algorithm, '1.2.398.3.10.1.1.2.3.2');
    assert.ok(gost.nextUpdate!.getTime() > Date.now() + 6 * 24 * 3600_000);
    for (const crl of crls) {
      assert.deepEqual(
        readFileSync(join(dir, 'crl', crl.name)),
        Buffer.from(crl.der),
      );
    }
  });

  it('with its CRLs, refuses the revoked key (CERT_REVOKED) only', async () => {
    // The demo server's default: OCSP first (the demo names none), then
    // the CRLs it was given; never the network.
    const revocation = new RevocationChecker({
      mode: 'ocsp-then-crl',
      crls: (await pki.currentCrls()).map((c) => c.der),
      fetch: () => Promise.reject(new Error('no network in this test')),
    });
    for (const person of pki.people.filter((p) => p.kind === 'auth')) {
      assert.equal((await login(person.keyFile, revocation)).iin, person.iin);
    }
    const revoked = pki.people.find((p) => p.kind === 'revoked-auth')!;
    await refused(revoked.keyFile, 'CERT_REVOKED', revocation);
    // Without revocation checks, it is a valid key like any other.
    assert.equal((await login(revoked.keyFile)).iin, revoked.iin);
  });

  it('answers OCSP: revoked, good, and malformed input', async () => {
    const urls: string[] = [];
    const revocation = new RevocationChecker({
      mode: 'ocsp',
      fetch: async (url, init) => {
        urls.push(url);
        const answer = await pki.answerOcsp(init.body!);
        return new Response(new Uint8Array(answer));
      },
    });
    for (const person of pki.people.filter((p) => p.kind === 'auth')) {
      assert.equal((await login(person.keyFile, revocation)).iin, person.iin);
    }
    const revoked = pki.people.find((p) => p.kind === 'revoked-auth')!;
    await refused(revoked.keyFile, 'CERT_REVOKED', revocation);
    assert.ok(urls.every((u) => u === `${pki.crlBaseUrl}ocsp`), urls.join());
    // Not an OCSP request: an OCSPResponse with malformedRequest (1).
    for (const junk of [new Uint8Array(0), new Uint8Array([0x30, 0x03, 1])]) {
      const answer = [...(await pki.answerOcsp(junk))];
      assert.deepEqual(answer, [0x30, 0x03, 0x0a, 0x01, 0x01]);
    }
  });

  it('signs its CRLs anew once a day old, with a higher number', async () => {
    const first = (await pki.currentCrls())[0]!;
    const same = (await pki.currentCrls(new Date(Date.now() + 3600_000)))[0]!;
    assert.equal(same.der, first.der);
    const later = new Date(Date.now() + 25 * 3600_000);
    const next = (await pki.currentCrls(later))[0]!;
    assert.ok(next.thisUpdate > first.thisUpdate);
    assert.ok(parseCrl(next.der)!.number! > parseCrl(first.der)!.number!);
  });
});

describe('a demo PKI folder from an older version', () => {
  let dir: string;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated anew with CA keys, and the log says why', async () => {
    dir = mkdtempSync(join(tmpdir(), 'qoltanba-demo-pki-old-'));
    // What version 2 left: a manifest, CA certificates, key files, and
    // no CA keys.
    mkdirSync(join(dir, 'keys', 'aigerim-sadykova'), { recursive: true });
    const oldKey = join(dir, 'keys', 'aigerim-sadykova', 'GOST512_old.p12');
    writeFileSync(oldKey, 'x');
    writeFileSync(
      join(dir, 'demo-pki.json'),
      JSON.stringify({ version: 2, password: 'Demo2026', people: [] }),
    );
    const lines: string[] = [];
    const pki = await ensureDemoPki(dir, {
      publicOrigin: 'http://localhost:3000',
      log: (line) => lines.push(line),
    });
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /older version \(2/);
    assert.match(lines[0]!, /generating a new demo PKI/);
    assert.equal(pki.people.length, 5);
    assert.ok(!existsSync(oldKey));
    assert.ok(existsSync(join(dir, 'ca-keys', 'gost-issuing-ca.p8')));
    assert.equal(pki.crlBaseUrl, 'http://localhost:3000/demo-pki/');
    assert.equal(
      JSON.parse(readFileSync(join(dir, 'demo-pki.json'), 'utf8')).version,
      3,
    );

    // Loaded again for another port: kept, and the log says the URL differs.
    const again = await ensureDemoPki(dir, {
      publicOrigin: 'http://localhost:8080',
      log: (line) => lines.push(line),
    });
    assert.deepEqual(again.people, pki.people);
    assert.match(lines[1]!, /localhost:3000.*not at this server's/);
  });
});
