import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Child } from '../api/protocol.js';
import { ageInYears, checkIin, normalizeIin } from '../core/iin.js';
import {
  QoltanbaBeforeLinkEvent,
  QoltanbaChildLinkedEvent,
  QoltanbaLoginRequestEvent,
  type QoltanbaErrorCode,
  type QoltanbaLoginEvent,
} from '../events.js';
import { errorAlert } from './error-alert.js';
import { formatLongDate } from '../messages/format.js';
import { iinProblemMessage, type IinFieldProblem } from '../messages/iin.js';
import { iinLinkFormStyles } from './iin-link-form.styles.js';
import { getLocale } from '../localization.js';
import { QoltanbaElement } from './qoltanba-element.js';
import { sharedStyles } from './shared.styles.js';

// 'failed': GET /me got no usable answer, so whether anyone is logged in
// is not known; the error shows with a retry instead of the form.
type Auth = 'unknown' | 'in' | 'out' | 'failed';
type Status = 'linking' | 'linked';

/** Children of this age or older are past the kindergarten queue. */
const MAX_AGE = 7;

const SESSION_GONE: readonly QoltanbaErrorCode[] = [
  'NOT_AUTHENTICATED',
  'SESSION_EXPIRED',
];

/**
 * Links a child's kindergarten-queue application to the logged-in parent by
 * the child's IIN ("Байластыру" in the original portal). Checks the IIN as
 * the user leaves the field or submits (format, century, date, check digit),
 * shows the birth date it encodes, and refuses a child aged 7 or older and
 * the parent's own IIN before anything is sent. On success it announces
 * "Туыстық расталды, деректер сәтті жаңартылды" (kinship confirmed).
 *
 * It learns who is logged in from `GET /me` and from the `qoltanba-login`
 * and `qoltanba-logout` events. While a first-time user has not given an
 * email address yet, it asks for that instead of showing the form.
 *
 * It is also a form-associated control. Inside a host page's `<form>` it
 * shows only the field: its cleaned IIN is submitted under its `name`, it
 * takes part in the form's validation (with the reason in
 * `validationReason` and a localized `validationMessage`), Enter submits
 * the host form, and the form's reset empties it. It sends nothing to the
 * backend then: the host page decides what the form does.
 *
 * @summary Link a child by IIN (Байластыру).
 *
 * @attribute backend-url - Base URL of the Qoltanba backend. Default "/api".
 * @attribute lang - Language: kk, ru or en. Default: the closest ancestor's
 *   or the document's language, else the browser's, else kk.
 * @attribute name - The name its value is submitted under in a host form.
 * @attribute required - In a host form, an empty field is invalid.
 * @attribute disabled - The field cannot be used and is not submitted.
 *
 * @fires {QoltanbaBeforeLinkEvent} qoltanba-before-link - The IIN passed
 *   every check and is about to be sent; detail `{iin, birthDate}`.
 *   Cancelable: `preventDefault()` sends nothing.
 * @fires {QoltanbaChildLinkedEvent} qoltanba-child-linked - The backend
 *   confirmed kinship and linked the child; detail `{child}`.
 * @fires {QoltanbaErrorEvent} qoltanba-error - An error was shown; detail
 *   `{code, source}`.
 * @fires {QoltanbaLoginRequestEvent} qoltanba-login-request - The user
 *   pressed "Log in" after the session ended; `<eds-login>` answers it.
 *
 * @csspart panel - The outer box.
 * @csspart heading - The title.
 * @csspart email-notice - "Give your email address first" on a first login.
 * @csspart form - The form.
 * @csspart input - The IIN input.
 * @csspart birth-date - The birth date decoded from a valid IIN.
 * @csspart submit-button - "Add".
 * @csspart status - The live region; it also carries the success message.
 * @csspart error - The error message box.
 * @csspart field-error - The error under the field.
 * @csspart retry-button - "Try again" after a lost connection, or when
 *   the session could not be checked on load.
 * @csspart login-button - "Log in again" after the session expired.
 *
 * @cssprop [--qoltanba-color-primary=#0b5cab] - Headings, buttons, borders.
 * @cssprop [--qoltanba-color-accent=#00727a] - The decoded birth date.
 * @cssprop [--qoltanba-color-error=#c0262d] - Errors.
 * @cssprop [--qoltanba-color-success=#0a7a3e] - The success message.
 * @cssprop [--qoltanba-color-text=#1b2330] - Body text.
 * @cssprop [--qoltanba-color-muted=#5a6473] - Hints.
 * @cssprop [--qoltanba-color-surface=#ffffff] - Background of the panel.
 * @cssprop [--qoltanba-color-border=#7a8696] - Borders of the field.
 * @cssprop [--qoltanba-color-focus=#ffbf47] - The focus ring.
 * @cssprop [--qoltanba-radius=8px] - Corner radius.
 * @cssprop [--qoltanba-font=Montserrat, Segoe UI, Roboto, Arial, sans-serif]
 *   - Font family.
 * @cssprop [--qoltanba-font-size=1rem] - Base text size.
 * @cssprop [--qoltanba-space=1rem] - Base spacing.
 */
