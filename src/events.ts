/**
 * The events the Qoltanba elements fire. Each is a typed Event subclass that
 * bubbles and crosses shadow boundaries (composed), so a portal can listen on
 * `document` without knowing where the elements live. All names share the
 * `qoltanba-` prefix, and each carries an object as `detail` (or none).
 *
 * In the order of the flow: `qoltanba-before-login` (cancelable),
 * `qoltanba-login`, `qoltanba-before-link` (cancelable),
 * `qoltanba-child-linked`, `qoltanba-logout`; at any step `qoltanba-error`,
 * and `qoltanba-login-request` (cancelable) when a control asks for a login.
 */
import type { ApiErrorCode, Child, User } from './api/protocol.js';
import type { CertificateInfo, KeyFileErrorCode } from './crypto/types.js';
import type { NcaLayerErrorCode } from './ncalayer/ncalayer-types.js';

const SHARED: EventInit = { bubbles: true, composed: true };

export interface LoginDetail {
  user: User;
  /** True when the user still has to give an email address. */
  needsEmail: boolean;
}

/**
 * A user logged in with a signature. Fires again with `needsEmail: false`
 * once a first-time user has saved an email address.
 */
export class QoltanbaLoginEvent extends Event {
  static readonly eventName = 'qoltanba-login';
  constructor(readonly detail: LoginDetail) {
    super(QoltanbaLoginEvent.eventName, SHARED);
  }
}

export interface BeforeLoginDetail {
  /** Where the signature came from: "file", "ncalayer" or "egov". */
  source: 'file' | 'ncalayer' | 'egov';
  /**
   * The certificate of the key that signed, as the element showed it; null
   * for eGov, whose signature only the backend sees.
   */
  certificate: CertificateInfo | null;
  /** For eGov, the user the backend verified; null otherwise. */
  user: User | null;
}

/**
 * A login is about to happen. Cancelable: `preventDefault()` refuses it
 * (for example, a portal that only accepts certain keys). For a key file
 * or NCALayer, the user pressed "Log in" and the signature is not sent; the
 * element stays on the signed step. For eGov, the backend has verified the
 * phone's signature and opened a session; the element logs it out before
 * anything uses it and goes back to the key sources.
 */
export class QoltanbaBeforeLoginEvent extends Event {
  static readonly eventName = 'qoltanba-before-login';
  constructor(readonly detail: BeforeLoginDetail) {
    super(QoltanbaBeforeLoginEvent.eventName, {
      ...SHARED,
      cancelable: true,
    });
  }
}

/** The user logged out (or the element found the session gone). */
export class QoltanbaLogoutEvent extends Event {
  static readonly eventName = 'qoltanba-logout';
  constructor() {
    super(QoltanbaLogoutEvent.eventName, SHARED);
  }
}

export interface BeforeLinkDetail {
  /** The child's IIN that is about to be sent: 12 digits, checked. */
  iin: string;
  /** The birth date the IIN encodes, YYYY-MM-DD. */
  birthDate: string;
}

/**
 * The IIN passed every check and is about to be sent to the backend.
 * Cancelable: `preventDefault()` sends nothing and leaves the typed IIN in
 * place (for example, a portal that asks for a confirmation first).
 */
export class QoltanbaBeforeLinkEvent extends Event {
  static readonly eventName = 'qoltanba-before-link';
  constructor(readonly detail: BeforeLinkDetail) {
    super(QoltanbaBeforeLinkEvent.eventName, {
      ...SHARED,
      cancelable: true,
    });
  }
}

export interface ChildLinkedDetail {
  child: Child;
}

/** The backend confirmed kinship and linked a child to the user. */
export class QoltanbaChildLinkedEvent extends Event {
  static readonly eventName = 'qoltanba-child-linked';
  constructor(readonly detail: ChildLinkedDetail) {
    super(QoltanbaChildLinkedEvent.eventName, SHARED);
  }
}

/**
 * Every code an element may report: backend, transport, key file and
 * NCALayer.
 */
export type QoltanbaErrorCode =
  | ApiErrorCode
  | 'NETWORK'
  | 'UNEXPECTED'
  | KeyFileErrorCode
  | NcaLayerErrorCode
  /** A part of an element's code did not load (offline, or redeployed). */
  | 'LOAD_FAILED';

export interface ErrorDetail {
  code: QoltanbaErrorCode;
  /** The tag name of the element that met the error, e.g. "eds-login". */
  source: string;
}

/**
 * An element showed an error to the user. For a portal's analytics or
 * support tooling; the element has already explained it on the page.
 */
export class QoltanbaErrorEvent extends Event {
  static readonly eventName = 'qoltanba-error';
  constructor(readonly detail: ErrorDetail) {
    super(QoltanbaErrorEvent.eventName, SHARED);
  }
}

/**
 * A control asks for a (new) login, e.g. "Log in again" after the session
 * expired. `<eds-login>` on the same page answers by showing its key form
 * and taking focus; a portal that logs in elsewhere can listen and call
 * `preventDefault()` to handle it itself.
 */
export class QoltanbaLoginRequestEvent extends Event {
  static readonly eventName = 'qoltanba-login-request';
  constructor() {
    super(QoltanbaLoginRequestEvent.eventName, { ...SHARED, cancelable: true });
  }
}

interface QoltanbaEventMap {
  'qoltanba-before-login': QoltanbaBeforeLoginEvent;
  'qoltanba-login': QoltanbaLoginEvent;
  'qoltanba-logout': QoltanbaLogoutEvent;
  'qoltanba-before-link': QoltanbaBeforeLinkEvent;
  'qoltanba-child-linked': QoltanbaChildLinkedEvent;
  'qoltanba-error': QoltanbaErrorEvent;
  'qoltanba-login-request': QoltanbaLoginRequestEvent;
}

declare global {
  // Elements, the document and the window all see the events, because they
  // bubble and are composed.
  interface HTMLElementEventMap extends QoltanbaEventMap {}
  interface DocumentEventMap extends QoltanbaEventMap {}
  interface WindowEventMap extends QoltanbaEventMap {}
}
