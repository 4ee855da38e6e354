import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
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
import type { LocaleCode } from '../localization.js';
import {
  NCALAYER_URL,
  NcaLayerError,
  type NcaLayerErrorCode,
} from '../ncalayer/ncalayer-types.js';
import { edsLoginStyles } from './eds-login.styles.js';
import {
  importPart,
  loadPart,
  PartLoadError,
  SESSION_GONE,
  type LoginSource,
  type LoginStatus,
  type Part,
  type SourceContext,
} from './eds-login-parts.js';
import { errorAlert } from './error-alert.js';
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
  const { openKeys } = await importPart(
    () => import('../crypto/key-file-signer.js'),
  );
  return openKeys(file, password);
};

interface NcaLayerConnection {
  url: string;
  connectTimeoutMs: number;
}

/**
 * Signs through NCALayer; resolves to base64 CMS, or null on the user's
 * cancel. The real one is loaded on first use.
 */
export type NcaLayerSigner = (
  options: NcaLayerConnection & {
    content: Uint8Array;
    storages: readonly string[];
    /** The element's language, for NCALayer's window. */
    locale: LocaleCode;
  },
) => Promise<string | null>;

export const ncaLayerSigner: NcaLayerSigner = async (options) => {
  const { signWithNcaLayer } = await importPart(
    () => import('../ncalayer/ncalayer-signer.js'),
  );
  return signWithNcaLayer(options);
};

/**
 * Asks NCALayer which hardware storages are plugged in (its names). The
 * real one is loaded on first use.
 */
export type NcaLayerTokens = (
  options: NcaLayerConnection,
) => Promise<string[]>;

export const ncaLayerTokens: NcaLayerTokens = async (options) => {
  const { activeNcaLayerTokens } = await importPart(
    () => import('../ncalayer/ncalayer-signer.js'),
  );
  return activeNcaLayerTokens(options);
};

type Step = 'checking' | 'keys' | 'qr' | 'signed' | 'email' | 'done';

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
 * @summary Log in with an electronic signature (ЭЦҚ бойынша).
 *
 * @attribute backend-url - Base URL of the Qoltanba backend. Default "/api".
 * @attribute lang - Language: kk, ru or en. Default: the closest ancestor's
 *   or the document's language, else the browser's, else kk.
 * @attribute sources - The key sources offered, separated by spaces:
 *   "file" (a key file opened in the page), "ncalayer" (NCA's desktop
 *   app, for tokens and ID cards) and "egov" (a QR code for the eGov
 *   mobile app). Default "file ncalayer egov". NCALayer and eGov load
 *   their code only when chosen.
 * @attribute ncalayer-storages - NCALayer's storages that may be offered,
 *   by NCALayer's names, separated by spaces. When NCALayer is chosen, the
 *   element asks it which tokens and ID cards are plugged in and offers
 *   the key file (PKCS12) and those, within this list when it is set. If
 *   NCALayer cannot be reached or does not answer, it says so with help;
 *   if it runs but cannot list them (an old one), it offers this list, or
 *   when unset PKCS12, AKKaztokenStore, AKKZIDCardStore, AKEToken72KStore,
 *   AKEToken5110Store, AKJaCartaStore and AKAKEYStore.
 * @attribute ncalayer-url - Where NCALayer listens. Default
 *   "wss://127.0.0.1:13579".
 *
 * @fires {QoltanbaBeforeLoginEvent} qoltanba-before-login - A login is
 *   about to happen; detail `{source, certificate, user}`. For a key file
 *   or NCALayer, "Log in" was pressed and `preventDefault()` sends nothing.
 *   For eGov, the phone's signature was verified and `preventDefault()`
 *   logs the new session out before anything uses it.
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
 * @csspart ncalayer-refresh - Asks NCALayer again which storages it sees.
 * @csspart help - Steps that help with an NCALayer error.
 * @csspart ncalayer-check-link - Opens NCALayer's address in a new tab, to
 *   tell "not running" from "certificate not trusted".
 * @csspart retry-button - "Try again" under an NCALayer error.
 * @csspart egov-button - "Show the QR code".
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
export class EdsLogin extends QoltanbaElement {
  static override styles = [sharedStyles, edsLoginStyles];

  @query('#key-file') private fileInput?: HTMLInputElement;
  @query('#password') private passwordInput?: HTMLInputElement;
  @query('#user') private userButton?: HTMLButtonElement;

