/**
 * Login with the eGov mobile app, against the real routes: a browser
 * starts a QR login and polls, a simulated phone follows API-1 and API-2
 * and PUTs the signed document. Then each refusal: an expired session, a
 * wrong token, a key the portal does not trust, a tampered document, a
 * second PUT, and a poll from another browser.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import { readFile } from 'node:fs/promises';
import { fromBase64, toBase64 } from '../../src/crypto/pem.js';
import { phoneSigns, PhoneError } from '../support/egov-phone.js';
import {
  type Client,
  codeOf,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

const LIFETIME_MS = 5 * 60 * 1000;

let server: TestServer;
let sign: (content: Uint8Array) => Promise<Uint8Array>;
let signUntrusted: (content: Uint8Array) => Promise<Uint8Array>;

async function signerOf(pki: DemoPki, iin: string) {
  const person = pki.people.find((p) => p.kind === 'auth' && p.iin === iin)!;
  const opened = await openKeyFile(
    new Uint8Array(await readFile(person.keyFile)),
    pki.password,
  );
  return (content: Uint8Array) => signCms(content, opened.keys[0]!);
}

before(async () => {
  const pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  const other = await ensureDemoPki(join(await tempDir('pki'), 'other'));
  sign = await signerOf(pki, '850115300011');
  signUntrusted = await signerOf(other, '850115300011');
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    challengeLifetimeMs: LIFETIME_MS,
  });
});

after(async () => {
  await server?.close();
});

/** The phone reaches the server where the test runs it. */
const reach = (url: string) => url.replace(server.origin, server.base);

async function startQr(client: Client) {
  const answer = await client.request('POST', '/api/auth/egov');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as { qr: string; deepLink: string; expiresAt: string };
}

const poll = (client: Client) =>
  client.request('POST', '/api/auth/egov/status');

describe('eGov mobile QR login', () => {
  test('the phone signs, and the browser that showed the QR logs in', async () => {
    const browser = server.client();
    const start = await startQr(browser);
    assert.match(start.qr, /^mobileSign:http:\/\/localhost:8080\/api\/egov\//);
    const api1Url = start.qr.slice('mobileSign:'.length);
    assert.equal(
      start.deepLink,
      `https://m.egov.kz/mobileSign?link=${encodeURIComponent(api1Url)}`,
    );
    assert.equal((await poll(browser)).body.status, 'pending');

    const result = await phoneSigns(start.qr, { sign, reach });
    assert.equal(result.status, 200);
    assert.deepEqual(result.api1.organisation, {
      nameKz: 'Qoltanba демо порталы',
      nameRu: 'Демо-портал Qoltanba',
      nameEn: 'Qoltanba demo portal',
      bin: '040540001230',
    });
    assert.equal(result.api1.document.auth_type, 'Token');
    assert.equal(result.api1.expiry_date, start.expiresAt);

    const done = await poll(browser);
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'done');
    assert.equal(done.body.user.iin, '850115300011');
    const me = await browser.request('GET', '/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.iin, '850115300011');
  });

  test('a second PUT of the same session is refused', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    assert.equal((await phoneSigns(qr, { sign, reach })).status, 200);
    await assert.rejects(phoneSigns(qr, { sign, reach }), (error) => {
      assert.ok(error instanceof PhoneError);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'CHALLENGE_USED');
      return true;
    });
  });

  test('an expired session refuses the phone and tells the browser', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    server.advance(LIFETIME_MS + 1000);
    await assert.rejects(phoneSigns(qr, { sign, reach }), (error) => {
      assert.ok(error instanceof PhoneError);
      assert.equal(error.step, 'API-1');
      assert.equal(error.status, 403);
      assert.equal(error.code, 'CHALLENGE_EXPIRED');
      return true;
    });
    assert.equal(codeOf(await poll(browser)), 'CHALLENGE_EXPIRED');
  });

  test('a wrong auth token gets 403 and leaves the session open', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    await assert.rejects(
      phoneSigns(qr, { sign, reach, token: 'A'.repeat(43) }),
      (error) => {
        assert.ok(error instanceof PhoneError);
        assert.equal(error.step, 'API-2');
        assert.equal(error.status, 403);
        return true;
      },
    );
    assert.equal((await poll(browser)).body.status, 'pending');
    assert.equal((await phoneSigns(qr, { sign, reach })).status, 200);
  });

  test('a document signed by a key the portal does not trust', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    const result = await phoneSigns(qr, { sign: signUntrusted, reach });
    assert.equal(result.status, 403);
    assert.equal(result.code, 'CERT_UNTRUSTED');
    const answer = await poll(browser);
    assert.equal(codeOf(answer), 'CERT_UNTRUSTED');
    assert.equal((await browser.request('GET', '/api/me')).status, 401);
  });

  test('a tampered document', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    const tamper = (content: Uint8Array) =>
      new TextEncoder().encode(
        new TextDecoder().decode(content).replace(/Nonce: \S+/, 'Nonce: x'),
      );
    const result = await phoneSigns(qr, { sign, reach, tamper });
    assert.equal(result.status, 403);
    assert.equal(result.code, 'CONTENT_MISMATCH');
    assert.equal(codeOf(await poll(browser)), 'CONTENT_MISMATCH');
  });

  test('only the browser that showed the QR can log in with it', async () => {
    const browser = server.client();
    const { qr } = await startQr(browser);
    assert.equal((await phoneSigns(qr, { sign, reach })).status, 200);
    const stranger = server.client();
    assert.equal(codeOf(await poll(stranger)), 'CHALLENGE_NOT_FOUND');
    const [id] = browser.cookies.get('qoltanba_egov')!.split('.');
    stranger.cookies.set('qoltanba_egov', `${id}.${'B'.repeat(43)}`);
    assert.equal(codeOf(await poll(stranger)), 'CHALLENGE_SESSION_MISMATCH');
    assert.equal((await poll(browser)).body.status, 'done');
  });

  test('the browser routes keep the CSRF guard', async () => {
    const browser = server.client();
    const answer = await browser.request('POST', '/api/auth/egov', {
      csrf: false,
    });
    assert.equal(codeOf(answer), 'CSRF_HEADER_MISSING');
  });
});

