/**
 * Conformance checks of the backend protocol (src/api/protocol.ts) that
 * need no key the backend trusts: any portal backend, in any language,
 * must answer them as the reference server does. Each check sends real
 * HTTP requests to the backend URL and throws on the first difference.
 *
 * Signatures come from a throwaway CA made here, so a login that passes
 * every structural check ends at CERT_UNTRUSTED; the structural failures
 * must be refused with their own codes before that.
 */
import assert from 'node:assert/strict';
import { signCms } from '../../src/crypto/cms-sign.js';
import { CSRF_HEADER } from '../../src/api/protocol.js';
import { EKU } from '../../src/crypto/oids.js';
import { toBase64 } from '../../src/crypto/pem.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import {
  generateRsaKey,
  issueCertificate,
} from '../../server/pki/certificates.js';
import { SIGNATURE_CASES } from '../support/bad-signatures.js';
import { Client, codeOf, type Answer } from '../server/helpers.js';

export interface Target {
  /** The backend URL the elements are given, e.g. https://portal.kz/api. */
  baseUrl: string;
  /** An origin the backend allows; default the base URL's origin. */
  origin: string;
  /**
   * A login key the backend trusts, for the cases that need a login that
   * succeeds; without one those cases are skipped.
   */
  trustedKey?: KeyEntry;
}

export interface ConformanceCase {
  name: string;
  run(target: Target, stranger: KeyEntry): Promise<void>;
}

/** A person's AUTH key under a CA nobody trusts. */
export async function strangerKey(): Promise<KeyEntry> {
  const [caKey, key] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  const caName: Array<[string, string]> = [
    ['2.5.4.3', 'CONFORMANCE TEST CA'],
    ['2.5.4.6', 'KZ'],
  ];
  const now = Date.now();
  const certificate = await issueCertificate({
    subject: [
      ['2.5.4.3', 'САДЫҚОВА АЙГЕРІМ'],
      ['2.5.4.5', 'IIN900625400121'],
      ['2.5.4.6', 'KZ'],
    ],
    publicKeyInfo: key.publicKeyInfo,
    issuer: {
      name: caName,
      privateKey: caKey.privateKey,
      publicKeyInfo: caKey.publicKeyInfo,
    },
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
  });
  return {
    privateKeyInfo: key.privateKeyInfo,
    certificate,
    keyAlgorithmOid: '1.2.840.113549.1.1.1',
  };
}

function client(target: Target): Client {
  return new Client(target.baseUrl.replace(/\/$/, ''));
}

function post(c: Client, target: Target, path: string, extra = {}) {
  return c.request('POST', path, {
    headers: { origin: target.origin },
    ...extra,
  });
}

/** A typed 4xx: the status given, a JSON body {code, message}. */
function refused(answer: Answer, status: number, code: string): void {
  const body = JSON.stringify(answer.body);
  assert.equal(codeOf(answer), code, `expected ${code}, got ${body}`);
  assert.equal(answer.status, status, `status for ${code}: ${body}`);
  assert.equal(typeof answer.body.message, 'string', 'a message');
}

async function challenge(c: Client, target: Target): Promise<string> {
  const answer = await post(c, target, '/auth/challenge');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.challenge as string;
}

/** A new challenge for this client, signed with `key`, in base64. */
async function signedChallenge(
  c: Client,
  target: Target,
  key: KeyEntry,
): Promise<string> {
  const text = await challenge(c, target);
  return toBase64(await signCms(new TextEncoder().encode(text), key));
}

async function loginWith(c: Client, target: Target, signature: string) {
  return post(c, target, '/auth/login', { json: { signature } });
}

