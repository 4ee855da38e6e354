import { localized, msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import type { Child } from '../api/protocol.js';
import { ageInYears, checkIin, normalizeIin } from '../core/iin.js';
import {
  QoltanbaChildLinkedEvent,
  QoltanbaLoginRequestEvent,
  type QoltanbaErrorCode,
  type QoltanbaLoginEvent,
} from '../events.js';
import { errorMessage } from '../messages/errors.js';
import { formatIsoDate } from '../messages/format.js';
import { iinProblemMessage, type IinFieldProblem } from '../messages/iin.js';
import { iinLinkFormStyles } from './iin-link-form.styles.js';
import { QoltanbaElement } from './qoltanba-element.js';
import { sharedStyles } from './shared.styles.js';

type Auth = 'unknown' | 'in' | 'out';
type Status = 'linking' | 'linked';

/** Children of this age or older are past the kindergarten queue. */
const MAX_AGE = 7;
const IIN_LENGTH = 12;

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
 * and `qoltanba-logout` events.
 *
 * @summary Link a child by IIN (Байластыру).
 *
 * @attribute backend-url - Base URL of the Qoltanba backend. Default "/api".
 * @attribute lang - Language: kk, ru or en. Default: the closest ancestor's
 *   or the document's language, else the browser's, else kk.
 *
 * @fires {QoltanbaChildLinkedEvent} qoltanba-child-linked - The backend
 *   confirmed kinship and linked the child; detail `{child}`.
 * @fires {QoltanbaErrorEvent} qoltanba-error - An error was shown; detail
 *   `{code, source}`.
 * @fires {QoltanbaLoginRequestEvent} qoltanba-login-request - The user
 *   pressed "Log in" after the session ended; `<eds-login>` answers it.
 *
 * @csspart panel - The outer box.
 * @csspart heading - The title.
 * @csspart form - The form.
 * @csspart input - The IIN input.
 * @csspart birth-date - The birth date decoded from a valid IIN.
 * @csspart submit-button - "Add".
 * @csspart status - The live region; it also carries the success message.
 * @csspart error - The error message box.
 *
 * @cssprop [--qoltanba-color-primary=#0b5cab] - Headings, buttons, borders.
 * @cssprop [--qoltanba-color-accent=#00727a] - The decoded birth date.
 * @cssprop [--qoltanba-color-error=#c0262d] - Errors.
 * @cssprop [--qoltanba-color-success=#0a7a3e] - The success message.
 * @cssprop [--qoltanba-radius=8px] - Corner radius.
 * @cssprop [--qoltanba-font=Montserrat, Segoe UI, Roboto, Arial, sans-serif]
 *   - Font family.
 * @cssprop [--qoltanba-space=1rem] - Base spacing.
 */
@localized()
export class IinLinkForm extends QoltanbaElement {
  static override styles = [sharedStyles, iinLinkFormStyles];

  @query('#iin') private input?: HTMLInputElement;

  @state() private auth: Auth = 'unknown';
  @state() private parentIin: string | null = null;
  @state() private value = '';
  @state() private changed = false;
  @state() private shownProblem: IinFieldProblem | null = null;
  @state() private busy = false;
  @state() private status: Status | null = null;
  @state() private error: QoltanbaErrorCode | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('qoltanba-login', this.#onLogin);
    document.addEventListener('qoltanba-logout', this.#onLogout);
    this.load(this.#loadParent());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('qoltanba-login', this.#onLogin);
    document.removeEventListener('qoltanba-logout', this.#onLogout);
  }

  #onLogin = (event: QoltanbaLoginEvent): void => {
    this.auth = 'in';
    this.parentIin = event.detail.user.iin;
    if (this.error && SESSION_GONE.includes(this.error)) this.error = null;
  };

  #onLogout = (): void => {
    this.auth = 'out';
    this.parentIin = null;
    this.status = null;
    this.error = null;
  };

  #onInput(event: InputEvent): void {
    const field = event.target as HTMLInputElement;
    // People paste "2012 0550 0031" or "201205-500031": keep what matters,
    // and cap the length after cleaning (a maxlength attribute would cut
    // the pasted text before the spaces are gone).
    const cleaned = normalizeIin(field.value).slice(0, IIN_LENGTH);
    if (cleaned !== field.value) field.value = cleaned;
    this.value = cleaned;
    this.changed = true;
    this.status = null;
    // Errors appear on blur or submit, not while typing; but a fixed value
    // clears its error at once.
    if (this.shownProblem && this.#problem() === null) {
      this.shownProblem = null;
    }
  }

  #onBlur(): void {
    if (!this.changed) return;
    this.changed = false;
    this.shownProblem = this.#problem();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    await this.#submit();
  }

  #onLoginAgain(): void {
    this.dispatchEvent(new QoltanbaLoginRequestEvent());
  }

  /** Checks the IIN and, when it passes, asks the backend to link. */
  async submit(): Promise<void> {
    await this.#submit();
  }

  async #submit(): Promise<void> {
    if (this.busy) return;
    this.changed = false;
    this.shownProblem = this.#problem();
    if (this.shownProblem) {
      this.error = null;
      await this.#focus('#iin');
      return;
    }
    const iin = this.value;
    this.busy = true;
    this.error = null;
    this.status = 'linking';
    try {
      const { child } = await this.api.linkChild(iin);
      this.#linked(child);
      await this.#focus('#iin');
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
    this.value = '';
    if (this.input) this.input.value = '';
    this.dispatchEvent(new QoltanbaChildLinkedEvent({ child }));
  }

  async #loadParent(): Promise<void> {
    try {
      const { user } = await this.api.me();
      this.auth = 'in';
      this.parentIin = user.iin;
    } catch (error) {
      // Without an answer the form stays usable; the backend refuses an
      // unauthenticated request with its own code anyway.
      this.auth = SESSION_GONE.includes(this.codeOf(error)) ? 'out' : 'unknown';
    }
  }

  /** What is wrong with the typed IIN, or null when it can be sent. */
  #problem(): IinFieldProblem | null {
    const check = checkIin(this.value);
    if (!check.valid) return check.problem;
    if (check.facts.iin === this.parentIin) return 'own-iin';
    if (ageInYears(check.facts.birthDate) >= MAX_AGE) return 'too-old';
    return null;
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render(): TemplateResult {
    return html`
      <section class="panel" part="panel" aria-labelledby="heading">
        <h2 id="heading" part="heading">${msg('Linking')}</h2>
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
        ${this.auth === 'out' ? this.renderLoggedOut() : this.renderForm()}
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
    const code = this.error;
    return html`
      <div
        id="error"
        class="alert"
        role="alert"
        part="error"
        tabindex="-1"
        data-code=${code}
      >
        <p>
          <span class="visually-hidden">${msg('Error:')}</span>
          ${errorMessage(code)}
        </p>
        ${SESSION_GONE.includes(code)
          ? html`<div class="actions">
              <button type="button" @click=${this.#onLoginAgain}>
                ${msg('Log in again')}
              </button>
            </div>`
          : nothing}
        ${code === 'NETWORK'
          ? html`<div class="actions">
              <button type="button" @click=${this.submit}>
                ${msg('Try again')}
              </button>
            </div>`
          : nothing}
      </div>
    `;
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
    const problem = this.shownProblem;
    const describedBy = problem ? 'iin-hint iin-error' : 'iin-hint';
    return html`
      <form
        part="form"
        novalidate
        aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.#onSubmit}
      >
        <div class="field ${problem ? 'field--error' : ''}">
          <label for="iin">${msg("Child's IIN")}</label>
          <span id="iin-hint" class="hint">
            ${msg('12 digits, for example 201205500031')}
          </span>
          ${problem
            ? html`<span id="iin-error" class="field-error">
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
            .value=${this.value}
            aria-describedby=${describedBy}
            aria-invalid=${problem ? 'true' : nothing}
            @input=${this.#onInput}
            @blur=${this.#onBlur}
          />
        </div>
        ${this.renderBirthDate()}
        <div class="actions">
          <button type="submit" part="submit-button">${msg('Add')}</button>
        </div>
      </form>
    `;
  }

  private renderBirthDate(): TemplateResult | typeof nothing {
    const check = checkIin(this.value);
    if (!check.valid) return nothing;
    const date = formatIsoDate(check.facts.birthDate);
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