/**
 * Several server processes of one portal on one SQLite file, and a
 * restart: the signing session lives in the database, so any process can
 * serve any step, and its single use holds across them.
 */
describe('eGov signing sessions in the shared store', () => {
  let file: string;
  let first: TestServer;
  let second: TestServer;

  before(async () => {
    file = join(await tempDir('shared'), 'portal.sqlite');
    const pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
    sharedAnchors = pki.trustAnchors;
    sharedSign = await signerOf(pki, '850115300011');
    const options = { trustAnchors: sharedAnchors, databaseFile: file };
    first = await startServer(options);
    second = await startServer(options);
  });

  after(async () => {
    await first?.close();
    await second?.close();
  });

  test('started on one instance, completed through another', async () => {
    const browser = first.client();
    const { qr } = await startQr(browser);
    const viaSecond = (url: string) => url.replace(first.origin, second.base);
    const result = await phoneSigns(qr, {
      sign: sharedSign,
      reach: viaSecond,
    });
    assert.equal(result.status, 200, result.code);
    const sameBrowser = movedTo(browser, second);
    const done = await poll(sameBrowser);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.user.iin, '850115300011');
    // The first instance sees the same session, already used.
    assert.equal(codeOf(await poll(browser)), 'CHALLENGE_USED');
  });

  test('a restart between API-1 and the PUT', async () => {
    const before = await startServer({
      trustAnchors: sharedAnchors,
      databaseFile: file,
    });
    const browser = before.client();
    const { qr } = await startQr(browser);
    const api1 = await getJson(qr.slice('mobileSign:'.length), before);
    await before.close();

    const after = await startServer({
      trustAnchors: sharedAnchors,
      databaseFile: file,
    });
    try {
      const auth = { authorization: `Bearer ${api1.document.auth_token}` };
      const docUrl = api1.document.uri.replace(after.origin, after.base);
      const api2 = await (await fetch(docUrl, { headers: auth })).json();
      const put = await putSigned(docUrl, auth, api2);
      assert.equal(put.status, 200);
      const done = await poll(movedTo(browser, after));
      assert.equal(done.body.status, 'done', JSON.stringify(done.body));
      assert.equal(done.body.user.iin, '850115300011');
    } finally {
      await after.close();
    }
  });

  test('two PUTs at once, through two instances: one wins', async () => {
    const browser = first.client();
    const { qr } = await startQr(browser);
    const api1 = await getJson(qr.slice('mobileSign:'.length), first);
    const auth = { authorization: `Bearer ${api1.document.auth_token}` };
    const docUrl = (s: TestServer) =>
      api1.document.uri.replace(s.origin, s.base);
    const api2 = await (await fetch(docUrl(first), { headers: auth })).json();
    const puts = await Promise.all([
      putSigned(docUrl(first), auth, structuredClone(api2)),
      putSigned(docUrl(second), auth, structuredClone(api2)),
    ]);
    const statuses = puts.map((p) => p.status).sort();
    assert.deepEqual(statuses, [200, 403]);
    assert.equal(puts.find((p) => p.status === 403)!.code, 'CHALLENGE_USED');
    // The same cookie polled twice at once, through both: one login.
    const polls = await Promise.all([
      poll(browser),
      poll(movedTo(browser, second)),
    ]);
    const codes = polls.map((p) => p.body.status ?? codeOf(p)).sort();
    assert.deepEqual(codes, ['CHALLENGE_USED', 'done']);
  });

  test('expired sessions are deleted when a new one starts', async () => {
    const browser = first.client();
    await startQr(browser);
    const [id] = browser.cookies.get('qoltanba_egov')!.split('.');
    assert.ok(await first.store.findEgovSession(id!));
    // Past the lifetime and the hour of grace, on both clocks.
    first.advance(2 * 60 * 60 * 1000);
    await startQr(first.client());
    assert.equal(await first.store.findEgovSession(id!), null);
  });

  async function putSigned(
    url: string,
    auth: Record<string, string>,
    api2: any,
  ): Promise<{ status: number; code?: string }> {
    for (const doc of api2.documentsToSign) {
      const content = fromBase64(doc.document.file.data)!;
      doc.document.file.data = toBase64(await sharedSign(content));
    }
    const answer = await fetch(url, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(api2),
    });
    const body = (await answer.json()) as { code?: string };
    return { status: answer.status, code: body.code };
  }
});

let sharedAnchors: Uint8Array[];
let sharedSign: (content: Uint8Array) => Promise<Uint8Array>;

/** The browser's cookies, sent to another instance of the portal. */
function movedTo(browser: Client, target: TestServer): Client {
  const moved = target.client();
  for (const [name, value] of browser.cookies) moved.cookies.set(name, value);
  return moved;
}

async function getJson(url: string, target: TestServer): Promise<any> {
  const answer = await fetch(url.replace(target.origin, target.base));
  assert.equal(answer.status, 200);
  return answer.json();
}