export class IinLinkForm extends QoltanbaElement {
  static override styles = [sharedStyles, iinLinkFormStyles];
  static formAssociated = true;

  #internals = this.attachInternals();

  @query('#iin') private input?: HTMLInputElement;

  @state() private auth: Auth = 'unknown';
  @state() private parentIin: string | null = null;
  // A first login is not over until the user gives an email address: the
  // backend refuses to link before it.
  @state() private needsEmail = false;
  @state() private iin = '';
  @state() private changed = false;
  @state() private shownProblem: IinFieldProblem | null = null;
  // Once an error has been shown, the field is checked on every keystroke,
  // so that the message always speaks of the value on screen.
  @state() private checkedLive = false;
  @state() private busy = false;
  @state() private status: Status | null = null;
  @state() private error: QoltanbaErrorCode | null = null;
  @state() private formDisabled = false;

  /** The name the IIN is submitted under in a host page's form. */
  @property({ reflect: true }) name = '';

  /** In a host form, an empty field fails validation. */
  @property({ type: Boolean, reflect: true }) required = false;

  /** The field cannot be used and its value is not submitted. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The IIN as typed, cleaned of spaces and dashes (at most 12 digits). */
  get value(): string {
    return this.iin;
  }
  set value(value: string) {
    this.iin = normalizeIin(String(value ?? ''));
    this.#showProblem(null);
    this.changed = false;
  }

  /** The host form this control belongs to, or null. */
  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  /** Why the value fails validation, or null when it is valid. */
  get validationReason(): IinFieldProblem | null {
    const problem = this.#problem();
    return problem === 'empty' && !this.required ? null : problem;
  }

  /** The browser's validity flags for the value. */
  get validity(): ValidityState {
    return this.#internals.validity;
  }