  #ring: LoginKeyRing | null = null;
  #signature: string | null = null;
  #signedBy: LoginSource = 'file';
  #keys: Part<'keys'> | null = null;
  #ncalayer: InstanceType<Part<'ncalayer'>['NcaLayerSource']> | null = null;
  #egov: InstanceType<Part<'egov'>['EgovSource']> | null = null;
  #email: InstanceType<Part<'email'>['EmailStep']> | null = null;
  #prepared: LoginSource = 'file';

  @state() private step: Step = 'checking';
  @state() private status: LoginStatus | null = null;
  @state() private busy = false;
  @state() private error: QoltanbaErrorCode | null = null;
  @state() private fileMissing = false;
  @state() private passwordMissing = false;
  @state() private choices: LoginKeyChoice[] = [];
  @state() private selectedId: string | null = null;
  @state() private signer: CertificateInfo | null = null;
  @state() private user: User | null = null;
  @state() private menuOpen = false;
  /** The chosen source: "file", "ncalayer" or "egov". */
  @state() private source: LoginSource = 'file';

  /**
   * Opens a key file. Defaults to the real signer, loaded on first use; a
   * test or a portal with its own signer may replace it.
   */
  @property({ attribute: false }) keyRingLoader: KeyRingLoader =
    loadKeyFileSigner;

  /** The key sources offered: "file", "ncalayer", "egov". */
  @property() sources = 'file ncalayer egov';

  /** NCALayer's storages that may be offered; empty: any it has. */
  @property({ attribute: 'ncalayer-storages' }) ncalayerStorages = '';

  /** Where NCALayer listens. */
  @property({ attribute: 'ncalayer-url' }) ncalayerUrl = NCALAYER_URL;

  /** How long to wait for NCALayer to connect and greet, in ms. */
  @property({ attribute: false }) ncalayerTimeoutMs = 5000;

  /** How often to ask whether the phone has signed, in ms. */
  @property({ attribute: false }) egovPollMs = 2000;

  /** Signs through NCALayer; a test may replace it. */
  @property({ attribute: false }) ncalayerSigner: NcaLayerSigner =
    ncaLayerSigner;

  /** Asks NCALayer which storages are plugged in; a test may replace it. */
  @property({ attribute: false }) ncalayerTokens: NcaLayerTokens =
    ncaLayerTokens;

