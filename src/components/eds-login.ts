import { localized, msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { EgovStartResponse } from '../api/egov-protocol.js';
import type { SessionResponse, User } from '../api/protocol.js';
import type { CertificateInfo } from '../crypto/types.js';
import {
  QoltanbaBeforeLoginEvent,
  QoltanbaLoginEvent,
  QoltanbaLogoutEvent,
  type QoltanbaErrorCode,
  type QoltanbaErrorEvent,
  type QoltanbaLoginRequestEvent,
} from '../events.js';
import { getLocale } from '../localization.js';
import { errorAlert } from './error-alert.js';
import {
  NCALAYER_STORAGES,
  NCALAYER_URL,
  NcaLayerError,
} from '../ncalayer/ncalayer-types.js';
import { formatDateTime, formatPeriod } from '../messages/format.js';
import { daysLeft } from '../messages/plural.js';
import { qrSvg } from './egov-qr.js';
import { edsLoginStyles } from './eds-login.styles.js';
import {
  checkKey,
  preferredKey,
  type KeyCheck,
  type KeyRefusal,
  type KeyWarning,
} from './key-check.js';
import { QoltanbaElement } from './qoltanba-element.js';
import { sharedStyles } from './shared.styles.js';

/** One key of an opened key file, as the key-file signer lists it. */
export interface LoginKeyChoice {
  id: string;
  info: CertificateInfo;
}

/** An opened key file: its keys, signing, and forgetting the keys. */
export interface LoginKeyRing {
  choices: LoginKeyChoice[];
  /** Signs `content`; resolves to a CMS SignedData, base64 DER. */
  sign(id: string, content: Uint8Array): Promise<string>;
  dispose(): void;
}

/** Opens a key file with its password; throws KeyFileError on failure. */
export type KeyRingLoader = (
  file: Uint8Array,
  password: string,
) => Promise<LoginKeyRing>;

/**
 * The real signer. It is imported only here, on demand, so that pkijs and the
 * key-file code load only when someone opens a key file.
 */
export const loadKeyFileSigner: KeyRingLoader = async (file, password) => {
  const { openKeys } = await import('../crypto/key-file-signer.js');
  return openKeys(file, password);
};

/**
 * Signs through NCALayer; resolves to base64 CMS, or null on the user's
 * cancel. The real one is loaded on first use.
 */
export type NcaLayerSigner = (options: {
  content: Uint8Array;
  storages: readonly string[];
  url: string;
  connectTimeoutMs: number;
}) => Promise<string | null>;

export const ncaLayerSigner: NcaLayerSigner = async (options) => {
  const { signWithNcaLayer } = await import('../ncalayer/ncalayer-signer.js');
  return signWithNcaLayer({ ...options, locale: getLocale() });
};

type Step = 'checking' | 'keys' | 'qr' | 'signed' | 'email' | 'done';
type Status =
  | 'checking'
  | 'opening'
  | 'ncalayer-signing'
  | 'egov-starting'
  | 'egov-waiting'
  | 'egov-expired'
  | 'keys-listed'
  | 'signing'
  | 'signed'
  | 'logging-in'
  | 'logged-in'
  | 'saving-email'
  | 'logging-out'
  | 'logged-out';
type EmailProblem = 'empty' | 'invalid';

const SESSION_GONE: readonly QoltanbaErrorCode[] = [
  'NOT_AUTHENTICATED',
  'SESSION_EXPIRED',
];

// Deliberately loose: the backend has the last word (EMAIL_INVALID); this
// only catches a missing "@" or domain before a round trip.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * Logs a user in with an NCA electronic-signature key file, in the steps of
 * the original portal: choose the key file, type its password, refresh the
 * key list, pick a key, sign, then log in. Asks for an email address on the
 * first login and shows who is logged in, with a log-out button. On load it
 * restores the session from `GET /me`.
 *
 * The key file never leaves the browser: it is opened and used to sign the
 * backend's challenge here, and the password is cleared right after use.
 *
 * @summary Log in with an electronic signature (ЭСҚ бойынша).
 *
 * @attribute backend-url - Base URL of the Qoltanba backend. Default "/api".
 * @attribute lang - Language: kk, ru or en. Default: the closest ancestor's
 *   or the document's language, else the browser's, else kk.
 * @attribute sources - The key sources offered, separated by spaces:
 *   "file" (a key file opened in the page), "ncalayer" (NCA's desktop
 *   app, for tokens and ID cards) and "egov" (a QR code for the eGov
 *   mobile app). Default "file ncalayer egov". The eGov login completes on
 *   the backend when the phone has signed, so it fires no
 *   qoltanba-before-login.
 * @attribute ncalayer-storages - NCALayer's storages offered, by
 *   NCALayer's names, separated by spaces. Default: PKCS12,
 *   AKKaztokenStore, AKKZIDCardStore, AKEToken72KStore, AKEToken5110Store,
 *   AKJaCartaStore and AKAKEYStore.
 * @attribute ncalayer-url - Where NCALayer listens. Default
 *   "wss://127.0.0.1:13579".
 *
 * @fires {QoltanbaBeforeLoginEvent} qoltanba-before-login - "Log in" was
 *   pressed and the signature is about to be sent; detail `{certificate}`.
 *   Cancelable: `preventDefault()` sends nothing.
 * @fires {QoltanbaLoginEvent} qoltanba-login - A user logged in; detail
 *   `{user, needsEmail}`. Fires again with `needsEmail: false` once a first
 *   email address is saved.
 * @fires {QoltanbaLogoutEvent} qoltanba-logout - The user logged out.
 * @fires {QoltanbaErrorEvent} qoltanba-error - An error was shown; detail
 *   `{code, source}`.
 *
 * @csspart panel - The outer box.
 * @csspart heading - The title.
 * @csspart key-form - The key file and password form.
 * @csspart ncalayer-button - "Sign with NCALayer".
 * @csspart help - Steps that help with an NCALayer error.
 * @csspart egov - The eGov mobile QR step.
 * @csspart qr - The QR code; `data-payload` holds what it encodes.
 * @csspart countdown - The time left to scan the QR code.
 * @csspart egov-link - The same-phone link, shown on small screens.
 * @csspart egov-restart - "Show a new QR code" after it expired.
 * @csspart egov-cancel - "Choose another way" from the QR step.
 * @csspart refresh-button - "Refresh key list".
 * @csspart key-list - The group of keys found in the file.
 * @csspart key - One key with its certificate's details.
 * @csspart key-warning - A warning about a key: expires soon, organisation.
 * @csspart key-reason - Why a key is greyed out.
 * @csspart sign-button - "Sign".
 * @csspart signer - The signer's name after signing.
 * @csspart login-button - "Log in".
 * @csspart remove-button - "Remove": forget the signature.
 * @csspart email-form - The first-login email form.
 * @csspart user - The logged-in user's name; a button that opens the menu.
 * @csspart user-menu - The menu under the name, with "Log out".
 * @csspart logout-button - "Log out".
 * @csspart status - The live region announcing progress.
 * @csspart error - The error message box.
 *
 * @cssprop [--qoltanba-color-primary=#0b5cab] - Headings, buttons, borders.
 * @cssprop [--qoltanba-color-accent=#00727a] - The chosen key, subtitle.
 * @cssprop [--qoltanba-color-error=#c0262d] - Errors, refused keys.
 * @cssprop [--qoltanba-color-warning=#8a4b00] - Warnings about a key.
 * @cssprop [--qoltanba-color-text=#1b2330] - Body text.
 * @cssprop [--qoltanba-color-muted=#535d6b] - Hints, labels of details.
 * @cssprop [--qoltanba-color-surface=#ffffff] - Background of the panel.
 * @cssprop [--qoltanba-color-border=#8a96a6] - Borders of fields and keys.
 * @cssprop [--qoltanba-color-focus=#ffbf47] - The focus ring.
 * @cssprop [--qoltanba-radius=8px] - Corner radius.
 * @cssprop [--qoltanba-font=Montserrat, Segoe UI, Roboto, Arial, sans-serif]
 *   - Font family.
 * @cssprop [--qoltanba-font-size=1rem] - Base text size.
 * @cssprop [--qoltanba-space=1rem] - Base spacing.
 */
@localized()
export class EdsLogin extends QoltanbaElement {
  static override styles = [sharedStyles, edsLoginStyles];

  @query('#key-file') private fileInput?: HTMLInputElement;
  @query('#password') private passwordInput?: HTMLInputElement;
  @query('#email') private emailInput?: HTMLInputElement;
  @query('#user') private userButton?: HTMLButtonElement;

  #ring: LoginKeyRing | null = null;
  #egovTimer: ReturnType<typeof setInterval> | undefined;
  #egovPoll: ReturnType<typeof setTimeout> | undefined;
  #signature: string | null = null;

  @state() private step: Step = 'checking';
  @state() private status: Status | null = null;
  @state() private busy = false;
  @state() private error: QoltanbaErrorCode | null = null;
  @state() private fileMissing = false;
  @state() private passwordMissing = false;
  @state() private choices: LoginKeyChoice[] = [];
  @state() private selectedId: string | null = null;
  @state() private signer: CertificateInfo | null = null;
  @state() private user: User | null = null;
  @state() private emailProblem: EmailProblem | null = null;
  @state() private emailShown = false;
  @state() private menuOpen = false;
  /** "file", or "ncalayer:" and NCALayer's storage name. */
  @state() private storage = 'file';
  @state() private egov: EgovStartResponse | null = null;
  @state() private secondsLeft = 0;

  /**
   * Opens a key file. Defaults to the real signer, loaded on first use; a
   * test or a portal with its own signer may replace it.
   */
  @property({ attribute: false }) keyRingLoader: KeyRingLoader =
    loadKeyFileSigner;

  /** The key sources offered: "file", "ncalayer", "egov". */
  @property() sources = 'file ncalayer egov';

  /** NCALayer's storages offered, by NCALayer's names. */
  @property({ attribute: 'ncalayer-storages' })
  ncalayerStorages = NCALAYER_STORAGES.filter((s) => s !== 'JKS').join(' ');

  /** Where NCALayer listens. */
  @property({ attribute: 'ncalayer-url' }) ncalayerUrl = NCALAYER_URL;

  /** How long to wait for NCALayer to connect and greet, in ms. */
  @property({ attribute: false }) ncalayerTimeoutMs = 5000;

  /** How often to ask whether the phone has signed, in ms. */
  @property({ attribute: false }) egovPollMs = 2000;

  /** Signs through NCALayer; a test may replace it. */
  @property({ attribute: false }) ncalayerSigner: NcaLayerSigner =
    ncaLayerSigner;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('qoltanba-login-request', this.#onLoginRequest);
    document.addEventListener('qoltanba-error', this.#onOtherError);
    this.load(this.#restore());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(
      'qoltanba-login-request',
      this.#onLoginRequest,
    );
    document.removeEventListener('qoltanba-error', this.#onOtherError);
    this.#closeRing();
    this.#stopEgov();
    this.#signature = null;
  }

  // Another element asks for a login ("Log in again"): show the key form.
  #onLoginRequest = (event: QoltanbaLoginRequestEvent): void => {
    event.preventDefault();
    this.#toKeyForm();
    this.scrollIntoView?.({ block: 'nearest' });
    void this.#focusStart();
  };

  // Another element found the session gone: stop claiming it is alive.
  #onOtherError = (event: QoltanbaErrorEvent): void => {
    if (event.detail.source === this.localName) return;
    if (this.step === 'done' && SESSION_GONE.includes(event.detail.code)) {
      this.user = null;
      this.#toKeyForm();
    }
  };

  async #onOpenKeys(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const storage = this.#storageChoice().chosen;
    if (storage === 'egov') {
      await this.#startEgov();
      return;
    }
    if (storage !== 'file') {
      await this.#signWithNcaLayer(storage.slice('ncalayer:'.length));
      return;
    }
    const file = this.fileInput?.files?.[0];
    const password = this.passwordInput?.value ?? '';
    this.fileMissing = !file;
    this.passwordMissing = password === '';
    if (!file || password === '') {
      await this.#focus(file ? '#password' : '#key-file');
      return;
    }
    this.#closeRing();
    this.#start('opening');
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.#ring = await this.keyRingLoader(bytes, password);
      this.choices = this.#ring.choices;
      this.selectedId = preferredKey(this.choices)?.id ?? null;
      this.status = 'keys-listed';
    } catch (error) {
      await this.#fail(error);
    } finally {
      // The password has done its job. A JS string cannot be wiped, but the
      // page keeps no reference to it and the field is emptied.
      if (this.passwordInput) this.passwordInput.value = '';
      this.busy = false;
    }
  }

  #onFileChange(): void {
    // A new file makes the listed keys stale.
    this.#closeRing();
    this.fileMissing = false;
    this.error = null;
  }

  #onStorageChange(event: Event): void {
    this.storage = (event.target as HTMLSelectElement).value;
    this.#closeRing();
    this.fileMissing = false;
    this.passwordMissing = false;
    this.error = null;
  }

  async #signWithNcaLayer(storage: string): Promise<void> {
    this.#start('ncalayer-signing');
    try {
      const { challenge } = await this.api.challenge();
      const signature = await this.ncalayerSigner({
        content: new TextEncoder().encode(challenge),
        storages: [storage],
        url: this.ncalayerUrl,
        connectTimeoutMs: this.ncalayerTimeoutMs,
      });
      if (signature === null) {
        // Cancel in NCALayer's window: back to the start, nothing to say.
        this.status = null;
        this.busy = false;
        await this.#focus('#storage');
        return;
      }
      const { signerOfCms } = await import('../ncalayer/cms-signer.js');
      const signer = signerOfCms(signature);
      if (!signer) {
        throw new NcaLayerError('NCALAYER_FAILED', 'No signer certificate.');
      }
      await this.#toSigned(signature, signer);
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  #startEgov = async (): Promise<void> => {
    this.#stopEgov();
    this.#start('egov-starting');
    try {
      this.egov = await this.api.egovStart();
      this.step = 'qr';
      this.status = 'egov-waiting';
      this.#tick();
      this.#egovTimer = setInterval(() => this.#tick(), 1000);
      this.#schedulePoll();
      await this.#focus('#qr-heading');
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  };

  #tick(): void {
    const left = Date.parse(this.egov?.expiresAt ?? '') - Date.now();
    this.secondsLeft = Math.max(0, Math.ceil(left / 1000));
    if (this.secondsLeft === 0) this.#toEgovExpired();
  }

  #toEgovExpired(): void {
    this.#stopEgov();
    this.secondsLeft = 0;
    this.status = 'egov-expired';
    void this.#focus('#egov-restart');
  }

  #schedulePoll(): void {
    this.#egovPoll = setTimeout(() => void this.#poll(), this.egovPollMs);
  }

  async #poll(): Promise<void> {
    const shown = this.egov;
    try {
      const answer = await this.api.egovStatus();
      if (this.egov !== shown || this.secondsLeft === 0) return;
      if (answer.status === 'pending') {
        this.#schedulePoll();
        return;
      }
      this.#stopEgov();
      this.egov = null;
      const { user, needsEmail } = answer;
      await this.#enterSession({ user, needsEmail }, true);
    } catch (error) {
      if (this.egov !== shown || this.secondsLeft === 0) return;
      const code = this.codeOf(error);
      // A lost connection may come back before the code expires.
      if (code === 'NETWORK') this.#schedulePoll();
      else if (code === 'CHALLENGE_EXPIRED') this.#toEgovExpired();
      else {
        this.#toKeyForm();
        await this.#fail(error);
      }
    }
  }

  #stopEgov(): void {
    clearInterval(this.#egovTimer);
    clearTimeout(this.#egovPoll);
    this.#egovTimer = undefined;
    this.#egovPoll = undefined;
  }

  async #onEgovCancel(): Promise<void> {
    this.#toKeyForm();
    await this.#focus('#storage');
  }

  /** Whatever signed: show the signer with "Log in". */
  async #toSigned(signature: string, signer: CertificateInfo): Promise<void> {
    this.#signature = signature;
    this.signer = signer;
    this.step = 'signed';
    this.status = 'signed';
    await this.#focus('#login');
  }

  #onKeyChange(event: Event): void {
    this.selectedId = (event.target as HTMLInputElement).value;
  }

  async #onSign(): Promise<void> {
    const ring = this.#ring;
    const choice = this.choices.find((c) => c.id === this.selectedId);
    if (this.busy || !ring || !choice || checkKey(choice.info).refusal) {
      return;
    }
    this.#start('signing');
    try {
      const { challenge } = await this.api.challenge();
      const content = new TextEncoder().encode(challenge);
      const signature = await ring.sign(choice.id, content);
      this.#closeRing();
      await this.#toSigned(signature, choice.info);
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  async #onLogin(): Promise<void> {
    const signature = this.#signature;
    if (this.busy || !signature || !this.signer) return;
    const before = new QoltanbaBeforeLoginEvent({ certificate: this.signer });
    if (!this.dispatchEvent(before)) return;
    this.#start('logging-in');
    try {
      const session = await this.api.login(signature);
      this.#signature = null;
      this.signer = null;
      await this.#enterSession(session, true);
    } catch (error) {
      // After a lost connection the same signature may still be accepted;
      // any refusal means starting again from the key file.
      if (this.codeOf(error) !== 'NETWORK') this.#toKeyForm();
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  async #onRemove(): Promise<void> {
    this.#toKeyForm();
    if (this.fileInput) this.fileInput.value = '';
    await this.#focusStart();
  }

  #onEmailInput(): void {
    // Errors appear on blur or submit, never while typing; but a fixed
    // address clears its error at once.
    if (this.emailShown && !emailProblemOf(this.emailInput?.value ?? '')) {
      this.emailShown = false;
    }
  }

  #onEmailBlur(): void {
    const value = this.emailInput?.value ?? '';
    if (value === '') return;
    this.emailProblem = emailProblemOf(value);
    this.emailShown = this.emailProblem !== null;
  }

  async #onSaveEmail(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const email = (this.emailInput?.value ?? '').trim();
    this.emailProblem = emailProblemOf(email);
    this.emailShown = this.emailProblem !== null;
    if (this.emailProblem) {
      await this.#focus('#email');
      return;
    }
    this.#start('saving-email');
    try {
      const session = await this.api.setEmail(email);
      await this.#enterSession(session, true);
    } catch (error) {
      if (SESSION_GONE.includes(this.codeOf(error))) this.#toKeyForm();
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  #onUserClick(): void {
    this.menuOpen = !this.menuOpen;
    if (this.menuOpen) void this.#focus('#logout');
  }

  #onMenuKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.menuOpen) return;
    event.stopPropagation();
    this.menuOpen = false;
    this.userButton?.focus();
  }

  #onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    const menu = event.currentTarget as HTMLElement;
    if (this.menuOpen && next && !menu.contains(next)) this.menuOpen = false;
  }

  async #onLogout(): Promise<void> {
    if (this.busy) return;
    this.#start('logging-out');
    try {
      await this.api.logout();
    } catch (error) {
      // Already logged out on the server is what the user wanted.
      if (!SESSION_GONE.includes(this.codeOf(error))) {
        this.busy = false;
        await this.#fail(error);
        return;
      }
    }
    this.busy = false;
    this.user = null;
    this.menuOpen = false;
    this.#toKeyForm();
    this.status = 'logged-out';
    this.dispatchEvent(new QoltanbaLogoutEvent());
    await this.#focusStart();
  }

  /** Forgets any opened keys and signature and shows the key form. */
  reset(): void {
    this.#toKeyForm();
    if (this.fileInput) this.fileInput.value = '';
  }

  async #restore(): Promise<void> {
    this.step = 'checking';
    this.status = 'checking';
    try {
      const session = await this.api.me();
      await this.#enterSession(session, false);
    } catch (error) {
      this.step = 'keys';
      this.status = null;
      if (!SESSION_GONE.includes(this.codeOf(error))) {
        this.error = this.codeOf(error);
        this.reportError(this.error);
      }
    }
  }

  async #enterSession(session: SessionResponse, byUser: boolean) {
    this.user = session.user;
    this.step = session.needsEmail ? 'email' : 'done';
    this.status = byUser && !session.needsEmail ? 'logged-in' : null;
    if (byUser) {
      this.dispatchEvent(
        new QoltanbaLoginEvent({
          user: session.user,
          needsEmail: session.needsEmail,
        }),
      );
    }
    if (byUser) {
      // The flow ends on the control that now stands for the user.
      await this.#focus(session.needsEmail ? '#email' : '#user');
    }
  }

  #start(status: Status): void {
    this.busy = true;
    this.error = null;
    this.status = status;
  }

  #toKeyForm(): void {
    this.#closeRing();
    this.#stopEgov();
    this.egov = null;
    this.#signature = null;
    this.signer = null;
    this.step = 'keys';
    this.status = null;
    this.error = null;
  }

  #closeRing(): void {
    this.#ring?.dispose();
    this.#ring = null;
    this.choices = [];
    this.selectedId = null;
  }

  async #fail(error: unknown): Promise<void> {
    const code =
      error instanceof NcaLayerError ? error.code : this.codeOf(error);
    this.error = code;
    this.status = null;
    this.reportError(code);
    await this.#focus('#error');
  }

  /** The first control of the key form: the file, or the source list. */
  async #focusStart(): Promise<void> {
    await this.updateComplete;
    const file = this.renderRoot.querySelector('#key-file');
    await this.#focus(file ? '#key-file' : '#storage');
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render(): TemplateResult {
    return html`
      <section class="panel" part="panel" aria-labelledby="heading">
        <h2 id="heading" part="heading">
          ${msg('Log in to your personal cabinet')}
        </h2>
        <p class="subtitle">${msg('By electronic signature')}</p>
        <p class="status" role="status" part="status">
          ${this.renderStatus()}
        </p>
        ${this.renderError()} ${this.renderStep()}
      </section>
    `;
  }

  private renderStep(): TemplateResult | typeof nothing {
    switch (this.step) {
      case 'checking':
        return nothing;
      case 'keys':
        return this.renderKeyForm();
      case 'qr':
        return this.renderQr();
      case 'signed':
        return this.renderSigned();
      case 'email':
        return this.renderEmailForm();
      case 'done':
        return this.renderUser();
    }
  }

  private renderStatus(): string {
    switch (this.status) {
      case null:
        return '';
      case 'checking':
        return msg('Checking whether you are logged in…');
      case 'opening':
        return msg('Opening the key file…');
      case 'egov-starting':
        return msg('Preparing the QR code…');
      case 'egov-waiting':
        return msg(
          'Scan the QR code with the eGov Mobile app and sign on the phone.',
        );
      case 'egov-expired':
        return msg('The QR code has expired. Show a new one to try again.');
      case 'ncalayer-signing':
        return msg(
          'Waiting for NCALayer: choose your key in its window and enter the PIN or password.',
        );
      case 'keys-listed':
        return msg('The key list is updated. Choose a key and sign.');
      case 'signing':
        return msg('Signing…');
      case 'signed':
        return msg('Signed. Check the name and log in.');
      case 'logging-in':
        return msg('Logging in…');
      case 'logged-in':
        return msg(str`You are logged in: ${this.user?.fullName ?? ''}`);
      case 'saving-email':
        return msg('Saving the email address…');
      case 'logging-out':
        return msg('Logging out…');
      case 'logged-out':
        return msg('You have logged out.');
    }
  }

  private renderError(): TemplateResult | typeof nothing {
    if (!this.error) return nothing;
    return errorAlert(
      this.error,
      this.error.startsWith('NCALAYER_')
        ? this.renderNcaLayerHelp(this.error)
        : nothing,
    );
  }

  /** What the attributes offer, and the choice among it. */
  #storageChoice(): {
    file: boolean;
    storages: string[];
    egov: boolean;
    chosen: string;
  } {
    const sources = this.sources.split(/\s+/);
    const storages = sources.includes('ncalayer')
      ? this.ncalayerStorages.split(/\s+/).filter(Boolean)
      : [];
    const egov = sources.includes('egov');
    const file =
      sources.includes('file') || (storages.length === 0 && !egov);
    const values = [
      ...(file ? ['file'] : []),
      ...storages.map((s) => `ncalayer:${s}`),
      ...(egov ? ['egov'] : []),
    ];
    // A choice the attributes no longer offer falls back to the first.
    const chosen = values.includes(this.storage) ? this.storage : values[0]!;
    return { file, storages, egov, chosen };
  }

  private renderKeyForm(): TemplateResult {
    const { file, storages, egov, chosen: storage } = this.#storageChoice();
    const byNcaLayer = storage.startsWith('ncalayer:');
    return html`
      <form
        part="key-form"
        novalidate
        aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.#onOpenKeys}
      >
        <div class="field">
          <label for="storage">${msg('Key storage')}</label>
          <select id="storage" name="storage" @change=${this.#onStorageChange}>
            ${file
              ? html`<option value="file" ?selected=${storage === 'file'}>
                  ${msg('Personal computer')}
                </option>`
              : nothing}
            ${storages.length > 0
              ? html`<optgroup label=${msg('Through the NCALayer program')}>
                  ${storages.map(
                    (s) =>
                      html`<option
                        value="ncalayer:${s}"
                        ?selected=${storage === `ncalayer:${s}`}
                      >
                        ${this.storageName(s)}
                      </option>`,
                  )}
                </optgroup>`
              : nothing}
            ${egov
              ? html`<option value="egov" ?selected=${storage === 'egov'}>
                  ${msg('eGov Mobile app')}
                </option>`
              : nothing}
          </select>
        </div>
        ${byNcaLayer
          ? html`<p id="ncalayer-hint" class="hint">
                ${msg(
                  'NCALayer, the program of the National Certification Authority, must be running on this computer. It will ask for the PIN or password of your key in its own window.',
                )}
              </p>
              <div class="actions">
                <button
                  type="submit"
                  part="ncalayer-button"
                  aria-describedby="ncalayer-hint"
                >
                  ${msg('Sign with NCALayer')}
                </button>
              </div>`
          : storage === 'egov'
            ? html`<p id="egov-hint" class="hint">
                  ${msg(
                    'Sign with the eGov Mobile app on your phone: this page shows a QR code to scan.',
                  )}
                </p>
                <div class="actions">
                  <button
                    type="submit"
                    part="egov-button"
                    aria-describedby="egov-hint"
                  >
                    ${msg('Show the QR code')}
                  </button>
                </div>`
            : html`${this.renderFileField()} ${this.renderPasswordField()}
              <div class="actions">
                <button type="submit" part="refresh-button">
                  ${msg('Refresh key list')}
                </button>
              </div>`}
      </form>
      ${this.choices.length > 0 ? this.renderKeyList() : nothing}
    `;
  }

  private renderQr(): TemplateResult {
    const egov = this.egov!;
    const expired = this.secondsLeft === 0;
    const minutes = Math.floor(this.secondsLeft / 60);
    const seconds = String(this.secondsLeft % 60).padStart(2, '0');
    const left = `${minutes}:${seconds}`;
    return html`
      <section class="egov" part="egov" aria-labelledby="qr-heading">
        <h3 id="qr-heading" tabindex="-1">${msg('Sign with eGov Mobile')}</h3>
        ${expired
          ? html`<p>${msg('The QR code has expired.')}</p>
              <div class="actions">
                <button
                  id="egov-restart"
                  type="button"
                  part="egov-restart"
                  @click=${this.#startEgov}
                >
                  ${msg('Show a new QR code')}
                </button>
              </div>`
          : html`<p>
                ${msg(
                  'Open the eGov Mobile app on your phone, choose signing by QR code and point the camera at this code.',
                )}
              </p>
              <div class="qr" part="qr" data-payload=${egov.qr}>
                ${qrSvg(egov.qr, msg('QR code for eGov Mobile'))}
              </div>
              <p class="countdown" part="countdown">
                ${msg(str`The code is valid for ${left} more.`)}
              </p>
              <a class="egov-link" part="egov-link" href=${egov.deepLink}>
                ${msg('Open eGov Mobile on this phone')}
              </a>`}
        <div class="actions">
          <button
            type="button"
            class="secondary"
            part="egov-cancel"
            @click=${this.#onEgovCancel}
          >
            ${msg('Choose another way')}
          </button>
        </div>
      </section>
    `;
  }

  private storageName(storage: string): string {
    switch (storage) {
      case 'PKCS12':
        return msg('Key file (.p12)');
      case 'JKS':
        return msg('Key file (.jks)');
      case 'AKKZIDCardStore':
        return msg('ID card');
      case 'AKKaztokenStore':
        return 'Kaztoken';
      case 'AKEToken72KStore':
        return 'eToken 72K';
      case 'AKEToken5110Store':
        return 'eToken 5110';
      case 'AKJaCartaStore':
        return 'JaCarta';
      case 'AKAKEYStore':
        return 'aKey';
      default:
        return storage;
    }
  }

  private renderNcaLayerHelp(code: string): TemplateResult {
    const os = operatingSystem();
    const steps: string[] = [];
    if (code === 'NCALAYER_UNREACHABLE' || code === 'NCALAYER_TIMEOUT') {
      steps.push(ncaLayerStartStep(os));
    }
    if (code === 'NCALAYER_UNREACHABLE') steps.push(ncaLayerTrustStep(os));
    if (code === 'NCALAYER_TIMEOUT') {
      steps.push(
        msg(
          'If NCALayer is running but does not answer, quit it and start it again.',
        ),
      );
    }
    if (code === 'NCALAYER_OUTDATED' || code === 'NCALAYER_UNREACHABLE') {
      steps.push(
        msg(
          'Download the latest NCALayer from the website of the National Certification Authority: ncl.pki.gov.kz.',
        ),
      );
    }
    if (code === 'NCALAYER_FAILED') {
      steps.push(
        msg('Check that the token or ID card is connected, then try again.'),
      );
    }
    return html`<ol class="help" part="help">
      ${steps.map((step) => html`<li>${step}</li>`)}
    </ol>`;
  }

  private renderFileField(): TemplateResult {
    const error = this.fileMissing;
    const describedBy = error ? 'key-file-hint key-file-error' : 'key-file-hint';
    return html`
      <div class="field ${error ? 'field--error' : ''}">
        <label for="key-file">${msg('Key file')}</label>
        <span id="key-file-hint" class="hint">
          ${msg(
            'The .p12 file from the National Certification Authority, for example AUTH_RSA256_….p12',
          )}
        </span>
        ${error
          ? html`<span id="key-file-error" class="field-error">
              <span class="visually-hidden">${msg('Error:')}</span>
              ${msg('Choose your key file')}
            </span>`
          : nothing}
        <input
          id="key-file"
          type="file"
          accept=".p12,.pfx,application/x-pkcs12"
          aria-describedby=${describedBy}
          aria-invalid=${error ? 'true' : nothing}
          @change=${this.#onFileChange}
        />
      </div>
    `;
  }

  private renderPasswordField(): TemplateResult {
    const error = this.passwordMissing;
    return html`
      <div class="field ${error ? 'field--error' : ''}">
        <label for="password">${msg('Key file password')}</label>
        ${error
          ? html`<span id="password-error" class="field-error">
              <span class="visually-hidden">${msg('Error:')}</span>
              ${msg('Enter the password of the key file')}
            </span>`
          : nothing}
        <input
          id="password"
          type="password"
          autocomplete="off"
          aria-describedby=${error ? 'password-error' : nothing}
          aria-invalid=${error ? 'true' : nothing}
          @input=${() => (this.passwordMissing = false)}
        />
      </div>
    `;
  }

  private renderKeyList(): TemplateResult {
    const index = this.choices.findIndex((c) => c.id === this.selectedId);
    const selected = this.choices[index];
    const warned = selected && checkKey(selected.info).warnings.length > 0;
    return html`
      <fieldset part="key-list">
        <legend>${msg('Choose a key')}</legend>
        <div class="keys">
          ${this.choices.map((choice, i) => this.renderKey(choice, i))}
        </div>
      </fieldset>
      <div class="actions">
        <button
          type="button"
          part="sign-button"
          ?disabled=${this.selectedId === null}
          aria-describedby=${warned ? `key-${index}-warnings` : nothing}
          @click=${this.#onSign}
        >
          ${msg('Sign')}
        </button>
      </div>
    `;
  }

  private renderKey(choice: LoginKeyChoice, index: number): TemplateResult {
    const { info } = choice;
    const check = checkKey(info);
    const id = `key-${index}`;
    const described = [`${id}-details`];
    if (check.refusal) described.push(`${id}-reason`);
    if (check.warnings.length > 0) described.push(`${id}-warnings`);
    return html`
      <div class="key ${check.refusal ? 'key--unusable' : ''}" part="key">
        <input
          id=${id}
          type="radio"
          name="key"
          .value=${choice.id}
          .checked=${choice.id === this.selectedId}
          ?disabled=${check.refusal !== null}
          aria-describedby=${described.join(' ')}
          @change=${this.#onKeyChange}
        />
        <label for=${id}>${info.fullName}</label>
        ${this.renderKeyDetails(info, id)}
        ${check.refusal
          ? html`<p id="${id}-reason" class="key__reason" part="key-reason">
              ${this.renderRefusal(check.refusal, info)}
            </p>`
          : nothing}
        ${check.warnings.length > 0
          ? html`<div id="${id}-warnings" class="key__warnings">
              ${check.warnings.map(
                (w) => html`<p class="key__warning" part="key-warning">
                  <span class="visually-hidden">${msg('Warning:')}</span>
                  ${this.renderWarning(w, info, check)}
                </p>`,
              )}
            </div>`
          : nothing}
      </div>
    `;
  }

  private renderKeyDetails(info: CertificateInfo, id: string): TemplateResult {
    return html`
      <dl id="${id}-details">
        ${info.iin
          ? html`<dt>${msg('IIN')}</dt>
              <dd>${info.iin}</dd>`
          : nothing}
        ${info.organisation
          ? html`<dt>${msg('Organisation')}</dt>
              <dd>${info.organisation}</dd>`
          : nothing}
        ${info.bin
          ? html`<dt>${msg('BIN')}</dt>
              <dd>${info.bin}</dd>`
          : nothing}
        <dt>${msg('Validity')}</dt>
        <dd>${formatPeriod(info.notBefore, info.notAfter)}</dd>
        <dt>${msg('Serial number')}</dt>
        <dd>${info.serialNumber}</dd>
        <dt>${msg('Issuer')}</dt>
        <dd>${info.issuerCommonName}</dd>
        <dt>${msg('Algorithm')}</dt>
        <dd>${info.algorithmName}</dd>
      </dl>
    `;
  }

  private renderRefusal(reason: KeyRefusal, info: CertificateInfo): string {
    switch (reason) {
      case 'expired': {
        const date = formatDateTime(info.notAfter);
        return msg(
          str`The certificate expired on ${date}. This key cannot be used to log in.`,
        );
      }
      case 'not-yet-valid': {
        const date = formatDateTime(info.notBefore);
        return msg(
          str`The certificate is valid only from ${date}. Check the date and time on your computer.`,
        );
      }
      case 'sign-only':
        return msg(
          'This is a key for signing documents (SIGN). To log in, use your authentication key: its file name starts with AUTH_RSA.',
        );
      case 'no-iin':
        return msg(
          'This certificate has no IIN: it was issued to an information system, not to a person. Log in with your personal key.',
        );
    }
  }

  private renderWarning(
    warning: KeyWarning,
    info: CertificateInfo,
    check: KeyCheck,
  ): string {
    switch (warning) {
      case 'expires-soon': {
        const date = formatDateTime(info.notAfter);
        const left = daysLeft(check.daysLeft);
        return msg(
          str`The certificate expires on ${date} (${left}). Get a new key from the National Certification Authority in good time.`,
        );
      }
      case 'organisation':
        return msg(
          "This key belongs to an organisation: it was issued to you as an employee. The kindergarten queue is a parent's service, so log in with your personal key if you have one.",
        );
    }
  }

  private renderSigned(): TemplateResult {
    const signer = this.signer!;
    return html`
      <div part="signer">
        <p>${msg('Signed by')}</p>
        <p class="person">${signer.fullName}</p>
        ${signer.iin ? html`<p>${msg('IIN')}: ${signer.iin}</p>` : nothing}
        <div class="actions">
          <button
            id="login"
            type="button"
            part="login-button"
            @click=${this.#onLogin}
          >
            ${msg('Log in')}
          </button>
          <button
            type="button"
            class="secondary"
            part="remove-button"
            @click=${this.#onRemove}
          >
            ${msg('Remove')}
          </button>
        </div>
      </div>
    `;
  }

  private renderEmailForm(): TemplateResult {
    const problem = this.emailShown ? this.emailProblem : null;
    const describedBy = problem ? 'email-hint email-error' : 'email-hint';
    return html`
      <form part="email-form" novalidate @submit=${this.#onSaveEmail}>
        <h3>${msg('Your email address')}</h3>
        <p class="person">${this.user?.fullName}</p>
        <div class="field ${problem ? 'field--error' : ''}">
          <label for="email">${msg('Email address')}</label>
          <span id="email-hint" class="hint">
            ${msg(
              'The portal asks for it on your first login, to send you news about your applications.',
            )}
          </span>
          ${problem
            ? html`<span id="email-error" class="field-error">
                <span class="visually-hidden">${msg('Error:')}</span>
                ${problem === 'empty'
                  ? msg('Enter your email address')
                  : msg(
                      'Enter an email address in the correct format, like name@example.kz',
                    )}
              </span>`
            : nothing}
          <input
            id="email"
            type="email"
            autocomplete="email"
            spellcheck="false"
            aria-describedby=${describedBy}
            aria-invalid=${problem ? 'true' : nothing}
            @input=${this.#onEmailInput}
            @blur=${this.#onEmailBlur}
          />
        </div>
        <div class="actions">
          <button type="submit">${msg('Save')}</button>
        </div>
      </form>
    `;
  }

  private renderUser(): TemplateResult {
    const open = this.menuOpen;
    return html`
      <p>${msg('You are logged in')}</p>
      <div
        class="user-menu"
        @keydown=${this.#onMenuKeydown}
        @focusout=${this.#onMenuFocusOut}
      >
        <button
          id="user"
          type="button"
          class="user"
          part="user"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls="user-menu"
          @click=${this.#onUserClick}
        >
          ${this.user?.fullName}
        </button>
        <div
          id="user-menu"
          class="user-menu__list"
          part="user-menu"
          ?hidden=${!open}
        >
          <button
            id="logout"
            type="button"
            class="secondary"
            part="logout-button"
            @click=${this.#onLogout}
          >
            ${msg('Log out')}
          </button>
        </div>
      </div>
    `;
  }
}

