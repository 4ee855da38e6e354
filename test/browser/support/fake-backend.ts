/**
 * A small fake of the Qoltanba backend protocol (src/api/protocol.ts),
 * installed by replacing window.fetch for one test. It answers the real
 * shapes and codes, records every request, and can be told to fail.
 */
import type {
  ApiErrorCode,
  Child,
  SessionResponse,
  User,
} from '../../../src/api/protocol.js';
import { CSRF_HEADER } from '../../../src/api/protocol.js';
import { checkIin } from '../../../src/core/iin.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

/** A child the fake registry knows, and who its parent is. */
export interface RegistryEntry {
  child: Child;
  /** The parent's IIN per the civil registry; null: kinship unknown. */
  parentIin: string | null;
  /** Someone else has linked this child already. */
  linkedToOther?: boolean;
}

const STATUS: Partial<Record<ApiErrorCode, number>> = {
  NOT_AUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  CSRF_HEADER_MISSING: 403,
  ORIGIN_NOT_ALLOWED: 403,
  EMAIL_REQUIRED: 403,
  NOT_FOUND: 404,
  CHILD_NOT_FOUND: 404,
  ALREADY_LINKED: 409,
  LINKED_TO_OTHER: 409,
  CHALLENGE_USED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
};

/** What the fake signer signs with: readable, so the fake can check it. */
export function fakeSignature(keyId: string, content: Uint8Array): string {
  const text = new TextDecoder().decode(content);
  return btoa(unescape(encodeURIComponent(`SIGNED:${keyId}:${text}`)));
}

/** The content of a real CMS (as NCALayer's), not checked any further. */
function cmsContent(signature: string): string | null {
  try {
    const der = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
    const signed = new pkijs.SignedData({ schema: info.content });
    const content = signed.encapContentInfo.eContent?.getValue();
    return content ? new TextDecoder().decode(content) : null;
  } catch {
    return null;
  }
}

function readFakeSignature(signature: string): string | null {
  if (signature.startsWith('MII')) return cmsContent(signature);
  try {
    const text = decodeURIComponent(escape(atob(signature)));
    const match = /^SIGNED:[^:]*:([\s\S]*)$/.exec(text);
    return match ? match[1]! : null;
  } catch {
    return null;
  }
}

export const PARENT: User = {
  iin: '850115300011',
  fullName: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
  email: 'parent@example.kz',
};

export const CHILD_AIGERIM: Child = {
  iin: '201205500031',
  fullName: 'ТЕСТОВА АЙГЕРІМ',
  birthDate: '2020-12-05',
  applications: [
    {
      number: 'AL-2023-004512',
      kindergartens: ['№ 12 «Балапан» бөбекжайы', '№ 45 «Ақбота» балабақшасы'],
      queuePosition: 17,
      status: 'queued',
      submittedOn: '2021-01-14',
    },
  ],
};

export const CHILD_ALIKHAN: Child = {
  iin: '230901601012',
  fullName: 'ТЕСТОВ ӘЛИХАН',
  birthDate: '2023-09-01',
  applications: [
    {
      number: 'AL-2023-118820',
      kindergartens: ['№ 7 «Күншуақ» балабақшасы'],
      queuePosition: 3,
      status: 'offered',
      submittedOn: '2023-09-20',
    },
  ],
};

export class FakeBackend {
  /** The user a valid signature logs in as. */
  user: User = { ...PARENT };
  loggedIn = false;
  needsEmail = false;
  /** The phone has signed the pending eGov QR login. */
  egovSigned = false;
  /** How long a QR code lasts. */
  egovLifetimeMs = 5 * 60_000;
  /** Answer the QR status poll with this code instead. */
  egovFailWith: ApiErrorCode | null = null;
  linked: Child[] = [];
  registry = new Map<string, RegistryEntry>([
    [CHILD_AIGERIM.iin, { child: CHILD_AIGERIM, parentIin: PARENT.iin }],
    [CHILD_ALIKHAN.iin, { child: CHILD_ALIKHAN, parentIin: PARENT.iin }],
  ]);
  /** No answer at all, as when the network is down. */
  offline = false;
  /** When set, requests wait for it, to observe loading states. */
  gate: Promise<void> | null = null;
  readonly requests: RecordedRequest[] = [];
  readonly challenges = new Map<string, { used: boolean }>();

  #failures = new Map<string, ApiErrorCode[]>();
  #original: typeof fetch | null = null;

  /** The next request to "METHOD /path" fails with this code, once. */
  failNext(route: string, code: ApiErrorCode): void {
    const queue = this.#failures.get(route) ?? [];
    queue.push(code);
    this.#failures.set(route, queue);
  }

  install(): this {
    this.#original = window.fetch;
    window.fetch = (input, init) => this.#handle(input, init);
    return this;
  }

