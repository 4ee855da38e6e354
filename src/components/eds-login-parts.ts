/**
 * The parts of `<eds-login>` that a page does not need before the user
 * picks them: the key list (with a key file), NCALayer, eGov Mobile, and
 * the first-login email step.
 * Each is a chunk of its own, loaded with import() on first use, so the
 * script a page loads first stays small (#7). A part talks back to the
 * element only through a SourceContext.
 */
import type { ApiClient } from '../api/client.js';
import type { SessionResponse } from '../api/protocol.js';
import type { CertificateInfo } from '../crypto/types.js';
import type { QoltanbaErrorCode } from '../events.js';
import { useLocalePart } from '../localization.js';
import type { EdsLogin } from './eds-login.js';

/**
 * A part's chunk did not load: the connection dropped, or the portal was
 * updated since the page loaded and the old chunk is gone.
 */
export class PartLoadError extends Error {
  override name = 'PartLoadError';
  readonly code = 'LOAD_FAILED';
}

/**
 * The loaders, in one object so that a test can make one fail. Not cached
 * here, but Chromium (150) keeps a failed import() failed until the page
 * reloads, so the message for LOAD_FAILED says to reload.
 */
export const edsLoginParts = {
  keys: () => import('./eds-login-keys.js'),
  ncalayer: () => import('./eds-login-ncalayer.js'),
  egov: () => import('./eds-login-egov.js'),
  email: () => import('./eds-login-email.js'),
};

export type PartName = keyof typeof edsLoginParts;
export type Part<K extends PartName> = Awaited<
  ReturnType<(typeof edsLoginParts)[K]>
>;

/**
 * Loads a part with its translations; a failed load becomes a
 * PartLoadError.
 */
export function loadPart<K extends PartName>(name: K): Promise<Part<K>> {
  const load = edsLoginParts[name] as () => Promise<Part<K>>;
  return importPart(() =>
    Promise.all([load(), useLocalePart(name)]).then(([part]) => part),
  );
}

/** Runs an import(); a failed load becomes a PartLoadError. */
export async function importPart<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new PartLoadError('A part of the page did not load.', {
      cause: error,
    });
  }
}

/** Codes that mean the user is no longer logged in. */
export const SESSION_GONE: readonly QoltanbaErrorCode[] = [
  'NOT_AUTHENTICATED',
  'SESSION_EXPIRED',
];

/** What a live region says; parts name their own steps. */
export type LoginStatus =
  | 'checking'
  | 'loading'
  | 'opening'
  | 'ncalayer-asking'
  | 'ncalayer-listed'
  | 'ncalayer-unlisted'
  | 'ncalayer-signing'
  | 'egov-starting'
  | 'egov-waiting'
  | 'egov-expired'
  | 'keys-listed'
  | 'keys-unusable'
  | 'signing'
  | 'signed'
  | 'logging-in'
  | 'logged-in'
  | 'saving-email'
  | 'logging-out'
  | 'logged-out';

/** Where a signature came from. */
export type LoginSource = 'file' | 'ncalayer' | 'egov';

/** What the element lends a part: its settings and its state machine. */
export interface SourceContext {
  readonly host: EdsLogin;
  api(): ApiClient;
  codeOf(error: unknown): QoltanbaErrorCode;
  /** Busy, no error, and `status` announced. */
  start(status: LoginStatus): void;
  /** Not busy; announces `status` (nothing when null). */
  settle(status: LoginStatus | null): void;
  /** Shows the QR step. */
  showQr(): void;
  /** A signature made in NCALayer: show the signer with "Log in". */
  toSigned(signature: string, signer: CertificateInfo): Promise<void>;
  /** Whether a step is under way. */
  busy(): boolean;
  /** The backend answered with a session: show it, fire the login. */
  loggedIn(session: SessionResponse): Promise<void>;
  /** The phone signed and the backend opened a session. */
  signedByPhone(session: SessionResponse): Promise<void>;
  toKeyForm(): void;
  fail(error: unknown): Promise<void>;
  focus(selector: string): Promise<void>;
}