const STATUS: Record<string, number> = {
  SIGNATURE_MALFORMED: 400,
  SIGNER_COUNT: 400,
  CERT_MISSING: 400,
  ALGORITHM_UNSUPPORTED: 400,
  CONTENT_MISMATCH: 401,
  CERT_UNTRUSTED: 401,
};

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    name: 'a challenge names the origin, expires, and is new each time',
    async run(target) {
      const c = client(target);
      const first = await post(c, target, '/auth/challenge');
      assert.equal(first.status, 200);
      const text = first.body.challenge as string;
      assert.ok(text.includes(target.origin), 'the challenge names the origin');
      assert.ok(Date.parse(first.body.expiresAt) > Date.now(), 'expiresAt');
      assert.notEqual(await challenge(c, target), text, 'a fresh challenge');
      const cookie = first.headers.getSetCookie().join('\n');
      assert.match(cookie, /HttpOnly/i, 'the pre-login cookie is HttpOnly');
      assert.match(cookie, /SameSite=/i, 'the pre-login cookie has SameSite');
      if (target.baseUrl.startsWith('https:')) assert.match(cookie, /Secure/i);
    },
  },
  {
    name: `a POST without ${CSRF_HEADER}: CSRF_HEADER_MISSING 403`,
    async run(target) {
      const answer = await client(target).request('POST', '/auth/challenge', {
        headers: { origin: target.origin },
        csrf: false,
      });
      refused(answer, 403, 'CSRF_HEADER_MISSING');
    },
  },
  {
    name: 'a POST from a foreign origin: ORIGIN_NOT_ALLOWED 403',
    async run(target) {
      const answer = await client(target).request('POST', '/auth/challenge', {
        headers: { origin: 'https://attacker.example' },
      });
      refused(answer, 403, 'ORIGIN_NOT_ALLOWED');
    },
  },
  {
    name: 'a login without a challenge: CHALLENGE_NOT_FOUND 400',
    async run(target, stranger) {
      const signature = toBase64(
        await signCms(new TextEncoder().encode('x'), stranger),
      );
      refused(
        await loginWith(client(target), target, signature),
        400,
        'CHALLENGE_NOT_FOUND',
      );
    },
  },
  {
    name: 'a body that is not JSON: INVALID_JSON 400',
    async run(target) {
      const c = client(target);
      await challenge(c, target);
      const answer = await post(c, target, '/auth/login', {
        raw: '{"signature":',
      });
      refused(answer, 400, 'INVALID_JSON');
    },
  },
  {
    name: 'a body that is not application/json: UNSUPPORTED_MEDIA_TYPE 415',
    async run(target) {
      const c = client(target);
      await challenge(c, target);
      const answer = await post(c, target, '/auth/login', {
        raw: 'signature=x',
        contentType: 'text/plain',
      });
      refused(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  },
  {
    name: 'a body of 2 MiB: PAYLOAD_TOO_LARGE 413',
    async run(target) {
      const c = client(target);
      await challenge(c, target);
      const answer = await loginWith(c, target, 'A'.repeat(2 * 1024 * 1024));
      refused(answer, 413, 'PAYLOAD_TOO_LARGE');
    },
  },
  ...SIGNATURE_CASES.map(
    (item): ConformanceCase => {
      // Structurally sound signatures from an untrusted CA stop at the
      // chain check.
      const code = item.expect === 'OK' ? 'CERT_UNTRUSTED' : item.expect;
      return {
        name: `${item.name}: ${code}`,
        async run(target, stranger) {
          const c = client(target);
          const text = await challenge(c, target);
          const good = await signCms(new TextEncoder().encode(text), stranger);
          const signature = item.make(good, {
            certificate: (await strangerKey()).certificate,
          });
          refused(await loginWith(c, target, signature), STATUS[code]!, code);
        },
      };
    },
  ),
  {
    name: 'a signature over other bytes: CONTENT_MISMATCH 401',
    async run(target, stranger) {
      const c = client(target);
      await challenge(c, target);
      const other = await signCms(new TextEncoder().encode('other'), stranger);
      refused(
        await loginWith(c, target, toBase64(other)),
        401,
        'CONTENT_MISMATCH',
      );
    },
  },
  {
    name: 'a challenge serves one attempt: CHALLENGE_USED 400 the second time',
    async run(target, stranger) {
      const c = client(target);
      const text = await challenge(c, target);
      const signature = toBase64(
        await signCms(new TextEncoder().encode(text), stranger),
      );
      refused(await loginWith(c, target, signature), 401, 'CERT_UNTRUSTED');
      refused(await loginWith(c, target, signature), 400, 'CHALLENGE_USED');
    },
  },
  {
    name: 'GET /me without a session: NOT_AUTHENTICATED 401',
    async run(target) {
      refused(
        await client(target).request('GET', '/me'),
        401,
        'NOT_AUTHENTICATED',
      );
    },
  },
  {
    name: 'an unknown route: NOT_FOUND 404 as JSON',
    async run(target) {
      refused(
        await client(target).request('GET', '/no-such-route'),
        404,
        'NOT_FOUND',
      );
    },
  },
];

/** Cases that need `trustedKey`: a login that passes every check. */
export const TRUSTED_KEY_CASES: readonly ConformanceCase[] = [
  {
    name: 'a trusted key logs in: an HttpOnly session, /me names its IIN',
    async run(target) {
      const c = client(target);
      const signature = await signedChallenge(c, target, target.trustedKey!);
      const answer = await loginWith(c, target, signature);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.match(answer.body.user.iin, /^\d{12}$/);
      const cookies = answer.headers.getSetCookie().join('\n');
      assert.match(cookies, /HttpOnly/i, 'the session cookie is HttpOnly');
      const me = await c.request('GET', '/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.iin, answer.body.user.iin);
    },
  },
  {
    name: 'one signed challenge sent twice at once: exactly one login wins',
    async run(target) {
      const c = client(target);
      const signature = await signedChallenge(c, target, target.trustedKey!);
      const answers = await Promise.all([
        loginWith(c, target, signature),
        loginWith(c, target, signature),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 400], JSON.stringify(statuses));
      const loser = answers.find((a) => a.status === 400)!;
      refused(loser, 400, 'CHALLENGE_USED');
    },
  },
  {
    name: 'logout ends the session on the server: NOT_AUTHENTICATED after',
    async run(target) {
      const c = client(target);
      const signature = await signedChallenge(c, target, target.trustedKey!);
      assert.equal((await loginWith(c, target, signature)).status, 200);
      const saved = new Map(c.cookies);
      const out = await post(c, target, '/auth/logout');
      assert.equal(out.status, 204);
      // The old cookie, replayed, must not work either.
      for (const [name, value] of saved) c.cookies.set(name, value);
      refused(await c.request('GET', '/me'), 401, 'NOT_AUTHENTICATED');
    },
  },
];

export interface CaseResult {
  name: string;
  error?: Error;
  /** Why the case did not run. */
  skipped?: string;
}

/** Runs every case against the target, one after another. */
export async function runConformance(target: Target): Promise<CaseResult[]> {
  const stranger = await strangerKey();
  const run = async (item: ConformanceCase): Promise<CaseResult> => {
    try {
      await item.run(target, stranger);
      return { name: item.name };
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      return { name: item.name, error: reason };
    }
  };
  const results: CaseResult[] = [];
  for (const item of CONFORMANCE_CASES) results.push(await run(item));
  for (const item of TRUSTED_KEY_CASES) {
    results.push(
      target.trustedKey
        ? await run(item)
        : { name: item.name, skipped: 'no --key-file given' },
    );
  }
  return results;
}
