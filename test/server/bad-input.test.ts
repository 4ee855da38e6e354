/**
 * Bad input at POST /auth/login: one test per kind, each with the typed 4xx
 * and stable code it must get, and a bounded property-based fuzz (random
 * and mutated CMS and certificates) at the verifier and at the endpoint:
 * no uncaught exception, no 500, no hang, while other users keep logging
 * in.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { fromBase64 } from '../../src/crypto/pem.js';
import {
  verifyLoginSignature,
  VerifyError,
} from '../../src/crypto/cms-verify.js';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import { selfIssuedFlood } from '../support/attack-cms.js';
import { SIGNATURE_CASES } from '../support/bad-signatures.js';
import {
  codeOf,
  Signer,
  startServer,
  tempDir,
  type Answer,
  type TestServer,
} from './helpers.js';

const BODY_LIMIT = 16 * 1024;
/** Generous: a login takes milliseconds; a hang would take forever. */
const MAX_ANSWER_MS = 5000;

let pki: DemoPki;
let server: TestServer;
let aigerim: Signer;

before(async () => {
  pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  const person = pki.people.find(
    (p) => p.kind === 'auth' && p.iin === '900625400121',
  )!;
  aigerim = await Signer.open(person.keyFile, pki.password);
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    bodyLimit: BODY_LIMIT,
  });
});

after(async () => {
  await server?.close();
});

function assertTyped4xx(answer: Answer, code?: string): void {
  assert.ok(
    answer.status >= 400 && answer.status < 500,
    `status ${answer.status}: ${JSON.stringify(answer.body)}`,
  );
  assert.match(String(codeOf(answer)), /^[A-Z_]+$/);
  if (code) assert.equal(codeOf(answer), code, JSON.stringify(answer.body));
}

