/**
 * The parent's whole flow with a demo PKI key (no test mode): login, email,
 * linking a child, the list of children; then every way linking can fail,
 * the session's end, and the CSRF and origin guards.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import {
  type Client,
  codeOf,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

const ORIGIN = 'http://localhost:8080';
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

let pki: DemoPki;
let server: TestServer;
let aigerimKey: Signer;
let erlanKey: Signer;

function keyOf(iin: string) {
  const person = pki.people.find((p) => p.kind === 'auth' && p.iin === iin);
  assert.ok(person);
  return Signer.open(person.keyFile, pki.password);
}

before(async () => {
  pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  aigerimKey = await keyOf('900625400121');
  erlanKey = await keyOf('850115300011');
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    sessionLifetimeMs: SESSION_LIFETIME_MS,
    allowedOrigins: [ORIGIN],
  });
});

after(async () => {
  await server?.close();
});

function link(client: Client, iin: unknown) {
  return client.request('POST', '/api/children', { json: { iin } });
}

describe('a parent links a child', () => {
  let aigerim: Client;

  before(() => {
    aigerim = server.client();
  });

  test('first login asks for an email address', async () => {
    const answer = await aigerim.loginWith(aigerimKey);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      user: {
        iin: '900625400121',
        fullName: 'САДЫҚОВА АЙГЕРІМ МАРАТҚЫЗЫ',
        email: null,
      },
      needsEmail: true,
    });
    const me = await aigerim.request('GET', '/api/me');
    assert.equal(me.body.needsEmail, true);
  });

  test('linking before giving an email: EMAIL_REQUIRED', async () => {
    const answer = await link(aigerim, '201205500031');
    assert.equal(answer.status, 403);
    assert.equal(codeOf(answer), 'EMAIL_REQUIRED');
  });

  test('a bad email address: EMAIL_INVALID', async () => {
    for (const email of [
      '',
      'aigerim',
      'aigerim@',
      '@mail.kz',
      'aigerim@mail',
      'a b@mail.kz',
      'aigerim@@mail.kz',
      'aigerim@mail..kz',
      'aigerim.@mail.kz',
      `${'a'.repeat(65)}@mail.kz`,
    ]) {
      const answer = await aigerim.request('PUT', '/api/me/email', {
        json: { email },
      });
      assert.equal(codeOf(answer), 'EMAIL_INVALID', email);
      assert.equal(answer.status, 400);
    }
    const wrongType = await aigerim.request('PUT', '/api/me/email', {
      json: { email: 42 },
    });
    assert.equal(codeOf(wrongType), 'BAD_REQUEST');
  });

  test('a good email address is saved', async () => {
    const answer = await aigerim.request('PUT', '/api/me/email', {
      json: { email: '  Aigerim.Sadykova@Mail.KZ ' },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.user.email, 'Aigerim.Sadykova@mail.kz');
    assert.equal(answer.body.needsEmail, false);
    const idn = await aigerim.request('PUT', '/api/me/email', {
      json: { email: 'aigerim@мысал.қаз' },
    });
    assert.equal(idn.status, 200, 'a Kazakh IDN domain is an address');
    const back = await aigerim.request('PUT', '/api/me/email', {
      json: { email: 'aigerim.sadykova@mail.kz' },
    });
    assert.equal(back.body.user.email, 'aigerim.sadykova@mail.kz');
  });

  test('linking her son confirms kinship', async () => {
    const answer = await link(aigerim, '2012 0550 0031');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'KINSHIP_CONFIRMED');
    assert.equal(answer.body.child.iin, '201205500031');
    assert.equal(answer.body.child.birthDate, '2020-12-05');
    assert.equal(answer.body.child.applications.length, 1);
    assert.match(answer.body.child.applications[0].number, /^ALM-\d{4}-\d{6}$/);
  });

  test('GET /children lists the child with the application', async () => {
    const answer = await aigerim.request('GET', '/api/children');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.children.length, 1);
    const [child] = answer.body.children;
    assert.equal(child.iin, '201205500031');
    assert.equal(child.fullName, 'Садықов Әлихан Нұрланұлы');
    const [application] = child.applications;
    assert.equal(application.status, 'queued');
    assert.ok(application.queuePosition > 0);
    assert.match(application.submittedOn, /^\d{4}-\d\d-\d\d$/);
    assert.ok(application.kindergartens.length > 0);
  });

  const failures: Array<[string, string, number, string]> = [
    ['not digits', '20120550003x', 400, 'IIN_INVALID'],
    ['too short', '12345', 400, 'IIN_INVALID'],
    ['bad check digit', '201205500032', 400, 'IIN_INVALID'],
    ['impossible date', '201305500031', 400, 'IIN_INVALID'],
    ["NCA's test IIN", '123456789011', 400, 'IIN_INVALID'],
    ['her own IIN', '900625400121', 400, 'IIN_OWN'],
    ['a child of seven', '191111600032', 422, 'CHILD_TOO_OLD'],
    ['a child without an application', '240215500118', 404, 'CHILD_NOT_FOUND'],
    ['the same child again', '201205500031', 409, 'ALREADY_LINKED'],
    ["linked by the child's father", '210720500040', 409, 'LINKED_TO_OTHER'],
    ["a stranger's child", '220310600258', 403, 'KINSHIP_NOT_CONFIRMED'],
    ["Erlan's daughter", '230901601012', 403, 'KINSHIP_NOT_CONFIRMED'],
  ];
  for (const [what, iin, status, code] of failures) {
    test(`${what}: ${code}`, async () => {
      const answer = await link(aigerim, iin);
      assert.equal(codeOf(answer), code);
      assert.equal(answer.status, status);
    });
  }

  test('an IIN that is not a string: BAD_REQUEST', async () => {
    for (const iin of [201205500031, null, ['201205500031'], { iin: 1 }]) {
      const answer = await link(aigerim, iin);
      assert.equal(codeOf(answer), 'BAD_REQUEST', JSON.stringify(iin));
    }
  });

  test('the registry down: REGISTRY_UNAVAILABLE 503, nothing linked', async () => {
    const ask = server.registry.isParentOf;
    server.registry.isParentOf = async () => {
      throw new Error('connect ECONNREFUSED registry');
    };
    try {
      const answer = await link(aigerim, '220310600258');
      assert.equal(codeOf(answer), 'REGISTRY_UNAVAILABLE');
      assert.equal(answer.status, 503);
    } finally {
      server.registry.isParentOf = ask;
    }
  });

  test('the failures linked nothing', async () => {
    const answer = await aigerim.request('GET', '/api/children');
    assert.deepEqual(
      answer.body.children.map((c: { iin: string }) => c.iin),
      ['201205500031'],
    );
  });

  test('another parent sees only his own children', async () => {
    const erlan = server.client();
    await erlan.loginWith(erlanKey);
    await erlan.request('PUT', '/api/me/email', {
      json: { email: 'erlan@example.kz' },
    });
    assert.deepEqual((await erlan.request('GET', '/api/children')).body, {
      children: [],
    });
    const mine = await link(erlan, '230901601012');
    assert.equal(mine.body.code, 'KINSHIP_CONFIRMED');
    assert.equal(mine.body.child.applications.length, 2);
    const hers = await link(erlan, '201205500031');
    assert.equal(codeOf(hers), 'KINSHIP_NOT_CONFIRMED');
  });

  test('the email is kept for the next login', async () => {
    const again = server.client();
    const answer = await again.loginWith(aigerimKey);
    assert.equal(answer.body.needsEmail, false);
    assert.equal(answer.body.user.email, 'aigerim.sadykova@mail.kz');
  });
});

describe('the session', () => {
  test('without one: NOT_AUTHENTICATED', async () => {
    const client = server.client();
    for (const [method, path, json] of [
      ['GET', '/api/me', undefined],
      ['GET', '/api/children', undefined],
      ['POST', '/api/children', { iin: '201205500031' }],
      ['PUT', '/api/me/email', { email: 'a@b.kz' }],
    ] as const) {
      const answer = await client.request(method, path, { json });
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(codeOf(answer), 'NOT_AUTHENTICATED');
    }
    client.cookies.set('qoltanba_session', 'A'.repeat(43));
    const forged = await client.request('GET', '/api/me');
    assert.equal(codeOf(forged), 'NOT_AUTHENTICATED');
  });

  test('after its lifetime: SESSION_EXPIRED', async () => {
    const client = server.client();
    await client.loginWith(erlanKey);
    assert.equal((await client.request('GET', '/api/me')).status, 200);
    server.advance(SESSION_LIFETIME_MS + 1000);
    const answer = await client.request('GET', '/api/children');
    assert.equal(answer.status, 401);
    assert.equal(codeOf(answer), 'SESSION_EXPIRED');
  });

  test('a new login replaces the session of that browser', async () => {
    const client = server.client();
    await client.loginWith(erlanKey);
    const first = client.cookies.get('qoltanba_session')!;
    await client.loginWith(erlanKey);
    const second = client.cookies.get('qoltanba_session')!;
    assert.notEqual(first, second);
    assert.equal((await client.request('GET', '/api/me')).status, 200);
    client.cookies.set('qoltanba_session', first);
    const old = await client.request('GET', '/api/me');
    assert.equal(codeOf(old), 'NOT_AUTHENTICATED');
  });

  test('logout ends it', async () => {
    const client = server.client();
    await client.loginWith(erlanKey);
    const token = client.cookies.get('qoltanba_session')!;
    const out = await client.request('POST', '/api/auth/logout');
    assert.equal(out.status, 204);
    assert.ok(!client.cookies.has('qoltanba_session'), 'cookie cleared');
    assert.equal(
      codeOf(await client.request('GET', '/api/me')),
      'NOT_AUTHENTICATED',
    );
    // The old token is dead on the server too, not only in the browser.
    client.cookies.set('qoltanba_session', token);
    assert.equal(
      codeOf(await client.request('GET', '/api/me')),
      'NOT_AUTHENTICATED',
    );
    // Logging out twice is harmless.
    assert.equal((await client.request('POST', '/api/auth/logout')).status, 204);
  });
});

describe('CSRF and origin guards', () => {
  test('a state-changing request without X-Qoltanba: 403', async () => {
    const client = server.client();
    for (const [method, path] of [
      ['POST', '/api/auth/challenge'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/logout'],
      ['PUT', '/api/me/email'],
      ['POST', '/api/children'],
    ]) {
      const answer = await client.request(method!, path!, {
        json: {},
        csrf: false,
      });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(codeOf(answer), 'CSRF_HEADER_MISSING');
    }
    const wrong = await client.request('POST', '/api/auth/challenge', {
      csrf: false,
      headers: { 'X-Qoltanba': '0' },
    });
    assert.equal(codeOf(wrong), 'CSRF_HEADER_MISSING');
  });

  test('a foreign Origin: ORIGIN_NOT_ALLOWED', async () => {
    const client = server.client();
    for (const origin of ['https://evil.example', 'null', `${ORIGIN}.evil`]) {
      const answer = await client.request('POST', '/api/auth/challenge', {
        headers: { origin },
      });
      assert.equal(answer.status, 403, origin);
      assert.equal(codeOf(answer), 'ORIGIN_NOT_ALLOWED');
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    }
  });

  test('CORS allows the configured origin with credentials', async () => {
    const client = server.client();
    const preflight = await client.request('OPTIONS', '/api/children', {
      csrf: false,
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-qoltanba',
      },
    });
    assert.ok(preflight.status === 204 || preflight.status === 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(
      preflight.headers.get('access-control-allow-credentials'),
      'true',
    );
    assert.match(
      preflight.headers.get('access-control-allow-headers') ?? '',
      /X-Qoltanba/i,
    );
    const evil = await client.request('OPTIONS', '/api/children', {
      csrf: false,
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
      },
    });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });
});
