/**
 * The backend protocol: the JSON the elements exchange with a Qoltanba
 * backend. The reference server (server/) implements it; a portal that writes
 * its own backend implements the same routes and shapes.
 *
 * Every route lives under the backend URL given to the elements
 * (`backend-url`, for example `https://portal.example.kz/api`). Requests send
 * cookies (`credentials: 'include'`); every POST, PUT and DELETE carries the
 * header `X-Qoltanba: 1`, which a cross-site form cannot set, as a CSRF guard.
 *
 *   POST   /auth/challenge  -> ChallengeResponse   (sets the pre-login cookie)
 *   POST   /auth/login      LoginRequest -> SessionResponse (sets the session)
 *   POST   /auth/logout     -> 204
 *   GET    /me              -> SessionResponse, or 401 NOT_AUTHENTICATED
 *   PUT    /me/email        EmailRequest -> SessionResponse
 *   GET    /children        -> ChildrenResponse
 *   POST   /children        LinkChildRequest -> LinkChildResponse
 *
 * Failures answer 4xx with an ApiError body; never 5xx for bad input.
 */

/** The header every state-changing request carries. */
export const CSRF_HEADER = 'X-Qoltanba';

export interface ChallengeResponse {
  /**
   * The text to sign, exactly as given: its UTF-8 bytes are the CMS content.
   * It is readable by a person and names the portal's origin.
   */
  challenge: string;
  /** When the challenge stops being accepted (ISO 8601). */
  expiresAt: string;
}

export interface LoginRequest {
  /** CMS SignedData with the challenge attached: base64 DER, or PEM. */
  signature: string;
}

export interface User {
  /** The IIN from the certificate's SERIALNUMBER (12 digits). */
  iin: string;
  /** The name as the certificate gives it, e.g. "ТЕСТОВ ТЕСТ ТЕСТОВИЧ". */
  fullName: string;
  email: string | null;
}

export interface SessionResponse {
  user: User;
  /** True until the user has given an email address (first login). */
  needsEmail: boolean;
}

export interface EmailRequest {
  email: string;
}

export interface LinkChildRequest {
  iin: string;
}

export interface QueueApplication {
  /** The application's number in the queue system, e.g. "AL-2023-004512". */
  number: string;
  /** Preferred kindergartens, in order of preference. */
  kindergartens: string[];
  /** Place in the queue (1 = next). */
  queuePosition: number;
  status: 'queued' | 'offered' | 'enrolled' | 'cancelled';
  /** Date the application was filed (YYYY-MM-DD). */
  submittedOn: string;
}

export interface Child {
  iin: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  applications: QueueApplication[];
}

export interface ChildrenResponse {
  children: Child[];
}

export interface LinkChildResponse {
  /** Always KINSHIP_CONFIRMED on success. */
  code: 'KINSHIP_CONFIRMED';
  child: Child;
}

/** Stable error codes. The elements map each to a localized message. */
export type ApiErrorCode =
  // Request shape.
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'CSRF_HEADER_MISSING'
  | 'ORIGIN_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  // Challenge.
  | 'CHALLENGE_NOT_FOUND'
  | 'CHALLENGE_EXPIRED'
  | 'CHALLENGE_USED'
  | 'CHALLENGE_SESSION_MISMATCH'
  // Signature and certificate.
  | 'SIGNATURE_MALFORMED'
  | 'SIGNATURE_INVALID'
  | 'CONTENT_MISMATCH'
  | 'SIGNER_COUNT'
  | 'CERT_MISSING'
  | 'CERT_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'CERT_NO_IIN'
  | 'CERT_WRONG_PURPOSE'
  | 'CERT_REVOKED'
  /** An organisation's key where a person's own key is required. */
  | 'CERT_LEGAL_ENTITY'
  /** The signed challenge names another site's origin. */
  | 'ORIGIN_MISMATCH'
  /** The CRL or OCSP responder could not be asked or did not answer. */
  | 'REVOCATION_UNKNOWN'
  | 'ALGORITHM_UNSUPPORTED'
  // Session.
  | 'NOT_AUTHENTICATED'
  | 'SESSION_EXPIRED'
  | 'EMAIL_REQUIRED'
  | 'EMAIL_INVALID'
  // Linking.
  | 'IIN_INVALID'
  | 'IIN_OWN'
  | 'CHILD_TOO_OLD'
  | 'CHILD_NOT_FOUND'
  | 'ALREADY_LINKED'
  | 'LINKED_TO_OTHER'
  | 'KINSHIP_NOT_CONFIRMED'
  /** The population registry could not be asked; try again later. */
  | 'REGISTRY_UNAVAILABLE';

export interface ApiError {
  code: ApiErrorCode;
  /** English, for developers and logs; the elements show their own text. */
  message: string;
}
