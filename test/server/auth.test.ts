/**
 * Login: the challenge, its binding to the browser, single use, expiry, and
 * the verifier's answers as the HTTP client sees them. Real server, real
 * SQLite file, real key files and CMS.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NCA_TEST_IINS } from '../../src/core/iin.js';
import { RevocationChecker } from '../../src/crypto/revocation/index.js';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import {
  codeOf,
  NCA_DIR,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

const ORIGIN = 'http://localhost:8080';
const CHALLENGE_LIFETIME_MS = 50;

let pki: DemoPki;
let server: TestServer;
let aigerim: Signer;

function personKey(kind: string, iin = '900625400121') {
  const person = pki.people.find((p) => p.kind === kind && p.iin === iin);
  assert.ok(person, `demo PKI has a ${kind} key for ${iin}`);
  return Signer.open(person.keyFile, pki.password);
}

before(async () => {
  pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  aigerim = await personKey('auth');
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    challengeLifetimeMs: CHALLENGE_LIFETIME_MS,
    allowedOrigins: [ORIGIN],
  });
});

after(async () => {
  await server?.close();
});

describe('POST /auth/challenge', () => {
  test('names the origin and carries at least 32 random bytes', async () => {
    const client = server.client();
    const answer = await client.request('POST', '/api/auth/challenge', {
      headers: { origin: ORIGIN },
    });
    assert.equal(answer.status, 200);
    const lines = (answer.body.challenge as string).split('\n');
    assert.equal(lines[0], 'Qoltanba login');
    assert.equal(lines[1], `Origin: ${ORIGIN}`);
    const nonce = /^Nonce: ([A-Za-z0-9_-]+)$/.exec(lines[2]!)?.[1];
    assert.ok(nonce, 'a base64url nonce line');
    assert.ok(Buffer.from(nonce, 'base64url').length >= 32);
    assert.match(lines[3]!, /^Issued: \d{4}-\d\d-\d\dT/);
    assert.ok(Date.parse(answer.body.expiresAt) > Date.parse(lines[3]!.slice(8)));

    const cookie = answer.headers.getSetCookie().join('\n');
    assert.match(cookie, /qoltanba_login=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\/api/);
  });

  test('names the configured origin when the request has none', async () => {
    const text = await server.client().challenge();
    assert.match(text, /\nOrigin: http:\/\/localhost:8080\n/);
  });

  test('gives a new nonce every time', async () => {
    const client = server.client();
    const first = await client.challenge();
    const second = await client.challenge();
    assert.notEqual(first, second);
  });
});

describe('POST /auth/login with the demo PKI', () => {
  test('logs in and sets an HttpOnly session cookie', async () => {
    const client = server.client();
    const answer = await client.loginWith(aigerim);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.user.iin, '900625400121');
    assert.equal(answer.body.user.fullName, 'САДЫҚОВА АЙГЕРІМ МАРАТҚЫЗЫ');
    assert.ok(client.cookies.has('qoltanba_session'));
    assert.ok(!client.cookies.has('qoltanba_login'), 'pre-login cookie gone');
    const cookie = answer.headers
      .getSetCookie()
      .find((c) => c.startsWith('qoltanba_session='));
    assert.match(cookie!, /HttpOnly/i);
    const me = await client.request('GET', '/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.iin, '900625400121');
  });

  test('a replayed challenge is refused with CHALLENGE_USED', async () => {
    const client = server.client();
    const signature = await aigerim.sign(await client.challenge());
    const pending = client.cookies.get('qoltanba_login')!;
    assert.equal((await client.login(signature)).status, 200);
    client.cookies.set('qoltanba_login', pending);
    const replay = await client.login(signature);
    assert.equal(replay.status, 400);
    assert.equal(codeOf(replay), 'CHALLENGE_USED');
  });

  test('of two concurrent logins with one challenge, one wins', async () => {
    const client = server.client();
    const signature = await aigerim.sign(await client.challenge());
    const answers = await Promise.all([
      client.login(signature),
      client.login(signature),
      client.login(signature),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 400, 400]);
    for (const a of answers.filter((a) => a.status !== 200)) {
      assert.equal(codeOf(a), 'CHALLENGE_USED');
    }
  });

  test('an expired challenge is refused with CHALLENGE_EXPIRED', async () => {
    const client = server.client();
    const signature = await aigerim.sign(await client.challenge());
    server.advance(CHALLENGE_LIFETIME_MS + 1);
    const answer = await client.login(signature);
    assert.equal(codeOf(answer), 'CHALLENGE_EXPIRED');
    assert.equal(answer.status, 400);
  });

  test('without a challenge cookie: CHALLENGE_NOT_FOUND', async () => {
    const client = server.client();
    const signature = await aigerim.sign(await client.challenge());
    client.cookies.clear();
    const answer = await client.login(signature);
    assert.equal(codeOf(answer), 'CHALLENGE_NOT_FOUND');
  });

  test('a forged cookie secret: CHALLENGE_SESSION_MISMATCH', async () => {
    const client = server.client();
    const signature = await aigerim.sign(await client.challenge());
    const [id] = client.cookies.get('qoltanba_login')!.split('.');
    client.cookies.set('qoltanba_login', `${id}.${'A'.repeat(43)}`);
    const answer = await client.login(signature);
    assert.equal(codeOf(answer), 'CHALLENGE_SESSION_MISMATCH');
  });

  test("another browser's challenge: CONTENT_MISMATCH", async () => {
    // A signature captured from one browser does not log in another.
    const victim = server.client();
    const attacker = server.client();
    const signature = await aigerim.sign(await victim.challenge());
    await attacker.challenge();
    const answer = await attacker.login(signature);
    assert.equal(codeOf(answer), 'CONTENT_MISMATCH');
    assert.equal(answer.status, 401);
  });

  test('a signature over other bytes: CONTENT_MISMATCH', async () => {
    const client = server.client();
    const challenge = await client.challenge();
    const signature = await aigerim.sign(challenge.replace('Qoltanba', 'Evil'));
    const answer = await client.login(signature);
    assert.equal(codeOf(answer), 'CONTENT_MISMATCH');
    assert.ok(!client.cookies.has('qoltanba_session'));
  });

  test('a certificate from an unknown CA: CERT_UNTRUSTED', async () => {
    const other = await ensureDemoPki(join(await tempDir('pki2'), 'pki'));
    const stranger = await Signer.open(
      other.people.find((p) => p.kind === 'auth')!.keyFile,
      other.password,
    );
    const answer = await server.client().loginWith(stranger);
    assert.equal(codeOf(answer), 'CERT_UNTRUSTED');
    assert.equal(answer.status, 401);
  });

  test('a SIGN key: CERT_WRONG_PURPOSE', async () => {
    const sign = await personKey('sign', '850115300011');
    const answer = await server.client().loginWith(sign);
    assert.equal(codeOf(answer), 'CERT_WRONG_PURPOSE');
    assert.equal(answer.status, 403);
  });

  test("a refused login's log line names the certificate", async () => {
    const logged = await startServer({
      trustAnchors: pki.trustAnchors,
      logLevel: 'info',
    });
    try {
      const sign = await personKey('sign', '850115300011');
      await logged.client().loginWith(sign);
      const line = logged.logs.find((l) => l.outcome === 'CERT_WRONG_PURPOSE');
      assert.ok(line, 'a request line with the outcome');
      assert.match(String(line.certSerial), /^[0-9a-f]+$/);
      assert.match(String(line.certIssuer), /CN=/);
    } finally {
      await logged.close();
    }
  });

  test('an expired key: CERT_EXPIRED', async () => {
    const expired = await personKey('expired-auth');
    const answer = await server.client().loginWith(expired);
    assert.equal(codeOf(answer), 'CERT_EXPIRED');
  });

  test('input that is no signature gets a 4xx code, never a 500', async () => {
    const bodies: unknown[] = [
      { signature: 'not base64 at all!' },
      { signature: '' },
      { signature: 'MIIB' },
      { signature: Buffer.from('just text').toString('base64') },
      { signature: '-----BEGIN CMS-----\nAAAA\n-----END CMS-----' },
      { signature: 12 },
      { signature: null },
      { signature: ['a'] },
      {},
      [],
      'text',
    ];
    for (const json of bodies) {
      const client = server.client();
      await client.challenge();
      const answer = await client.request('POST', '/api/auth/login', { json });
      assert.ok(
        answer.status >= 400 && answer.status < 500,
        `${JSON.stringify(json)} → ${answer.status}`,
      );
      assert.match(codeOf(answer)!, /^[A-Z_]+$/);
    }
  });

  test('logs one line per request without secrets', async () => {
    const logs: string[] = [];
    const { Writable } = await import('node:stream');
    const { buildApp } = await import('../../server/app.js');
    const app = await buildApp({
      store: server.store,
      registry: server.registry,
      trustAnchors: pki.trustAnchors,
      publicOrigin: ORIGIN,
      logLevel: 'info',
      logStream: new Writable({
        write(chunk, _e, done) {
          logs.push(String(chunk));
          done();
        },
      }),
      staticRoots: { demoDir: '/nonexistent', distDir: '/nonexistent' },
    });
    try {
      const challenge = await app.inject({
        method: 'POST',
        url: '/api/auth/challenge',
        headers: { 'x-qoltanba': '1' },
      });
      const cookie = challenge.headers['set-cookie'] as string;
      const signature = await aigerim.sign(challenge.json().challenge);
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-qoltanba': '1', cookie: cookie.split(';')[0]! },
        payload: { signature },
      });
      assert.equal(login.statusCode, 200);
      const token = (login.headers['set-cookie'] as string[])
        .find((c) => c.startsWith('qoltanba_session='))!
        .split(';')[0]!
        .split('=')[1]!;
      const text = logs.join('');
      assert.ok(!text.includes(signature.slice(0, 40)), 'no signature');
      assert.ok(!text.includes(token), 'no session token');
      assert.ok(!text.includes(cookie.split(';')[0]!.split('=')[1]!));
      const lines = logs
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'request');
      assert.equal(lines.length, 2);
      const last = lines[1]!;
      assert.equal(last.route, '/api/auth/login');
      assert.equal(last.status, 200);
      assert.equal(last.outcome, 'LOGGED_IN');
      assert.match(String(last.certSerial), /^[0-9a-f]+$/);
      assert.match(String(last.certIssuer), /CN=/);
      assert.ok(!text.includes(pki.password), 'no key file password');
      assert.equal(typeof last.reqId, 'string');
      assert.equal(typeof last.durationMs, 'number');
    } finally {
      await app.close();
    }
  });
});

describe('rate limit', () => {
  test('too many challenges from one address: RATE_LIMITED', async () => {
    const limited = await startServer({
      trustAnchors: pki.trustAnchors,
      rateLimitPerMinute: 3,
    });
    try {
      const client = limited.client();
      for (let i = 0; i < 3; i++) await client.challenge();
      const answer = await client.request('POST', '/api/auth/challenge');
      assert.equal(answer.status, 429);
      assert.equal(codeOf(answer), 'RATE_LIMITED');
      assert.ok(Number(answer.headers.get('retry-after')) > 0);
      limited.advance(60_000);
      await client.challenge();
    } finally {
      await limited.close();
    }
  });
});

// NCA's own test key: real input written by NCA's tooling.
const ncaAvailable = existsSync(NCA_DIR);
describe('POST /auth/login with an NCA test key', {
  skip: ncaAvailable ? false : `${NCA_DIR} is absent`,
}, () => {
  let nca: TestServer;
  let ncaKey: Signer;

  before(async () => {
    ncaKey = await Signer.open(
      join(NCA_DIR, 'rsa_individual_auth_revoked_2022.p12'),
      'Qwerty12',
    );
    nca = await startServer({
      trustAnchors: [
        new Uint8Array(await readFile(join(NCA_DIR, 'nca_rsa_test.crt'))),
      ],
      acceptTestIins: true,
      // NCA's own CRL lists this key; it is stale today, hence the
      // test-only allowStaleCrl, and the tests never go on the network.
      revocation: new RevocationChecker({
        mode: 'crl',
        crls: [new Uint8Array(await readFile(join(NCA_DIR, 'nca_rsa_test.crl')))],
        allowStaleCrl: true,
        fetch: async (url) => {
          throw new Error(`no network in tests (${url})`);
        },
      }),
      // The certificate ran from 2022-01-18 to 2023-01-18.
      testing: { verificationTime: new Date('2022-06-01T00:00:00Z') },
    });
  });
  after(async () => {
    await nca?.close();
  });

  test('the key on NCA\'s CRL is refused with CERT_REVOKED', async () => {
    const client = nca.client();
    const answer = await client.loginWith(ncaKey);
    assert.equal(codeOf(answer), 'CERT_REVOKED', JSON.stringify(answer.body));
    assert.equal(answer.status, 401);
    assert.ok(!client.cookies.has('qoltanba_session'));
  });

  test('with revocation off it logs in in test mode', async () => {
    // Only to show that everything else about NCA's key passes; "off" is
    // what a portal gets when it configures no revocation checking.
    const off = await startServer({
      trustAnchors: [
        new Uint8Array(await readFile(join(NCA_DIR, 'nca_rsa_test.crt'))),
      ],
      acceptTestIins: true,
      revocation: new RevocationChecker({ mode: 'off' }),
      testing: { verificationTime: new Date('2022-06-01T00:00:00Z') },
    });
    try {
      const client = off.client();
      const answer = await client.loginWith(ncaKey);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.ok(NCA_TEST_IINS.includes(answer.body.user.iin));
      assert.equal(answer.body.needsEmail, true);
      assert.ok(client.cookies.has('qoltanba_session'));
    } finally {
      await off.close();
    }
  });

  test('is refused outside test mode', async () => {
    const strict = await startServer({
      trustAnchors: [
        new Uint8Array(await readFile(join(NCA_DIR, 'nca_rsa_test.crt'))),
      ],
      testing: { verificationTime: new Date('2022-06-01T00:00:00Z') },
    });
    try {
      const answer = await strict.client().loginWith(ncaKey);
      assert.equal(codeOf(answer), 'CERT_NO_IIN');
      assert.equal(answer.status, 403);
    } finally {
      await strict.close();
    }
  });

  test('at the real date the certificate has expired', async () => {
    const today = await startServer({
      trustAnchors: [
        new Uint8Array(await readFile(join(NCA_DIR, 'nca_rsa_test.crt'))),
      ],
      acceptTestIins: true,
    });
    try {
      const answer = await today.client().loginWith(ncaKey);
      assert.equal(codeOf(answer), 'CERT_EXPIRED');
    } finally {
      await today.close();
    }
  });
});

describe('the origin the signed challenge names', () => {
  test('signed for one allowed origin, sent from another: ORIGIN_MISMATCH', async () => {
    const other = 'http://portal-b.localhost:8080';
    const two = await startServer({
      trustAnchors: pki.trustAnchors,
      allowedOrigins: [ORIGIN, other],
    });
    const loginFrom = async (origin: string) => {
      const client = two.client();
      const text = await client.challenge({ origin: ORIGIN });
      return client.request('POST', '/api/auth/login', {
        json: { signature: await aigerim.sign(text) },
        headers: { origin },
      });
    };
    try {
      const moved = await loginFrom(other);
      assert.equal(codeOf(moved), 'ORIGIN_MISMATCH');
      assert.equal(moved.status, 401);
      const home = await loginFrom(ORIGIN);
      assert.equal(home.status, 200, JSON.stringify(home.body));
    } finally {
      await two.close();
    }
  });
});
