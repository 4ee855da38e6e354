/**
 * The backend routes for logging in with the eGov mobile app by QR code
 * (domain.md §2), beside those in protocol.ts. The browser starts a signing
 * session and polls it; the phone reads the QR, fetches the document (the
 * login challenge) and sends it back signed.
 *
 * Browser (cookies, CSRF header):
 *   POST /auth/egov         -> EgovStartResponse (sets the QR-login cookie)
 *   POST /auth/egov/status  -> EgovStatusResponse; when the phone has
 *                              signed, logs in and sets the session cookie
 * Phone (no cookies; the QR's URLs and an auth token):
 *   GET  /egov/<id>           API-1: EgovApi1Response
 *   GET  /egov/<id>/document  API-2: EgovApi2Response (Authorization:
 *                             Bearer <auth_token>)
 *   PUT  /egov/<id>/document  the API-2 JSON with the CMS in place of each
 *                             document's data -> 200, or 403 with ApiError
 */
import type { SessionResponse } from './protocol.js';

export interface EgovStartResponse {
  /** What the QR code holds: `mobileSign:` and the API-1 URL. */
  qr: string;
  /** The same-phone link: https://m.egov.kz/mobileSign?link=<API-1>. */
  deepLink: string;
  /** When the phone can no longer sign (ISO 8601). */
  expiresAt: string;
}

export type EgovStatusResponse =
  | { status: 'pending'; expiresAt: string }
  | ({ status: 'done' } & SessionResponse);

export interface EgovApi1Response {
  description: string;
  /** ISO 8601. */
  expiry_date: string;
  organisation: {
    nameRu: string;
    nameKz: string;
    nameEn: string;
    bin: string;
  };
  document: {
    uri: string;
    auth_type: 'None' | 'Token' | 'Eds';
    auth_token: string;
  };
}

export interface EgovDocument {
  id: number;
  nameRu: string;
  nameKz: string;
  nameEn: string;
  meta: Array<{ name: string; value: string }>;
  /** `data`: base64 of the content; in the PUT, the CMS (base64 DER). */
  document: { file: { mime: string; data: string } };
}

export interface EgovApi2Response {
  signMethod: 'CMS_WITH_DATA';
  documentsToSign: EgovDocument[];
}