  uninstall(): void {
    if (this.#original) window.fetch = this.#original;
    this.#original = null;
  }

  /** Requests to one route, e.g. "POST /children". */
  calls(route: string): RecordedRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route);
  }

  async #handle(
    input: RequestInfo | URL,
    init: RequestInit = {},
  ): Promise<Response> {
    const url = new URL(String(input), location.href);
    // Only the backend is faked; test files and modules load for real.
    if (!url.pathname.startsWith('/api/')) {
      return this.#original!.call(window, input, init);
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api/, '');
    const headers = new Headers(init.headers);
    const body =
      typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({
      method,
      path,
      headers,
      credentials: init.credentials,
      body,
    });
    if (this.gate) await this.gate;
    if (this.offline) throw new TypeError('Failed to fetch');

    const route = `${method} ${path}`;
    const forced = this.#failures.get(route)?.shift();
    if (forced) return error(forced);
    if (method !== 'GET' && headers.get(CSRF_HEADER) !== '1') {
      return error('CSRF_HEADER_MISSING');
    }
    switch (route) {
      case 'POST /auth/challenge':
        return this.#challenge();
      case 'POST /auth/login':
        return this.#login(body as { signature?: string });
      case 'POST /auth/egov': {
        const api1 = 'https://portal.example.kz/api/egov/fake-session';
        return json({
          qr: `mobileSign:${api1}`,
          deepLink: `https://m.egov.kz/mobileSign?link=${encodeURIComponent(api1)}`,
          expiresAt: new Date(Date.now() + this.egovLifetimeMs).toISOString(),
        });
      }
      case 'POST /auth/egov/status':
        if (this.egovFailWith) return error(this.egovFailWith);
        if (!this.egovSigned) {
          return json({ status: 'pending', expiresAt: new Date().toISOString() });
        }
        this.loggedIn = true;
        return json({ status: 'done', ...this.#session() });
      case 'POST /auth/logout':
        this.loggedIn = false;
        return new Response(null, { status: 204 });
      case 'GET /me':
        return this.loggedIn
          ? json(this.#session())
          : error('NOT_AUTHENTICATED');
      case 'PUT /me/email':
        return this.#setEmail(body as { email?: string });
      case 'GET /children':
        return this.loggedIn
          ? json({ children: this.linked })
          : error('NOT_AUTHENTICATED');
      case 'POST /children':
        return this.#link(body as { iin?: string });
      default:
        return error('NOT_FOUND');
    }
  }

  #session(): SessionResponse {
    return { user: { ...this.user }, needsEmail: this.needsEmail };
  }

  #challenge(): Response {
    const nonce = crypto.randomUUID();
    const challenge =
      `Qoltanba login\nOrigin: ${location.origin}\nNonce: ${nonce}`;
    this.challenges.set(challenge, { used: false });
    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString();
    return json({ challenge, expiresAt });
  }

  #login(body: { signature?: string }): Response {
    if (typeof body?.signature !== 'string') return error('BAD_REQUEST');
    const challenge = readFakeSignature(body.signature);
    if (challenge === null) return error('SIGNATURE_MALFORMED');
    const issued = this.challenges.get(challenge);
    if (!issued) return error('CONTENT_MISMATCH');
    if (issued.used) return error('CHALLENGE_USED');
    issued.used = true;
    this.loggedIn = true;
    return json(this.#session());
  }

  #setEmail(body: { email?: string }): Response {
    if (!this.loggedIn) return error('NOT_AUTHENTICATED');
    const email = body?.email ?? '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      return error('EMAIL_INVALID');
    }
    this.user.email = email;
    this.needsEmail = false;
    return json(this.#session());
  }

  #link(body: { iin?: string }): Response {
    if (!this.loggedIn) return error('NOT_AUTHENTICATED');
    if (this.needsEmail) return error('EMAIL_REQUIRED');
    const iin = body?.iin ?? '';
    if (!checkIin(iin).valid) return error('IIN_INVALID');
    if (iin === this.user.iin) return error('IIN_OWN');
    const entry = this.registry.get(iin);
    if (!entry) return error('CHILD_NOT_FOUND');
    if (entry.linkedToOther) return error('LINKED_TO_OTHER');
    if (this.linked.some((c) => c.iin === iin)) return error('ALREADY_LINKED');
    if (entry.parentIin !== this.user.iin) {
      return error('KINSHIP_NOT_CONFIRMED');
    }
    this.linked.push(entry.child);
    return json({ code: 'KINSHIP_CONFIRMED', child: entry.child });
  }
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function error(code: ApiErrorCode): Response {
  return json(
    { code, message: `fake backend: ${code}` },
    STATUS[code] ?? (code.startsWith('CERT_') ? 422 : 400),
  );
}
