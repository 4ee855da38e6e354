/**
 * Demo mode checks revocation as production does: the demo server
 * publishes its CAs' CRLs at the URL the demo certificates name, and the
 * demo's revoked key is refused with CERT_REVOKED while the others log in.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import type { DemoInfo } from '../../server/routes/demo.js';
import {
  parseCrl,
  RevocationChecker,
} from '../../src/crypto/revocation/index.js';
import {
  codeOf,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

let pki: DemoPki;
/** Given the CRLs at start, as server/main.ts gives them. */
let server: TestServer;
/** Given none: it must download them from the certificates' URL. */
let downloading: TestServer;
let downloads: string[];

before(async () => {
  pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    demo: pki,
    revocation: new RevocationChecker({
      mode: 'ocsp-then-crl',
      crls: (await pki.currentCrls()).map((crl) => crl.der),
      fetch: () => Promise.reject(new Error('no network in this test')),
    }),
  });
  downloads = [];
  downloading = await startServer({
    trustAnchors: pki.trustAnchors,
    demo: pki,
    revocation: new RevocationChecker({
      mode: 'crl',
      // The certificates name http://localhost:8080/demo-pki/…; the test
      // server listens elsewhere.
      fetch: (url, init) => {
        downloads.push(url);
        return fetch(url.replace(server.origin, server.base), init);
      },
    }),
  });
});

after(async () => {
  await server?.close();
  await downloading?.close();
});

const keyOf = (kind: string, iin?: string) =>
  pki.people.find((p) => p.kind === kind && (!iin || p.iin === iin))!;

describe('demo CRLs', () => {
  test('served at the URL the certificates name, signed, fresh', async () => {
    for (const crl of await pki.currentCrls()) {
      assert.ok(`${pki.crlBaseUrl}${crl.name}`.startsWith(server.origin));
      const answer = await fetch(`${server.base}/demo-pki/${crl.name}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/pkix-crl');
      const der = new Uint8Array(await answer.arrayBuffer());
      assert.deepEqual(der, crl.der);
      const parsed = parseCrl(der)!;
      assert.ok(parsed.nextUpdate! > new Date());
    }
  });

  test('an unknown CRL name: NOT_FOUND 404, never a file', async () => {
    for (const name of ['nope.crl', '..%2Fdemo-pki.json', 'ca-keys']) {
      const answer = await server.client().request('GET', `/demo-pki/${name}`);
      assert.equal(answer.status, 404, name);
      assert.equal(codeOf(answer), 'NOT_FOUND');
    }
  });

  test('the revoked demo key: CERT_REVOKED; the others log in', async () => {
    for (const target of [server, downloading]) {
      const revoked = await Signer.open(
        keyOf('revoked-auth').keyFile,
        pki.password,
      );
      const refused = await target.client().loginWith(revoked);
      assert.equal(refused.status, 401, JSON.stringify(refused.body));
      assert.equal(codeOf(refused), 'CERT_REVOKED');
      for (const iin of ['900625400121', '850115300011']) {
        const key = await Signer.open(keyOf('auth', iin).keyFile, pki.password);
        const answer = await target.client().loginWith(key);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.user.iin, iin);
      }
    }
    // One download per CA, kept until the CRL's nextUpdate.
    assert.deepEqual(downloads.sort(), [
      `${pki.crlBaseUrl}gost-issuing-ca.crl`,
      `${pki.crlBaseUrl}rsa-issuing-ca.crl`,
    ]);
  });

  test('OCSP at the URL the certificates name, over HTTP', async () => {
    const asked: string[] = [];
    const ocspOnly = await startServer({
      trustAnchors: pki.trustAnchors,
      revocation: new RevocationChecker({
        mode: 'ocsp',
        fetch: (url, init) => {
          asked.push(url);
          return fetch(url.replace(server.origin, server.base), init);
        },
      }),
    });
    try {
      const revoked = await Signer.open(
        keyOf('revoked-auth').keyFile,
        pki.password,
      );
      const refused = await ocspOnly.client().loginWith(revoked);
      assert.equal(codeOf(refused), 'CERT_REVOKED');
      const good = await Signer.open(keyOf('auth').keyFile, pki.password);
      assert.equal((await ocspOnly.client().loginWith(good)).status, 200);
      assert.deepEqual(new Set(asked), new Set([`${pki.crlBaseUrl}ocsp`]));
    } finally {
      await ocspOnly.close();
    }
  });

  test('the OCSP route: no CSRF header, bad input typed answers', async () => {
    const post = (body: string | Uint8Array<ArrayBuffer>, type: string) =>
      fetch(`${server.base}/demo-pki/ocsp`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
    const OCSP = 'application/ocsp-request';
    const junk = await post(new Uint8Array([1, 2, 3]), OCSP);
    assert.equal(junk.status, 200);
    assert.equal(junk.headers.get('content-type'), 'application/ocsp-response');
    // OCSPResponse { responseStatus malformedRequest }
    assert.deepEqual(
      [...new Uint8Array(await junk.arrayBuffer())],
      [0x30, 0x03, 0x0a, 0x01, 0x01],
    );
    const json = await post('{"a":1}', 'application/json');
    assert.equal(json.status, 415);
    const body = (await json.json()) as { code: string };
    assert.equal(body.code, 'UNSUPPORTED_MEDIA_TYPE');
    const text = await post('x', 'text/plain');
    assert.equal(text.status, 415);
    const huge = await post(new Uint8Array(64 * 1024), OCSP);
    assert.equal(huge.status, 413);
    // The API keeps refusing the OCSP body type.
    const api = await server.client().request('POST', '/api/auth/login', {
      raw: 'x',
      contentType: 'application/ocsp-request',
    });
    assert.equal(codeOf(api), 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('the demo page learns of the revoked key and the checks', async () => {
    const answer = await server.client().request('GET', '/api/demo/info');
    const info = answer.body as DemoInfo;
    assert.equal(info.revocationChecked, true);
    const revoked = info.keys.find((k) => k.kind === 'revoked-auth');
    assert.ok(revoked, 'the revoked key is listed');
    assert.match(revoked.path, /aigerim-sadykova-revoked\/GOST512_\w+\.p12$/);
  });
});
