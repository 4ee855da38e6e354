/**
 * What `<eds-login>` judges about a key before anything is signed: whether
 * it can log in at all, and what the user should know before signing with
 * it. Pure functions over CertificateInfo, with no DOM, so the rules are
 * tested apart from the element.
 */
import type { CertificateInfo } from '../crypto/types.js';

/** Why a key cannot log in; the key is greyed out with the reason. */
export type KeyRefusal = 'expired' | 'not-yet-valid' | 'sign-only' | 'no-iin';

/** What the user should know before signing; the key stays usable. */
export type KeyWarning = 'expires-soon' | 'organisation';

export interface KeyCheck {
  refusal: KeyRefusal | null;
  warnings: KeyWarning[];
  /** Whole days left until the certificate expires (0 on its last day). */
  daysLeft: number;
}

/** A certificate this close to its end gets an "expires soon" warning. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Judges a key for logging in to a portal for individuals. */
export function checkKey(
  info: CertificateInfo,
  now: Date = new Date(),
): KeyCheck {
  const left = info.notAfter.getTime() - now.getTime();
  const daysLeft = Math.floor(left / DAY_MS);
  const warnings: KeyWarning[] = [];
  let refusal: KeyRefusal | null = null;
  if (now > info.notAfter) refusal = 'expired';
  else if (now < info.notBefore) refusal = 'not-yet-valid';
  else if (info.purpose === 'sign') refusal = 'sign-only';
  else if (!info.iin || info.holder === 'system') refusal = 'no-iin';
  if (refusal === null && daysLeft < EXPIRY_WARNING_DAYS) {
    warnings.push('expires-soon');
  }
  if (info.holder === 'legal-entity') warnings.push('organisation');
  return { refusal, warnings, daysLeft: Math.max(daysLeft, 0) };
}

/**
 * The key to preselect: the first one that can log in without a warning,
 * else the first that can log in at all, else none.
 */
export function preferredKey<T extends { info: CertificateInfo }>(
  choices: readonly T[],
  now: Date = new Date(),
): T | null {
  const checks = choices.map((c) => checkKey(c.info, now));
  const clean = choices.findIndex(
    (_, i) => !checks[i]!.refusal && checks[i]!.warnings.length === 0,
  );
  if (clean >= 0) return choices[clean]!;
  const usable = choices.findIndex((_, i) => !checks[i]!.refusal);
  return usable >= 0 ? choices[usable]! : null;
}