type OperatingSystem = 'windows' | 'mac' | 'linux';

/** How to start NCALayer on this system. */
function ncaLayerStartStep(os: OperatingSystem): string {
  switch (os) {
    case 'windows':
      return msg(
        'Start NCALayer from the Start menu or the desktop shortcut, and wait for its icon near the clock.',
      );
    case 'mac':
      return msg(
        'Open NCALayer from the Applications folder, and wait for its icon in the menu bar.',
      );
    case 'linux':
      return msg(
        'Start NCALayer with the ncalayer.sh script in the folder where it was installed.',
      );
  }
}

/** What to do when it runs but the browser cannot reach it. */
function ncaLayerTrustStep(os: OperatingSystem): string {
  switch (os) {
    case 'windows':
      return msg(
        'If it is running, install its certificates again: NCALayer menu, "Settings", then restart the browser. An antivirus may also block the connection to 127.0.0.1:13579.',
      );
    case 'mac':
      return msg(
        'If it is running, its certificate may not be trusted: install NCALayer again so that it adds its certificate to the Keychain, then restart the browser.',
      );
    case 'linux':
      return msg(
        'If it is running, its certificate may not be trusted: install NCALayer again so that it adds its certificate to the browser, then restart the browser.',
      );
  }
}

/** The user's operating system, for help that names its menus. */
function operatingSystem(): OperatingSystem {
  const nav = navigator as Navigator & {
    userAgentData?: { platform?: string };
  };
  const platform = (
    nav.userAgentData?.platform ??
    nav.platform ??
    ''
  ).toLowerCase();
  if (platform.startsWith('win')) return 'windows';
  if (platform.startsWith('mac')) return 'mac';
  return 'linux';
}

function emailProblemOf(value: string): EmailProblem | null {
  const email = value.trim();
  if (email === '') return 'empty';
  return EMAIL_PATTERN.test(email) ? null : 'invalid';
}

declare global {
  interface HTMLElementTagNameMap {
    'eds-login': EdsLogin;
  }
}
