/**
 * Typed API failures. A route throws ApiHttpError; the app's error handler
 * turns it into `{code, message}` with the status below. Statuses are fixed
 * per code so that every route answers the same failure the same way.
 */
import type { ApiError, ApiErrorCode } from '../src/api/protocol.js';

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  CSRF_HEADER_MISSING: 403,
  ORIGIN_NOT_ALLOWED: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  // A challenge problem means "ask for a new challenge": the client's state
  // is stale, not its credentials.
  CHALLENGE_NOT_FOUND: 400,
  CHALLENGE_EXPIRED: 400,
  CHALLENGE_USED: 400,
  CHALLENGE_SESSION_MISMATCH: 400,
  // Input that cannot be read is a bad request; a readable signature that
  // does not prove who is logging in is an authentication failure; a valid
  // certificate that may not be used for login is forbidden.
  SIGNATURE_MALFORMED: 400,
  SIGNER_COUNT: 400,
  CERT_MISSING: 400,
  ALGORITHM_UNSUPPORTED: 400,
  SIGNATURE_INVALID: 401,
  CONTENT_MISMATCH: 401,
  CERT_UNTRUSTED: 401,
  CERT_EXPIRED: 401,
  CERT_NOT_YET_VALID: 401,
  CERT_NO_IIN: 403,
  CERT_WRONG_PURPOSE: 403,
  // "Could not check" is not "good": the login fails like an untrusted
  // certificate, with its own code so the page can say "try later".
  CERT_REVOKED: 401,
  CERT_LEGAL_ENTITY: 403,
  ORIGIN_MISMATCH: 401,
  REVOCATION_UNKNOWN: 401,
  NOT_AUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  EMAIL_REQUIRED: 403,
  EMAIL_INVALID: 400,
  IIN_INVALID: 400,
  IIN_OWN: 400,
  CHILD_TOO_OLD: 422,
  CHILD_NOT_FOUND: 404,
  ALREADY_LINKED: 409,
  LINKED_TO_OTHER: 409,
  KINSHIP_NOT_CONFIRMED: 403,
  // The registry is down: the request was fine, the answer is "later".
  REGISTRY_UNAVAILABLE: 503,
};

/** True for a string that is one of the protocol's error codes. */
export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && Object.hasOwn(STATUS, value);
}

export function statusOf(code: ApiErrorCode): number {
  return STATUS[code];
}

export class ApiHttpError extends Error {
  override name = 'ApiHttpError';
  readonly statusCode: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }

  toBody(): ApiError {
    return { code: this.code, message: this.message };
  }
}

/**
 * The body of a 500. Not an ApiErrorCode on purpose: a 500 is a bug in the
 * server, not an answer a client can act on, and the elements treat any 5xx
 * as unexpected.
 */
export const INTERNAL_ERROR_BODY = {
  code: 'INTERNAL_ERROR',
  message: 'Internal server error.',
} as const;
