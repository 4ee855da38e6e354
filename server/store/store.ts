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

/** A child as the queue system knows it, with its applications. */
export interface ChildRecord {
  iin: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  applications: QueueApplication[];
}

export interface LinkRecord {
  parentIin: string;
  childIin: string;
  linkedAt: Date;
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

  /**
   * Deletes challenges and sessions that expired before `before`. Callers
   * keep a grace period, so that a client still hears "expired" rather than
   * "not found" for a while.
   */
  purgeExpired(before: Date): Promise<void>;
  close(): Promise<void>;
}