describe('the request body', () => {
  test('not JSON: INVALID_JSON 400', async () => {
    const client = server.client();
    await client.challenge();
    const answer = await client.request('POST', '/api/auth/login', {
      raw: '{"signature": "MII',
    });
    assertTyped4xx(answer, 'INVALID_JSON');
    assert.equal(answer.status, 400);
  });

  test('a wrong content type: UNSUPPORTED_MEDIA_TYPE 415', async () => {
    const client = server.client();
    await client.challenge();
    const answer = await client.request('POST', '/api/auth/login', {
      raw: 'signature=MIIB',
      contentType: 'application/x-www-form-urlencoded',
    });
    assertTyped4xx(answer, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(answer.status, 415);
  });

  test('bodies of 1 MB and 10 MB: PAYLOAD_TOO_LARGE 413', async () => {
    for (const size of [1024 * 1024, 10 * 1024 * 1024]) {
      const client = server.client();
      await client.challenge();
      const answer = await client.login('A'.repeat(size));
      assertTyped4xx(answer, 'PAYLOAD_TOO_LARGE');
    }
  });

  test('a signature that is not a string: BAD_REQUEST 400', async () => {
    for (const signature of [42, null, ['MIIB'], { der: 'MIIB' }, true]) {
      const client = server.client();
      await client.challenge();
      const answer = await client.request('POST', '/api/auth/login', {
        json: { signature },
      });
      assertTyped4xx(answer, 'BAD_REQUEST');
    }
  });

  test('over the configured body limit: PAYLOAD_TOO_LARGE 413', async () => {
    const client = server.client();
    await client.challenge();
    const answer = await client.login('A'.repeat(BODY_LIMIT + 1));
    assertTyped4xx(answer, 'PAYLOAD_TOO_LARGE');
    assert.equal(answer.status, 413);
  });
});

describe('the signature', () => {
  for (const item of SIGNATURE_CASES) {
    test(`${item.name}: ${item.expect}`, async () => {
      const client = server.client();
      const challenge = await client.challenge();
      const good = fromBase64(await aigerim.sign(challenge))!;
      const signature = item.make(good, { certificate: pki.trustAnchors[0]! });
      const answer = await client.login(signature);
      if (item.expect === 'OK') {
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      } else {
        assertTyped4xx(answer, item.expect);
      }
    });
  }
});

describe('PEM armour', () => {
  test('repeated BEGIN lines up to the body limit: answered at once', async () => {
    const client = server.client();
    await client.challenge();
    const text = '-----BEGIN CMS-----'.repeat(BODY_LIMIT / 20);
    const started = Date.now();
    const answer = await client.login(text);
    assert.ok(Date.now() - started < 1000, 'answered in time');
    assertTyped4xx(answer, 'SIGNATURE_MALFORMED');
  });
});

describe('the chain search', () => {
  test('many same-named self-issued CAs: CERT_UNTRUSTED 401 quickly', async () => {
    // Without a bound the search tried every order of them: one such
    // login held the server for minutes.
    const client = server.client();
    const text = await client.challenge();
    const cms = await selfIssuedFlood(new TextEncoder().encode(text), 12);
    const started = Date.now();
    const answer = await client.login(Buffer.from(cms).toString('base64'));
    assert.ok(Date.now() - started < MAX_ANSWER_MS, 'answered in time');
    assertTyped4xx(answer, 'CERT_UNTRUSTED');
  });
});

/** A byte string with a few bytes changed, cut or spliced in. */
function mutated(base: Uint8Array) {
  const at = fc.nat({ max: base.length - 1 });
  return fc.oneof(
    fc
      .array(fc.tuple(at, fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const out = new Uint8Array(base);
        for (const [i, x] of flips) out[i] = out[i]! ^ x;
        return out;
      }),
    at.map((n) => base.slice(0, n)),
    fc
      .tuple(at, fc.uint8Array({ minLength: 1, maxLength: 64 }))
      .map(([n, extra]) => Uint8Array.of(...base.slice(0, n), ...extra, ...base.slice(n))),
    fc.uint8Array({ maxLength: 4096 }),
  );
}

describe('fuzz', () => {
  test('the verifier throws nothing but VerifyError (300 runs)', async () => {
    const text = await server.client().challenge();
    const good = fromBase64(await aigerim.sign(text))!;
    const content = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(mutated(good), async (signature) => {
        try {
          await verifyLoginSignature({
            signature,
            expectedContent: content,
            trustAnchors: pki.trustAnchors,
          });
        } catch (error) {
          if (!(error instanceof VerifyError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  test('mutated certificates as trust anchors are a configuration error, not a crash', async () => {
    const text = await server.client().challenge();
    const signature = await aigerim.sign(text);
    await fc.assert(
      fc.asyncProperty(mutated(pki.trustAnchors[0]!), async (anchor) => {
        try {
          await verifyLoginSignature({
            signature,
            expectedContent: new TextEncoder().encode(text),
            trustAnchors: [anchor],
          });
        } catch (error) {
          // A VerifyError for the user, or the operator's error naming
          // the bad anchor; never anything else.
          if (error instanceof VerifyError) return;
          assert.match(String(error), /trustAnchors\[0\] is not a certificate/);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('the endpoint answers a typed 4xx quickly while others log in (150 runs)', async () => {
    let fuzzing = true;
    let served = 0;
    const others = (async () => {
      while (fuzzing) {
        const answer = await server.client().loginWith(aigerim);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        served++;
      }
    })();
    try {
      const good = fromBase64(await aigerim.sign('x'))!;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            mutated(good).map((b) => Buffer.from(b).toString('base64')),
            fc.string({ maxLength: 300 }),
            fc.base64String({ maxLength: 600 }),
          ),
          async (signature) => {
            const client = server.client();
            await client.challenge();
            const started = Date.now();
            const answer = await client.login(signature);
            assert.ok(Date.now() - started < MAX_ANSWER_MS, 'answered in time');
            assertTyped4xx(answer);
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      fuzzing = false;
      await others;
    }
    assert.ok(served > 0, 'other users were served meanwhile');
  });
});