  /** The localized reason the value is invalid, or "". */
  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  /** True when the host form validates this control. */
  get willValidate(): boolean {
    return this.#internals.willValidate;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('qoltanba-login', this.#onLogin);
    document.addEventListener('qoltanba-logout', this.#onLogout);
    this.addEventListener('invalid', this.#onInvalid);
    this.load(this.#loadParent());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('qoltanba-login', this.#onLogin);
    document.removeEventListener('qoltanba-logout', this.#onLogout);
    this.removeEventListener('invalid', this.#onInvalid);
  }

  protected override updated(): void {
    // After render, so that the input exists to anchor the browser's
    // validation bubble; the message follows the active locale.
    this.#syncFormState();
  }

  /** The host form asks for the value to be emptied (form.reset()). */
  formResetCallback(): void {
    this.value = '';
    this.status = null;
    this.error = null;
  }

  /** The host form or a fieldset around it was disabled or enabled. */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  /** The browser restores a value after back navigation or autofill. */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.value = state;
  }

  /** The control joined or left a host form: its layout differs. */
  formAssociatedCallback(): void {
    this.requestUpdate();
  }

  #onLogin = (event: QoltanbaLoginEvent): void => {
    if (this.auth === 'failed') this.error = null;
    this.auth = 'in';
    this.parentIin = event.detail.user.iin;
    this.needsEmail = event.detail.needsEmail;
    if (this.error && SESSION_GONE.includes(this.error)) this.error = null;
  };

  #onLogout = (): void => {
    this.auth = 'out';
    this.parentIin = null;
    this.needsEmail = false;
    this.status = null;
    this.error = null;
  };

  // The host form refused to submit: show why under the field, as a
  // submit of our own would.
  #onInvalid = (): void => {
    this.changed = false;
    this.#showProblem(this.validationReason);
    void this.#focus('#iin');
  };

  #onInput(event: InputEvent): void {
    const field = event.target as HTMLInputElement;
    // People paste "2012 0550 0031" or "201205-500031": keep what matters.
    // The length is not capped: a pasted 13th digit is reported as a wrong
    // length rather than silently dropped, since it may be the wrong one.
    const cleaned = normalizeIin(field.value);
    if (cleaned !== field.value) field.value = cleaned;
    this.iin = cleaned;
    this.changed = true;
    this.status = null;
    // The backend's answer was about the IIN as it was; once it changes,
    // that answer no longer applies and must not sit beside a new error.
    this.error = null;
    // Errors appear on blur or submit, not while typing a first time; once
    // one has shown, it follows the value: gone when fixed, else the
    // current reason, never a stale one.
    if (this.checkedLive) this.shownProblem = this.#fieldProblem();
    // The native input event is composed: the host page hears it already.
  }

