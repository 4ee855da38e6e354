/**
 * A typed fetch wrapper over the backend protocol (protocol.ts). Every
 * failure becomes an ApiClientError with a stable code, so the elements map
 * codes to localized text and never show a raw message or a stack trace.
 */
import {
  CSRF_HEADER,
  type ApiError,
  type ApiErrorCode,
  type ChallengeResponse,
  type ChildrenResponse,
  type LinkChildResponse,
  type SessionResponse,
} from './protocol.js';
import type {
  EgovStartResponse,
  EgovStatusResponse,
} from './egov-protocol.js';

/** A backend code, or one of the two failures that happen before it. */
export type ApiClientErrorCode =
  | ApiErrorCode
  /** No answer: offline, DNS, CORS refused, connection reset. */
  | 'NETWORK'
  /** An answer that does not follow the protocol (HTML, 5xx, bad JSON). */
  | 'UNEXPECTED';

export class ApiClientError extends Error {
  override name = 'ApiClientError';
  constructor(
    readonly code: ApiClientErrorCode,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT';

/**
 * The `GET /me` in flight for each backend URL. The elements of one page
 * each ask who is logged in as they connect, in the same task; they share
 * one request (and, logged out, one 401 in the browser's console). Joined
 * only until it settles and only within the task that sent it: a request
 * that never answers must not hold every later element (a Storybook that
 * renders story after story on one page) in "checking".
 */
const sessionChecks = new Map<string, Promise<SessionResponse>>();

/** Talks to one backend, e.g. `new ApiClient('/api')`. */
export class ApiClient {
  readonly baseUrl: string;
  /** Sent as Accept-Language: the backend names kindergartens in it. */
  readonly language: string | undefined;

  constructor(baseUrl: string, options: { language?: string } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.language = options.language;
  }

  /** POST /auth/challenge: a fresh text to sign for login. */
  challenge(): Promise<ChallengeResponse> {
    return this.#request<ChallengeResponse>('POST', '/auth/challenge');
  }

  /** POST /auth/login with the CMS that signs the challenge. */
  login(signature: string): Promise<SessionResponse> {
    return this.#changeSession(
      this.#request<SessionResponse>('POST', '/auth/login', { signature }),
    );
  }

  /** POST /auth/egov: a QR login for the eGov mobile app. */
  egovStart(): Promise<EgovStartResponse> {
    return this.#request<EgovStartResponse>('POST', '/auth/egov');
  }

  /** POST /auth/egov/status: pending, or logged in once the phone signed. */
  egovStatus(): Promise<EgovStatusResponse> {
    return this.#changeSession(
      this.#request<EgovStatusResponse>('POST', '/auth/egov/status'),
    );
  }

  /** POST /auth/logout. */
  async logout(): Promise<void> {
    await this.#changeSession(this.#request<void>('POST', '/auth/logout'));
  }

  /**
   * GET /me; rejects with NOT_AUTHENTICATED when nobody is logged in.
   * Calls for the same backend URL while one is in flight share it.
   */
  me(): Promise<SessionResponse> {
    const pending = sessionChecks.get(this.baseUrl);
    if (pending) return pending;
    const check = this.#request<SessionResponse>('GET', '/me');
    sessionChecks.set(this.baseUrl, check);
    const forget = () => {
      if (sessionChecks.get(this.baseUrl) === check) {
        sessionChecks.delete(this.baseUrl);
      }
    };
    check.then(forget, forget);
    setTimeout(forget, 0);
    return check;
  }

  /** PUT /me/email. */
  setEmail(email: string): Promise<SessionResponse> {
    return this.#changeSession(
      this.#request<SessionResponse>('PUT', '/me/email', { email }),
    );
  }

  /**
   * A request that may change who is logged in: a `GET /me` sent before it
   * may answer for the old session, so the next caller does not join it.
   */
  #changeSession<T>(request: Promise<T>): Promise<T> {
    sessionChecks.delete(this.baseUrl);
    const forget = () => sessionChecks.delete(this.baseUrl);
    request.then(forget, forget);
    return request;
  }

  /** GET /children. */
  children(): Promise<ChildrenResponse> {
    return this.#request<ChildrenResponse>('GET', '/children');
  }

  /** POST /children: link a child by IIN after kinship is confirmed. */
  linkChild(iin: string): Promise<LinkChildResponse> {
    return this.#request<LinkChildResponse>('POST', '/children', { iin });
  }

  async #request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = '1';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // A CORS-safelisted header: no preflight for a GET.
    if (this.language) headers['Accept-Language'] = this.language;

    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        credentials: 'include',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      // fetch rejects only when no response arrived at all.
      throw new ApiClientError('NETWORK', 0, `${method} ${path}: no response`);
    }

    if (response.status === 204) return undefined as T;
    const payload = await readJson(response);
    if (response.ok) {
      if (payload === undefined) {
        throw unexpected(method, path, response.status, 'not JSON');
      }
      return payload as T;
    }
    if (isApiError(payload) && response.status < 500) {
      throw new ApiClientError(payload.code, response.status, payload.message);
    }
    throw unexpected(method, path, response.status, 'no error code');
  }
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    /^[A-Z_]+$/.test((value as ApiError).code)
  );
}

function unexpected(
  method: Method,
  path: string,
  status: number,
  why: string,
): ApiClientError {
  return new ApiClientError(
    'UNEXPECTED',
    status,
    `${method} ${path}: HTTP ${status}, ${why}`,
  );
}
