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
import type {
  EgovApi1Response,
  EgovApi2Response,
  EgovStartResponse,
} from '../../src/api/egov-protocol.js';
import { CSRF_HEADER } from '../../src/api/protocol.js';
import { EKU } from '../../src/crypto/oids.js';
import { fromBase64, toBase64 } from '../../src/crypto/pem.js';
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
  /**
   * Maps a URL the backend gives the phone (API-1, API-2) to one this
   * suite can reach, when the backend names a public origin that is not
   * where the suite talks to it; default the URL as given.
   */
  reach?: (url: string) => string;
  /**
   * Resolves once the backend's clock is past `expiresAt`, for the case
   * that needs an expired eGov session; without it that case is skipped
   * (the CLI waits the real time out only when asked to).
   */
  passTime?: (expiresAt: Date) => Promise<void>;
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

/** A phone with the eGov app: no cookies, no CSRF header, no Origin. */
async function phone(
  target: Target,
  method: 'GET' | 'PUT',
  url: string,
  options: { token?: string; json?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch((target.reach ?? ((u: string) => u))(url), {
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    body = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Starts a QR login in this client and checks the answer's shape. */
async function startQr(c: Client, target: Target): Promise<EgovStartResponse> {
  const answer = await post(c, target, '/auth/egov');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as EgovStartResponse;
  assert.match(body.qr, /^mobileSign:https?:\/\/\S+$/, 'qr is mobileSign:URL');
  const api1 = body.qr.slice('mobileSign:'.length);
  assert.equal(
    body.deepLink,
    `https://m.egov.kz/mobileSign?link=${encodeURIComponent(api1)}`,
    'the same-phone link',
  );
  assert.ok(Date.parse(body.expiresAt) > Date.now(), 'expiresAt ahead');
  return body;
}

/** A phone's GET that must succeed, with its JSON. */
async function phoneGet<T>(target: Target, url: string, token?: string) {
  const answer = await phone(target, 'GET', url, { token });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as T;
}

/** API-1 of a QR, read as the phone reads it. */
const readApi1 = (target: Target, start: EgovStartResponse) =>
  phoneGet<EgovApi1Response>(target, start.qr.slice('mobileSign:'.length));

/** API-2 with the token API-1 gave. */
const readApi2 = (target: Target, api1: EgovApi1Response) =>
  phoneGet<EgovApi2Response>(
    target,
    api1.document.uri,
    api1.document.auth_token,
  );

/** API-2's JSON with each document signed by `key`, as the PUT sends it. */
async function signedApi2(
  api2: EgovApi2Response,
  key: KeyEntry,
): Promise<EgovApi2Response> {
  const copy = structuredClone(api2);
  for (const doc of copy.documentsToSign) {
    const content = fromBase64(doc.document.file.data);
    assert.ok(content, 'the document data is base64');
    doc.document.file.data = toBase64(await signCms(content, key));
  }
  return copy;
}

const pollQr = (c: Client, target: Target) =>
  post(c, target, '/auth/egov/status');

/** A session id nobody was given: 16 random bytes, base64url. */
function unknownSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return toBase64(bytes)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The eGov mobile QR login (domain.md §2, src/api/egov-protocol.ts). */
export const EGOV_CASES: readonly ConformanceCase[] = [
  {
    name: 'eGov: a QR login starts with mobileSign:, a deep link, a cookie',
    async run(target) {
      const c = client(target);
      const start = await startQr(c, target);
      assert.notEqual((await startQr(c, target)).qr, start.qr, 'a new QR');
      const answer = await post(c, target, '/auth/egov');
      const cookie = answer.headers.getSetCookie().join('\n');
      assert.match(cookie, /HttpOnly/i, 'the QR-login cookie is HttpOnly');
      assert.match(cookie, /SameSite=/i, 'the QR-login cookie has SameSite');
    },
  },
  {
    name: 'eGov: API-1 names the organisation in kk, ru, en and the document',
    async run(target) {
      const start = await startQr(client(target), target);
      const api1 = await readApi1(target, start);
      assert.equal(typeof api1.description, 'string');
      assert.ok(api1.description.length > 0, 'a description');
      assert.equal(
        Date.parse(api1.expiry_date),
        Date.parse(start.expiresAt),
        'expiry_date is when the QR expires',
      );
      for (const name of ['nameKz', 'nameRu', 'nameEn'] as const) {
        const value = api1.organisation?.[name];
        assert.equal(typeof value, 'string', name);
        assert.ok(value.trim().length > 0, `${name} is not empty`);
      }
      assert.match(api1.organisation.bin, /^\d{12}$/, 'a 12-digit BIN');
      assert.match(api1.document.uri, /^https?:\/\//, 'API-2 is a URL');
      assert.ok(
        ['None', 'Token', 'Eds'].includes(api1.document.auth_type),
        `auth_type ${api1.document.auth_type}`,
      );
      assert.equal(api1.document.auth_type, 'Token', 'a login needs a token');
      assert.ok(api1.document.auth_token.length >= 22, 'a long token');
      const again = await readApi1(target, start);
      assert.notEqual(
        again.document.auth_token,
        api1.document.auth_token,
        'each read of API-1 gives a new token',
      );
    },
  },
  {
    name: 'eGov: API-2 gives the challenge as a CMS_WITH_DATA document',
    async run(target) {
      const start = await startQr(client(target), target);
      const api2 = await readApi2(target, await readApi1(target, start));
      assert.equal(api2.signMethod, 'CMS_WITH_DATA');
      assert.ok(Array.isArray(api2.documentsToSign), 'documentsToSign');
      assert.equal(api2.documentsToSign.length, 1, 'one document');
      const doc = api2.documentsToSign[0]!;
      for (const name of ['nameKz', 'nameRu', 'nameEn'] as const) {
        assert.equal(typeof doc[name], 'string', name);
        assert.ok(doc[name].trim().length > 0, `${name} is not empty`);
      }
      assert.ok(Array.isArray(doc.meta), 'meta is a list');
      assert.equal(typeof doc.document.file.mime, 'string', 'a mime type');
      const content = fromBase64(doc.document.file.data);
      assert.ok(content, 'data is base64');
      const text = new TextDecoder().decode(content);
      assert.ok(text.includes(target.origin), 'the challenge names the page');
    },
  },
  {
    name: 'eGov: API-1 of an unknown session: 403 CHALLENGE_NOT_FOUND',
    async run(target) {
      const start = await startQr(client(target), target);
      const api1Url = start.qr.slice(11);
      const unknown = api1Url.replace(/[^/]+$/, unknownSessionId());
      refused(await phone(target, 'GET', unknown), 403, 'CHALLENGE_NOT_FOUND');
      refused(
        await phone(target, 'GET', `${unknown}/document`, { token: 'x' }),
        403,
        'CHALLENGE_NOT_FOUND',
      );
    },
  },
  {
    name: 'eGov: API-2 and the PUT with a wrong token: 403, session stays',
    async run(target, stranger) {
      const c = client(target);
      const api1 = await readApi1(target, await startQr(c, target));
      const wrong = unknownSessionId() + unknownSessionId();
      const uri = api1.document.uri;
      refused(
        await phone(target, 'GET', uri, { token: wrong }),
        403,
        'NOT_AUTHENTICATED',
      );
      refused(await phone(target, 'GET', uri), 403, 'NOT_AUTHENTICATED');
      const api2 = await readApi2(target, api1);
      const json = await signedApi2(api2, stranger);
      refused(
        await phone(target, 'PUT', uri, { token: wrong, json }),
        403,
        'NOT_AUTHENTICATED',
      );
      const poll = await pollQr(c, target);
      assert.equal(poll.body.status, 'pending', JSON.stringify(poll.body));
    },
  },
  {
    name: 'eGov: a poll without the QR-login cookie: CHALLENGE_NOT_FOUND 400',
    async run(target) {
      refused(await pollQr(client(target), target), 400, 'CHALLENGE_NOT_FOUND');
    },
  },
  {
    name: 'eGov: an untrusted key: PUT 403 CERT_UNTRUSTED, the poll says so',
    async run(target, stranger) {
      const c = client(target);
      const api1 = await readApi1(target, await startQr(c, target));
      const json = await signedApi2(await readApi2(target, api1), stranger);
      const put = await phone(target, 'PUT', api1.document.uri, {
        token: api1.document.auth_token,
        json,
      });
      refused(put, 403, 'CERT_UNTRUSTED');
      refused(await pollQr(c, target), 401, 'CERT_UNTRUSTED');
      refused(await c.request('GET', '/me'), 401, 'NOT_AUTHENTICATED');
      // The session ended with its one attempt: gone, or used.
      const api1Url = api1.document.uri.replace(/\/document$/, '');
      const after = await phone(target, 'GET', api1Url);
      assert.equal(after.status, 403, JSON.stringify(after.body));
      assert.ok(
        ['CHALLENGE_NOT_FOUND', 'CHALLENGE_USED'].includes(codeOf(after)!),
        JSON.stringify(after.body),
      );
    },
  },
];

/** Cases that need the backend's clock to pass an eGov session's expiry. */
export const EXPIRY_CASES: readonly ConformanceCase[] = [
  {
    name: 'eGov: an expired session: 403 CHALLENGE_EXPIRED, poll 400',
    async run(target) {
      const c = client(target);
      const start = await startQr(c, target);
      const api1 = await readApi1(target, start);
      await target.passTime!(new Date(start.expiresAt));
      refused(
        await phone(target, 'GET', start.qr.slice(11)),
        403,
        'CHALLENGE_EXPIRED',
      );
      refused(
        await phone(target, 'GET', api1.document.uri, {
          token: api1.document.auth_token,
        }),
        403,
        'CHALLENGE_EXPIRED',
      );
      refused(await pollQr(c, target), 400, 'CHALLENGE_EXPIRED');
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
  {
    name: 'eGov: the phone signs with a trusted key, the browser logs in',
    async run(target) {
      const c = client(target);
      const api1 = await readApi1(target, await startQr(c, target));
      const pending = await pollQr(c, target);
      const state = JSON.stringify(pending.body);
      assert.equal(pending.body.status, 'pending', state);
      const json = await signedApi2(
        await readApi2(target, api1),
        target.trustedKey!,
      );
      const put = await phone(target, 'PUT', api1.document.uri, {
        token: api1.document.auth_token,
        json,
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const done = await pollQr(c, target);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.status, 'done');
      assert.match(done.body.user.iin, /^\d{12}$/);
      const me = await c.request('GET', '/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.iin, done.body.user.iin);
    },
  },
  {
    name: 'eGov: one signed document PUT twice at once: exactly one wins',
    async run(target) {
      const c = client(target);
      const api1 = await readApi1(target, await startQr(c, target));
      const json = await signedApi2(
        await readApi2(target, api1),
        target.trustedKey!,
      );
      const put = () =>
        phone(target, 'PUT', api1.document.uri, {
          token: api1.document.auth_token,
          json,
        });
      const answers = await Promise.all([put(), put()]);
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 403], JSON.stringify(statuses));
      refused(answers.find((a) => a.status === 403)!, 403, 'CHALLENGE_USED');
      assert.equal((await pollQr(c, target)).body.status, 'done');
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
  for (const item of [...CONFORMANCE_CASES, ...EGOV_CASES]) {
    results.push(await run(item));
  }
  for (const item of TRUSTED_KEY_CASES) {
    results.push(
      target.trustedKey
        ? await run(item)
        : { name: item.name, skipped: 'no --key-file given' },
    );
  }
  // Last: waiting out an expiry may move the backend's clock.
  for (const item of EXPIRY_CASES) {
    results.push(
      target.passTime
        ? await run(item)
        : { name: item.name, skipped: 'no --wait-for-expiry given' },
    );
  }
  return results;
}