  #onChange(): void {
    // The inner input's change does not leave the shadow root.
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #onBlur(): void {
    if (!this.changed) return;
    this.changed = false;
    this.#showProblem(this.#fieldProblem());
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const host = this.form;
    if (host) {
      // Enter in the field submits the host form, as a native field does.
      host.requestSubmit();
      return;
    }
    await this.#submit();
  }

  async #onReload(): Promise<void> {
    const task = this.#loadParent();
    this.load(task);
    await task;
    // On failure, to the new error; else the retry button is gone: to the
    // field, or to the heading when there is no field.
    const field = this.renderRoot.querySelector('#iin') ? '#iin' : '#heading';
    await this.#focus(this.auth === 'failed' ? '#error' : field);
  }

  #onLoginAgain(): void {
    this.dispatchEvent(new QoltanbaLoginRequestEvent());
  }

  /** Checks the IIN and, when it passes, asks the backend to link. */
  async submit(): Promise<void> {
    await this.#submit();
  }

  /** True when the value is valid; else fires `invalid`, as inputs do. */
  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  /** Like checkValidity(), and shows the reason to the user. */
  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  async #submit(): Promise<void> {
    if (this.busy) return;
    this.changed = false;
    this.#showProblem(this.#problem());
    if (this.shownProblem) {
      this.error = null;
      await this.#focus('#iin');
      return;
    }
    const check = checkIin(this.iin);
    if (!check.valid) return;
    const { iin, birthDate } = check.facts;
    const before = new QoltanbaBeforeLinkEvent({ iin, birthDate });
    if (!this.dispatchEvent(before)) return;
    this.busy = true;
    this.error = null;
    this.status = 'linking';
    try {
      const { child } = await this.api.linkChild(iin);
      this.#linked(child);
      // The flow ends where it started, on "Add".
      await this.#focus('[part="submit-button"]');
    } catch (error) {
      const code = this.codeOf(error);
      // The typed IIN stays, so that "Try again" needs no retyping.
      this.status = null;
      this.error = code;
      this.reportError(code);
      await this.#focus('#error');
    } finally {
      this.busy = false;
    }
  }

  #linked(child: Child): void {
    this.status = 'linked';
    this.iin = '';
    this.#showProblem(null);
    if (this.input) this.input.value = '';
    this.dispatchEvent(new QoltanbaChildLinkedEvent({ child }));
  }

  async #loadParent(): Promise<void> {
    // A retry's answer replaces the error of the attempt before.
    const retried = this.auth === 'failed';
    try {
      const { user, needsEmail } = await this.api.me();
      this.parentIin = user.iin;
      this.needsEmail = needsEmail;
      if (retried) this.error = null;
      this.auth = 'in';
    } catch (error) {
      const code = this.codeOf(error);
      if (retried) this.error = null;
      if (SESSION_GONE.includes(code)) {
        this.auth = 'out';
      } else if (this.form) {
        // In a host form only the field shows; the page owns the rest.
        this.auth = 'unknown';
      } else {
        // As <eds-login> and <kinship-status> do: a form that would only
        // fail on "Add" is not offered.
        this.auth = 'failed';
        this.error = code;
        this.reportError(code);
      }
    }
  }

  /** Shows a problem under the field (or none), from blur or submit on. */
  #showProblem(problem: IinFieldProblem | null): void {
    this.shownProblem = problem;
    // A fresh value (set by the page, or after a link) starts quiet again.
    this.checkedLive = problem !== null;
  }

  /** The problem to show under the field; an empty optional one has none. */
  #fieldProblem(): IinFieldProblem | null {
    return this.form && this.iin === ''
      ? this.validationReason
      : this.#problem();
  }

  /** What is wrong with the typed IIN, or null when it can be sent. */
  #problem(): IinFieldProblem | null {
    const check = checkIin(this.iin);
    if (!check.valid) return check.problem;
    if (check.facts.iin === this.parentIin) return 'own-iin';
    if (ageInYears(check.facts.birthDate) >= MAX_AGE) return 'too-old';
    return null;
  }

  #syncFormState(): void {
    const off = this.disabled || this.formDisabled;
    this.#internals.setFormValue(off || this.iin === '' ? null : this.iin);
    const reason = this.validationReason;
    if (!reason) {
      this.#internals.setValidity({});
      return;
    }
    const flags: ValidityStateFlags =
      reason === 'empty'
        ? { valueMissing: true }
        : reason === 'too-old' || reason === 'own-iin'
          ? { customError: true }
          : { patternMismatch: true };
    // Logged out, there is no field: setValidity throws on a null anchor.
    this.#internals.setValidity(
      flags,
      this.inOwnLocale(() => iinProblemMessage(reason)),
      this.input ?? undefined,
    );
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render(): TemplateResult {
    if (this.form) return this.renderField();
    return html`
      <section class="panel" part="panel" aria-labelledby="heading">
        <h2 id="heading" part="heading" tabindex="-1">
          ${msg('Linking')}
        </h2>
        <p>
          ${msg(
            "Link your child's kindergarten queue application to your account by the child's IIN.",
          )}
        </p>
        <p
          class=${this.status === 'linked' ? 'success' : 'status'}
          role="status"
          part="status"
        >
          ${this.renderStatus()}
        </p>
        ${this.renderError()}
        ${this.renderBody()}
      </section>
    `;
  }

  private renderStatus(): string {
    switch (this.status) {
      case null:
        return '';
      case 'linking':
        return msg('Checking kinship…');
      case 'linked':
        return msg('Kinship confirmed, data updated successfully');
    }
  }

  private renderError(): TemplateResult | typeof nothing {
    if (!this.error) return nothing;
    return errorAlert(this.error, this.renderErrorNext(this.error));
  }

  /** What the user can do about a failure: log in again, or retry. */
  private renderErrorNext(
    code: QoltanbaErrorCode,
  ): TemplateResult | typeof nothing {
    if (this.auth === 'failed') {
      return html`<div class="actions">
        <button type="button" part="retry-button" @click=${this.#onReload}>
          ${msg('Try again')}
        </button>
      </div>`;
    }
    if (SESSION_GONE.includes(code)) {
      return html`<div class="actions">
        <button type="button" part="login-button" @click=${this.#onLoginAgain}>
          ${msg('Log in again')}
        </button>
      </div>`;
    }
    if (code === 'NETWORK') {
      return html`<div class="actions">
        <button type="button" part="retry-button" @click=${this.submit}>
          ${msg('Try again')}
        </button>
      </div>`;
    }
    return nothing;
  }

  private renderBody(): TemplateResult | typeof nothing {
    if (this.auth === 'failed') return nothing;
    if (this.auth === 'out') return this.renderLoggedOut();
    if (this.auth === 'in' && this.needsEmail) return this.renderEmailFirst();
    return this.renderForm();
  }

  // The login element asks for the address; a `qoltanba-login` event with
  // `needsEmail: false` follows once it is saved.
  private renderEmailFirst(): TemplateResult {
    return html`<p part="email-notice">
      ${msg(
        'Give your email address first: the portal asks for it before you link a child.',
      )}
    </p>`;
  }

  private renderLoggedOut(): TemplateResult {
    return html`
      <p>${msg('Log in with your electronic signature to link a child.')}</p>
      <div class="actions">
        <button type="button" @click=${this.#onLoginAgain}>
          ${msg('Log in with signature')}
        </button>
      </div>
    `;
  }

  private renderForm(): TemplateResult {
    return html`
      <form
        part="form"
        novalidate
        aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.#onSubmit}
      >
        ${this.renderInput()}
        <div class="actions">
          <button type="submit" part="submit-button">${msg('Add')}</button>
        </div>
      </form>
    `;
  }

  // Inside a host form: the field alone. The inner <form> only turns Enter
  // into a submit of the host form.
  private renderField(): TemplateResult {
    return html`
      <form part="form" novalidate @submit=${this.#onSubmit}>
        ${this.renderInput()}
      </form>
    `;
  }

  private renderInput(): TemplateResult {
    const problem = this.shownProblem;
    const describedBy = problem ? 'iin-hint iin-error' : 'iin-hint';
    return html`
      <div class="field ${problem ? 'field--error' : ''}">
        <label for="iin">${msg("Child's IIN")}</label>
        <span id="iin-hint" class="hint">
          ${msg('12 digits, for example 201205500031')}
        </span>
        ${problem
          ? html`<span id="iin-error" class="field-error" part="field-error">
              <span class="visually-hidden">${msg('Error:')}</span>
              ${iinProblemMessage(problem)}
            </span>`
          : nothing}
        <input
          id="iin"
          class="input--iin"
          part="input"
          type="text"
          inputmode="numeric"
          autocomplete="off"
          spellcheck="false"
          .value=${this.iin}
          ?disabled=${this.disabled || this.formDisabled}
          ?required=${this.required}
          aria-describedby=${describedBy}
          aria-invalid=${problem ? 'true' : nothing}
          @input=${this.#onInput}
          @change=${this.#onChange}
          @blur=${this.#onBlur}
        />
      </div>
      ${this.renderBirthDate()}
    `;
  }

  // Only for an IIN that passes every check of its own: a wrong check digit
  // means some digit is wrong, perhaps one of the date's. Beside an error
  // (a child too old, the parent's own IIN) a date would read as approval.
  private renderBirthDate(): TemplateResult | typeof nothing {
    const check = checkIin(this.iin);
    if (!check.valid || this.shownProblem) return nothing;
    const date = formatLongDate(check.facts.birthDate, getLocale());
    return html`<p class="facts" part="birth-date">
      ${msg(str`Date of birth: ${date}`)}
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'iin-link-form': IinLinkForm;
  }
}
