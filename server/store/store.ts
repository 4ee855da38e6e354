/**
 * What the backend keeps, behind a small interface so that a portal can put
 * PostgreSQL (or its own services) where the reference SQLite store is.
 * Every method is async for that reason, although SQLite answers at once.
 *
 * Secrets never reach the store in the clear: challenges are bound to the
 * hash of the pre-login cookie, and sessions are found by the hash of their
 * token, so a leaked database logs nobody in.
 */
import type { QueueApplication } from '../../src/api/protocol.js';

export interface ChallengeRecord {
  /** Random id; the pre-login cookie carries it with a secret. */
  id: string;
  /** The exact text to be signed. */
  text: string;
  /** SHA-256 (hex) of the pre-login cookie's secret part. */
  bindingHash: string;
  issuedAt: Date;
  expiresAt: Date;
  used: boolean;
}

export interface UserRecord {
  iin: string;
  fullName: string;
  email: string | null;
  createdAt: Date;
  lastLoginAt: Date;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session cookie's token. */
  tokenHash: string;
  userIin: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A name in the portal's three languages. */
export interface LocalizedText {
  kk: string;
  ru: string;
  en: string;
}

/**
 * A queue application as stored: the kindergartens are named in every
 * language, and the API answers in the request's (routes/children.ts).
 */
export interface StoredApplication
  extends Omit<QueueApplication, 'kindergartens'> {
  /** Preferred kindergartens, in order of preference. */
  kindergartens: LocalizedText[];
}

/** A child as the queue system knows it, with its applications. */
export interface ChildRecord {
  iin: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  applications: StoredApplication[];
}

export interface LinkRecord {
  parentIin: string;
  childIin: string;
  linkedAt: Date;
}

/**
 * Where an eGov mobile signing session stands: 'pending' until a phone's
 * PUT claims it, 'verifying' while that one PUT is checked (no other can
 * claim it), then 'signed' or 'failed'; 'done' once the browser that
 * showed the QR has logged in with it.
 */
export type EgovSessionState =
  | 'pending'
  | 'verifying'
  | 'signed'
  | 'failed'
  | 'done';

/** Who signed, kept between the phone's PUT and the browser's poll. */
export interface EgovSigner {
  iin: string;
  fullName: string;
  certSerial: string;
  certIssuer: string;
}

export interface EgovSessionRecord {
  /** Random id; in the QR's URLs and, with a secret, the browser cookie. */
  id: string;
  /** SHA-256 (hex) of the browser cookie's secret part. */
  bindingHash: string;
  /** SHA-256 (hex) of the auth token API-1 gave last; null before. */
  tokenHash: string | null;
  /** The login challenge the phone signs. */
  challenge: string;
  /** The page that showed the QR, as the challenge names it. */
  origin: string;
  expiresAt: Date;
  state: EgovSessionState;
  /** The error code of a failed signature. */
  failure: string | null;
  /** Set from 'signed' on; until then null. */
  signer: EgovSigner | null;
}

export interface Store {
  saveChallenge(challenge: ChallengeRecord): Promise<void>;
  findChallenge(id: string): Promise<ChallengeRecord | null>;
  /**
   * Marks the challenge used if it is unused and not expired at `now`, in
   * one atomic step. True for exactly one caller per challenge.
   */
  consumeChallenge(id: string, now: Date): Promise<boolean>;

  /** Creates the user or refreshes the name and last login time. */
  upsertUser(iin: string, fullName: string, now: Date): Promise<UserRecord>;
  findUser(iin: string): Promise<UserRecord | null>;
  setUserEmail(iin: string, email: string): Promise<UserRecord | null>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * Ends every session of a user (a revoked key, a stolen laptop, "log
   * out everywhere"); returns how many there were.
   */
  deleteSessionsOf(userIin: string): Promise<number>;

  /** Adds or replaces a child and its applications (seeding, imports). */
  putChild(child: ChildRecord): Promise<void>;
  findChild(iin: string): Promise<ChildRecord | null>;

  findLink(childIin: string): Promise<LinkRecord | null>;
  /**
   * Links a child to a parent. False when the child is already linked to
   * anyone: one child has one linked parent, and the check and the insert
   * are one atomic step.
   */
  createLink(parentIin: string, childIin: string, now: Date): Promise<boolean>;
  /** The parent's linked children, oldest link first. */
  listChildrenOf(parentIin: string): Promise<ChildRecord[]>;

  saveEgovSession(session: EgovSessionRecord): Promise<void>;
  findEgovSession(id: string): Promise<EgovSessionRecord | null>;
  /**
   * Gives a pending, unexpired session a new auth token (API-1 was read
   * again). False when the session is no longer open to signing.
   */
  setEgovToken(id: string, tokenHash: string, now: Date): Promise<boolean>;
  /**
   * Moves a pending, unexpired session whose auth token has this hash to
   * 'verifying', in one atomic step: true for exactly one PUT per session.
   */
  claimEgovSession(id: string, tokenHash: string, now: Date): Promise<boolean>;
  /** Ends the verification of a claimed session: signed, or failed. */
  finishEgovSigning(
    id: string,
    outcome: { signer: EgovSigner } | { failure: string },
  ): Promise<void>;
  /**
   * Moves a signed session to 'done' and returns its signer, in one
   * atomic step: of two polls at once, exactly one logs in.
   */
  completeEgovSession(id: string): Promise<EgovSigner | null>;
  deleteEgovSession(id: string): Promise<void>;

  /**
   * Deletes challenges, sessions and eGov signing sessions that expired
   * before `before`. Callers keep a grace period, so that a client still
   * hears "expired" rather than "not found" for a while.
   */
  purgeExpired(before: Date): Promise<void>;
  close(): Promise<void>;
}