  /** What the parts may do to this element. */
  readonly #context: SourceContext = {
    host: this,
    api: () => this.api,
    codeOf: (error) => this.codeOf(error),
    start: (status) => this.#start(status),
    settle: (status) => {
      this.busy = false;
      this.status = status;
    },
    showQr: () => (this.step = 'qr'),
    toSigned: (signature, signer) =>
      this.#toSigned(signature, signer, 'ncalayer'),
    signedByPhone: (session) => this.#signedByPhone(session),
    loggedIn: (session) => this.#enterSession(session, true),
    busy: () => this.busy,
    toKeyForm: () => this.#toKeyForm(),
    fail: (error) => this.#fail(error),
    focus: (selector) => this.#focus(selector),
  };

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
    this.#signature = null;
  }

  protected override willUpdate(): void {
    // A source the attributes choose alone (sources="ncalayer") loads as
    // if the user had chosen it.
    if (this.step === 'keys') this.#prepare(this.#sourceChoice().chosen);
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
    const source = this.#sourceChoice().chosen;
    if (source === 'egov') {
      const egov = await this.#egovSource();
      await egov?.start();
      return;
    }
    if (source === 'ncalayer') {
      await (await this.#ncalayerSource())?.sign();
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
      const [ring, keys] = await Promise.all([
        this.keyRingLoader(bytes, password),
        this.#keys ?? loadPart('keys'),
      ]);
      this.#ring = ring;
      this.#keys = keys;
      this.choices = ring.choices;
      this.selectedId = keys.preferredKey(this.choices)?.id ?? null;
      // With no key to choose, "Sign" is off: say why rather than "sign".
      this.status = this.selectedId === null ? 'keys-unusable' : 'keys-listed';
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

  #onSourceChange(event: Event): void {
    this.source = (event.target as HTMLSelectElement).value as LoginSource;
    this.#closeRing();
    this.fileMissing = false;
    this.passwordMissing = false;
    this.error = null;
    this.status = null;
    this.#prepare(this.source);
  }

  /**
   * Loads the part of the chosen source, so that its controls are ready
   * when pressed; NCALayer then lists its storages. `updateComplete` waits
   * for it. Once per choice.
   */
  #prepare(source: LoginSource): void {
    if (this.#prepared === source) return;
    this.#prepared = source;
    if (source === 'ncalayer') {
      this.load(this.#ncalayerSource().then((part) => part?.refresh()));
    } else if (source === 'egov') {
      this.load(this.#egovSource());
    }
  }

  /** The NCALayer part, loaded on first use; null if it did not load. */
  #ncalayerSource() {
    return this.#loadSource(
      () => this.#ncalayer,
      async () =>
        (this.#ncalayer = new (await loadPart('ncalayer')).NcaLayerSource(
          this.#context,
        )),
    );
  }

  /** The eGov part, loaded on first use; null if it did not load. */
  #egovSource() {
    return this.#loadSource(
      () => this.#egov,
      async () =>
        (this.#egov = new (await loadPart('egov')).EgovSource(this.#context)),
    );
  }

  async #loadSource<T>(
    loaded: () => T | null,
    load: () => Promise<T>,
  ): Promise<T | null> {
    const part = loaded();
    if (part) return part;
    this.#start('loading');
    try {
      const created = await load();
      this.busy = false;
      this.status = null;
      return created;
    } catch (error) {
      // Not awaited: this may run inside load(), which `updateComplete`
      // (awaited by the focus move) waits for.
      void this.#fail(error);
      return null;
    }
  }

  /** Whatever signed: show the signer with "Log in". */
  async #toSigned(
    signature: string,
    signer: CertificateInfo,
    source: LoginSource,
  ): Promise<void> {
    this.#signature = signature;
    this.#signedBy = source;
    this.signer = signer;
    this.step = 'signed';
    this.status = 'signed';
    await this.#focus('#login');
  }

  /**
   * The phone's signature was verified and the backend opened a session.
   * The portal may still refuse it, as it may refuse a key file's login;
   * then the session is closed before anything on the page uses it.
   */
  async #signedByPhone(session: SessionResponse): Promise<void> {
    const before = new QoltanbaBeforeLoginEvent({
      source: 'egov',
      certificate: null,
      user: session.user,
    });
    if (this.dispatchEvent(before)) {
      await this.#enterSession(session, true);
      return;
    }
    this.#toKeyForm();
    this.#start('logging-out');
    try {
      await this.api.logout();
      this.busy = false;
      this.status = null;
      await this.#focus('#storage');
    } catch (error) {
      if (SESSION_GONE.includes(this.codeOf(error))) this.busy = false;
      else await this.#fail(error);
      this.status = null;
    }
  }

  #onKeyChange = (event: Event): void => {
    this.selectedId = (event.target as HTMLInputElement).value;
  };

  #onSign = async (): Promise<void> => {
    const ring = this.#ring;
    const choice = this.choices.find((c) => c.id === this.selectedId);
    if (this.busy || !ring || !choice || !this.#keys?.isUsable(choice.info)) {
      return;
    }
    this.#start('signing');
    try {
      const { challenge } = await this.api.challenge();
      const content = new TextEncoder().encode(challenge);
      const signature = await ring.sign(choice.id, content);
      this.#closeRing();
      await this.#toSigned(signature, choice.info, 'file');
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.busy = false;
    }
  };

  async #onLogin(): Promise<void> {
    const signature = this.#signature;
    if (this.busy || !signature || !this.signer) return;
    const before = new QoltanbaBeforeLoginEvent({
      source: this.#signedBy,
      certificate: this.signer,
      user: null,
    });
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
    // The email form loads only for a first login.
    if (session.needsEmail) await this.#emailStep();
    if (byUser) {
      // The flow ends on the control that now stands for the user.
      await this.#focus(session.needsEmail ? '#email' : '#user');
    }
  }

  /** The email step, loaded on first use; null if it did not load. */
  #emailStep() {
    return this.#loadSource(
      () => this.#email,
      async () =>
        (this.#email = new (await loadPart('email')).EmailStep(this.#context)),
    );
  }

  #start(status: LoginStatus): void {
    this.busy = true;
    this.error = null;
    this.status = status;
  }

  #toKeyForm(): void {
    this.#closeRing();
    this.#egov?.reset();
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
    const code = this.codeOf(error);
    this.error = code;
    this.status = null;
    this.busy = false;
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

  protected override codeOf(error: unknown): QoltanbaErrorCode {
    if (error instanceof PartLoadError || error instanceof NcaLayerError) {
      return error.code;
    }
    return super.codeOf(error);
  }

  override render(): TemplateResult {
    // Logged in, the name shows once, on the menu button: the status that
    // names the person is only heard.
    const heardOnly = this.status === 'logged-in';
    return html`
      <section class="panel" part="panel" aria-labelledby="heading">
        ${this.renderHeading()}
        <p
          class=${heardOnly ? 'status visually-hidden' : 'status'}
          role="status"
          part="status"
        >
          ${this.renderStatus()}
        </p>
        ${this.renderError()} ${this.renderStep()}
      </section>
    `;
  }

  private renderHeading(): TemplateResult {
    // Logged in, the panel is the person's cabinet.
    if (this.step === 'done') {
      return html`<h2 id="heading" part="heading">
        ${msg('Your personal cabinet')}
      </h2>`;
    }
    return html`<h2 id="heading" part="heading">
        ${msg('Log in to your personal cabinet')}
      </h2>
      <p class="subtitle">${msg('By electronic signature')}</p>`;
  }

  private renderStep(): TemplateResult | typeof nothing {
    switch (this.step) {
      case 'checking':
        return nothing;
      case 'keys':
        return this.renderKeyForm();
      case 'qr':
        return this.#egov?.render() ?? nothing;
      case 'signed':
        return this.renderSigned();
      case 'email':
        return this.#email?.render(this.user) ?? nothing;
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
      case 'loading':
        return msg('Loading…');
      case 'opening':
        return msg('Opening the key file…');
      case 'keys-listed':
        return msg('The key list is updated. Choose a key and sign.');
      case 'keys-unusable':
        return msg(
          'No key in this file can be used to log in: see why below.',
        );
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
      default:
        // The parts name their own steps.
        return (
          this.#ncalayer?.statusText(this.status) ??
          this.#egov?.statusText(this.status) ??
          ''
        );
    }
  }

  private renderError(): TemplateResult | typeof nothing {
    const code = this.error;
    if (!code) return nothing;
    const help =
      code.startsWith('NCALAYER_') && this.#ncalayer
        ? this.#ncalayer.renderHelp(code as NcaLayerErrorCode)
        : nothing;
    return errorAlert(code, help);
  }

  /** What the attributes offer, and the choice among it. */
  #sourceChoice(): {
    file: boolean;
    ncalayer: boolean;
    egov: boolean;
    chosen: LoginSource;
  } {
    const sources = this.sources.split(/\s+/);
    const ncalayer = sources.includes('ncalayer');
    const egov = sources.includes('egov');
    const file = sources.includes('file') || (!ncalayer && !egov);
    const offered: LoginSource[] = [
      ...(file ? ['file' as const] : []),
      ...(ncalayer ? ['ncalayer' as const] : []),
      ...(egov ? ['egov' as const] : []),
    ];
    // A choice the attributes no longer offer falls back to the first.
    const chosen = offered.includes(this.source) ? this.source : offered[0]!;
    return { file, ncalayer, egov, chosen };
  }

  private renderKeyForm(): TemplateResult {
    const { file, ncalayer, egov, chosen } = this.#sourceChoice();
    const option = (value: LoginSource, label: string) =>
      html`<option value=${value} ?selected=${chosen === value}>
        ${label}
      </option>`;
    return html`
      <form
        part="key-form"
        novalidate
        aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.#onOpenKeys}
      >
        <div class="field">
          <label for="storage">${msg('Key storage')}</label>
          <select id="storage" name="storage" @change=${this.#onSourceChange}>
            ${file ? option('file', msg('Personal computer')) : nothing}
            ${ncalayer
              ? option('ncalayer', msg('Through the NCALayer program'))
              : nothing}
            ${egov ? option('egov', msg('eGov Mobile app')) : nothing}
          </select>
        </div>
        ${chosen === 'ncalayer'
          ? (this.#ncalayer?.renderForm() ?? nothing)
          : chosen === 'egov'
            ? this.renderEgovStart()
            : this.renderFileForm()}
      </form>
      ${this.choices.length > 0 && this.#keys
        ? this.#keys.renderKeyList({
            choices: this.choices,
            selectedId: this.selectedId,
            onKeyChange: this.#onKeyChange,
            onSign: this.#onSign,
          })
        : nothing}
    `;
  }

  private renderEgovStart(): TemplateResult {
    return html`<p id="egov-hint" class="hint">
        ${msg(
          'Sign with the eGov Mobile app on your phone: this page shows a QR code to scan.',
        )}
      </p>
      <div class="actions">
        <button type="submit" part="egov-button" aria-describedby="egov-hint">
          ${msg('Show the QR code')}
        </button>
      </div>`;
  }

  private renderFileForm(): TemplateResult {
    return html`${this.renderFileField()} ${this.renderPasswordField()}
      <div class="actions">
        <button type="submit" part="refresh-button">
          ${msg('Refresh key list')}
        </button>
      </div>`;
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

  private renderUser(): TemplateResult {
    const open = this.menuOpen;
    return html`
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

declare global {
  interface HTMLElementTagNameMap {
    'eds-login': EdsLogin;
  }
}
