/**
 * The HTTP edges: malformed requests get a typed 4xx (never a 500), unknown
 * routes a JSON 404, and the static side serves the demo page, the bundle
 * and the demo key files and nothing else.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import type { DemoInfo } from '../../server/routes/demo.js';
import {
  codeOf,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

const BODY_LIMIT = 4096;
const DEMO_DIR = fileURLToPath(new URL('../../server/demo/', import.meta.url));

let pki: DemoPki;
let server: TestServer;
let distDir: string;

before(async () => {
  const dir = await tempDir('http');
  pki = await ensureDemoPki(join(dir, 'pki'));
  distDir = join(dir, 'dist');
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    bodyLimit: BODY_LIMIT,
    demo: pki,
    acceptTestIins: true,
    staticRoots: { demoDir: DEMO_DIR, distDir },
  });
});

after(async () => {
  await server?.close();
});

describe('malformed requests', () => {
  const routes = [
    ['POST', '/api/auth/login'],
    ['PUT', '/api/me/email'],
    ['POST', '/api/children'],
  ] as const;

  test('bad JSON: INVALID_JSON 400', async () => {
    for (const [method, path] of routes) {
      for (const raw of ['{', '{"iin":', 'nul', "{'a':1}", '{"a":1}}']) {
        const answer = await server.client().request(method, path, { raw });
        assert.equal(answer.status, 400, `${path} ${raw}`);
        assert.equal(codeOf(answer), 'INVALID_JSON');
      }
    }
  });

  test('a prototype-poisoning body is refused, not merged', async () => {
    const answer = await server.client().request('POST', '/api/children', {
      raw: '{"__proto__":{"admin":true},"iin":"201205500031"}',
    });
    assert.equal(answer.status, 400);
    assert.equal(codeOf(answer), 'INVALID_JSON');
  });

  test('a wrong content type: UNSUPPORTED_MEDIA_TYPE 415', async () => {
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      const answer = await server.client().request('POST', '/api/auth/login', {
        raw: 'signature=abc',
        contentType,
      });
      assert.equal(answer.status, 415, contentType);
      assert.equal(codeOf(answer), 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  test('an oversized body: PAYLOAD_TOO_LARGE 413', async () => {
    const client = server.client();
    await client.challenge();
    const answer = await client.request('POST', '/api/auth/login', {
      json: { signature: 'A'.repeat(BODY_LIMIT * 4) },
    });
    assert.equal(answer.status, 413);
    assert.equal(codeOf(answer), 'PAYLOAD_TOO_LARGE');
  });

  test('an empty JSON body on a route without input is fine', async () => {
    const answer = await server.client().request('POST', '/api/auth/challenge', {
      raw: '',
    });
    assert.equal(answer.status, 200);
    const login = await server.client().request('POST', '/api/auth/login', {
      raw: '   ',
    });
    assert.equal(codeOf(login), 'BAD_REQUEST');
  });

  test('odd input to every route never makes a 500', async () => {
    const bodies = [
      '[]',
      '"text"',
      '0',
      'null',
      'true',
      '{"iin":{"$gt":""}}',
      '{"email":["a@b.kz"]}',
      '{"signature":{"length":5}}',
      `{"iin":"${'9'.repeat(5000)}"}`,
      '{"iin":"\\u0000\\ud800"}',
      '{"email":"\\u202e@mail.kz"}',
    ];
    // Logged in with an email, so that each route reads its body.
    const client = server.client();
    const person = pki.people.find((p) => p.kind === 'auth')!;
    await client.loginWith(await Signer.open(person.keyFile, pki.password));
    await client.request('PUT', '/api/me/email', {
      json: { email: 'parent@example.kz' },
    });
    for (const [method, path] of [
      ...routes,
      ['POST', '/api/auth/challenge'],
      ['POST', '/api/auth/logout'],
    ] as const) {
      for (const raw of bodies) {
        const answer = await client.request(method, path, { raw });
        assert.ok(
          answer.status < 500,
          `${method} ${path} ${raw.slice(0, 30)} → ${answer.status}`,
        );
        if (answer.status >= 400) assert.match(codeOf(answer)!, /^[A-Z_]+$/);
      }
    }
  });

  test('bad cookies are ignored, not errors', async () => {
    for (const cookie of [
      'qoltanba_session=%ZZ',
      'qoltanba_session=',
      'qoltanba_login=a.b.c',
      'qoltanba_login=..',
      `qoltanba_session=${'x'.repeat(3000)}`,
    ]) {
      const me = await server.client().request('GET', '/api/me', {
        headers: { cookie },
      });
      assert.equal(codeOf(me), 'NOT_AUTHENTICATED', cookie);
      const login = await server.client().request('POST', '/api/auth/login', {
        headers: { cookie },
        json: { signature: 'AAAA' },
      });
      assert.equal(codeOf(login), 'CHALLENGE_NOT_FOUND', cookie);
    }
  });

  test('an unknown route: NOT_FOUND 404 as JSON', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['POST', '/api/nothing'],
      ['DELETE', '/api/children'],
      ['GET', '/api/auth/login'],
    ]) {
      const answer = await server.client().request(method!, path!);
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(codeOf(answer), 'NOT_FOUND');
    }
  });

  test('API answers are not cached', async () => {
    const answer = await server.client().request('GET', '/api/me');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('static files', () => {
  test('/ is the demo portal page, with no inline script', async () => {
    const answer = await server.client().request('GET', '/');
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type')!, /text\/html/);
    const html = answer.body as string;
    assert.match(html, /Балабақшаға кезек — Алматы/);
    for (const tag of ['eds-login', 'iin-link-form', 'kinship-status']) {
      assert.match(html, new RegExp(`<${tag} backend-url="/api"`));
    }
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline script');
    assert.doesNotMatch(html, /\son\w+=/, 'inline handler');
    assert.doesNotMatch(html, /\sstyle=/, 'inline style');
    for (const asset of ['/demo.js', '/demo.css']) {
      assert.equal((await server.client().request('GET', asset)).status, 200);
    }
  });

  test('the bundle is served from dist/ once built', async () => {
    const missing = await server.client().request('GET', '/qoltanba/qoltanba.js');
    assert.equal(missing.status, 404);
    await mkdir(join(distDir, 'chunks'), { recursive: true });
    await writeFile(join(distDir, 'qoltanba.js'), 'export {};\n');
    const built = await server.client().request('GET', '/qoltanba/qoltanba.js');
    assert.equal(built.status, 200);
    assert.match(built.headers.get('content-type')!, /javascript/);
  });

  test('GET /api/demo/info tells where the keys are', async () => {
    const answer = await server.client().request('GET', '/api/demo/info');
    assert.equal(answer.status, 200);
    const info = answer.body as DemoInfo;
    assert.equal(info.password, pki.password);
    assert.ok(info.keyFolder.startsWith(pki.dir));
    assert.equal(info.keys.length, pki.people.length);
    assert.ok(info.children.some((c) => c.scenario === 'CHILD_TOO_OLD'));
    assert.equal(info.acceptsNcaTestIins, true);
  });

  test('a demo key file downloads as listed', async () => {
    const info = (await server.client().request('GET', '/api/demo/info'))
      .body as DemoInfo;
    for (const key of info.keys) {
      assert.match(key.url, /^\/demo-keys\/[^/]+\/[^/]+\.p12$/);
      const response = await fetch(server.base + key.url);
      assert.equal(response.status, 200, key.url);
      assert.match(
        response.headers.get('content-disposition')!,
        /^attachment; filename="[\w.-]+\.p12"$/,
      );
      const bytes = new Uint8Array(await response.arrayBuffer());
      assert.deepEqual(bytes, new Uint8Array(await readFile(key.path)));
    }
  });

  test('nothing else is reachable under /demo-keys/', async () => {
    const info = (await server.client().request('GET', '/api/demo/info'))
      .body as DemoInfo;
    const [folder] = info.keys[0]!.url.split('/').slice(2);
    for (const path of [
      '/demo-keys/',
      '/demo-keys/demo-pki.json',
      '/demo-keys/../demo-pki.json',
      '/demo-keys/..%2fdemo-pki.json',
      '/demo-keys/%2e%2e/%2e%2e/test.sqlite',
      `/demo-keys/${folder}/../../root-ca.cer`,
      `/demo-keys/${folder}/..%2f..%2froot-ca.cer`,
      `/demo-keys/${folder}/`,
      '/demo-keys/keys/' + info.keys[0]!.url.slice('/demo-keys/'.length),
      '/demo-keys/%00',
    ]) {
      const response = await fetch(server.base + path);
      assert.equal(response.status, 404, path);
      await response.arrayBuffer();
    }
  });

  test('outside demo mode there is no demo info and no keys', async () => {
    const plain = await startServer({
      trustAnchors: pki.trustAnchors,
      staticRoots: { demoDir: DEMO_DIR, distDir },
    });
    try {
      const info = await plain.client().request('GET', '/api/demo/info');
      assert.equal(info.status, 404);
      assert.equal(codeOf(info), 'NOT_FOUND');
      const key = await fetch(
        plain.base + '/demo-keys/aigerim-sadykova/x.p12',
      );
      assert.equal(key.status, 404);
      await key.arrayBuffer();
      assert.equal((await plain.client().request('GET', '/')).status, 200);
    } finally {
      await plain.close();
    }
  });
});

describe('the protocol description', () => {
  test('GET /api/openapi.yaml serves docs/openapi.yaml as it is', async () => {
    const answer = await server.client().request('GET', '/api/openapi.yaml');
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /yaml/);
    const kept = await readFile(
      new URL('../../docs/openapi.yaml', import.meta.url),
      'utf8',
    );
    assert.match(kept, /^openapi: 3\./m);
    assert.equal(answer.body, kept);
  });
});
