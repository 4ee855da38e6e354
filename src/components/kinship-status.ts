import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Child, QueueApplication } from '../api/protocol.js';
import {
  QoltanbaLoginRequestEvent,
  type QoltanbaErrorCode,
} from '../events.js';
import { errorAlert } from './error-alert.js';
import { formatLongDate, maskIin } from '../messages/format.js';
import { childrenLinked } from '../messages/plural.js';
import { getLocale } from '../localization.js';
import { kinshipStatusStyles } from './kinship-status.styles.js';
import { QoltanbaElement } from './qoltanba-element.js';
import { sharedStyles } from './shared.styles.js';

type View = 'loading' | 'logged-out' | 'expired' | 'error' | 'ready';

const SESSION_GONE: readonly QoltanbaErrorCode[] = [
  'NOT_AUTHENTICATED',
  'SESSION_EXPIRED',
];

// The document events after which the list may have changed.
const REFRESH_ON = [
  'qoltanba-child-linked',
  'qoltanba-login',
  'qoltanba-logout',
] as const;

/**
 * Shows the children linked to the logged-in parent, each with its
 * kindergarten-queue applications: number, kindergartens in order of
 * preference, place in the queue, status and filing date. The child's IIN is
 * partly masked.
 *
 * It reloads by itself when a child is linked or a user logs in or out
 * anywhere on the page, without a page reload, and on demand through
 * `refresh()`. Dates are written in the words of the active language.
 *
 * @summary The parent's linked children and their queue applications.
 *
 * @attribute backend-url - Base URL of the Qoltanba backend. Default "/api".
 * @attribute lang - Language: kk, ru or en. Default: the closest ancestor's
 *   or the document's language, else the browser's, else kk.
 *
 * @fires {QoltanbaErrorEvent} qoltanba-error - An error was shown; detail
 *   `{code, source}`.
 * @fires {QoltanbaLoginRequestEvent} qoltanba-login-request - The user
 *   pressed "Log in"; `<eds-login>` answers it.
 *
 * @csspart panel - The outer box.
 * @csspart heading - The title.
 * @csspart child - One child's card.
 * @csspart application - One queue application.
 * @csspart empty - The "no children yet" text.
 * @csspart count - "2 children linked".
 * @csspart status - The live region announcing loading.
 * @csspart error - The error message box.
 * @csspart retry-button - "Try again" after an error.
 * @csspart login-button - "Log in" when logged out or the session expired.
 *
 * @cssprop [--qoltanba-color-primary=#0b5cab] - Headings, badges, borders.
 * @cssprop [--qoltanba-color-accent=#00727a] - Child cards, "offered".
 * @cssprop [--qoltanba-color-error=#c0262d] - Errors.
 * @cssprop [--qoltanba-color-success=#0a7a3e] - "Enrolled".
 * @cssprop [--qoltanba-color-warning=#8a4b00] - "Session expired".
 * @cssprop [--qoltanba-color-text=#1b2330] - Body text.
 * @cssprop [--qoltanba-color-muted=#5a6473] - Labels, "cancelled".
 * @cssprop [--qoltanba-color-surface=#ffffff] - Background of the panel.
 * @cssprop [--qoltanba-color-border=#7a8696] - Borders of the cards.
 * @cssprop [--qoltanba-color-focus=#ffbf47] - The focus ring.
 * @cssprop [--qoltanba-radius=8px] - Corner radius.
 * @cssprop [--qoltanba-font=Montserrat, Segoe UI, Roboto, Arial, sans-serif]
 *   - Font family.
 * @cssprop [--qoltanba-font-size=1rem] - Base text size.
 * @cssprop [--qoltanba-space=1rem] - Base spacing.
 */
export class KinshipStatus extends QoltanbaElement {
  static override styles = [sharedStyles, kinshipStatusStyles];

  // Only the answer to the latest request may land.
  #generation = 0;

  @state() private view: View = 'loading';
  @state() private linkedChildren: Child[] = [];
  @state() private error: QoltanbaErrorCode | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    for (const name of REFRESH_ON) {
      document.addEventListener(name, this.#onChange);
    }
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const name of REFRESH_ON) {
      document.removeEventListener(name, this.#onChange);
    }
  }

  #onChange = (): void => {
    void this.refresh();
  };

  async #onRetry(): Promise<void> {
    await this.refresh();
    // On failure, to the new error; on success the button is gone, so to
    // the heading, where the list starts.
    await this.#focus(this.view === 'error' ? '#error' : '#heading');
  }

  #onLogIn(): void {
    this.dispatchEvent(new QoltanbaLoginRequestEvent());
  }

  /**
   * Loads the children again from `GET /children`; `updateComplete` waits
   * for it.
   */
  refresh(): Promise<void> {
    // After the language is known: the backend names kindergartens in it.
    const task = this.languageSettled.then(() => this.#load());
    this.load(task);
    return task;
  }

  protected override languageChanged(): void {
    if (this.view === 'ready') void this.refresh();
  }

  async #load(): Promise<void> {
    const generation = ++this.#generation;
    this.view = 'loading';
    this.error = null;
    try {
      const { children } = await this.api.children();
      if (generation !== this.#generation) return;
      this.linkedChildren = children;
      this.view = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      const code = this.codeOf(error);
      this.linkedChildren = [];
      if (SESSION_GONE.includes(code)) {
        this.view = code === 'SESSION_EXPIRED' ? 'expired' : 'logged-out';
        return;
      }
      this.view = 'error';
      this.error = code;
      this.reportError(code);
    }
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render(): TemplateResult {
    return html`
      <section
        class="panel"
        part="panel"
        aria-labelledby="heading"
        aria-busy=${this.view === 'loading' ? 'true' : 'false'}
      >
        <h2 id="heading" part="heading" tabindex="-1">
          ${msg('My children')}
        </h2>
        ${this.view === 'ready' && this.linkedChildren.length > 0
          ? html`<p class="count" part="count">
              ${childrenLinked(this.linkedChildren.length)}
            </p>`
          : nothing}
        <p class="status" role="status" part="status">
          ${this.view === 'loading' ? msg('Loading…') : ''}
        </p>
        ${this.renderView()}
      </section>
    `;
  }

  private renderView(): TemplateResult | typeof nothing {
    switch (this.view) {
      case 'loading':
        // A reload keeps the old list in view instead of flashing empty.
        return this.linkedChildren.length > 0 ? this.renderChildren() : nothing;
      case 'logged-out':
        return this.renderLogin(
          msg(
            'Log in with your electronic signature to see your children and their kindergarten queue applications.',
          ),
          msg('Log in with signature'),
        );
      case 'expired':
        return this.renderLogin(
          msg(
            'Your session has expired. Log in again to see your children and their applications.',
          ),
          msg('Log in again'),
          'warning',
        );
      case 'error':
        return this.renderError();
      case 'ready':
        return this.linkedChildren.length === 0
          ? html`<p part="empty">
              ${msg(
                'No children are linked yet. Link a child by IIN to see the queue application here.',
              )}
            </p>`
          : this.renderChildren();
    }
  }

  private renderLogin(
    why: string,
    label: string,
    tone = '',
  ): TemplateResult {
    return html`
      <p class=${tone}>${why}</p>
      <div class="actions">
        <button type="button" part="login-button" @click=${this.#onLogIn}>
          ${label}
        </button>
      </div>
    `;
  }

  private renderChildren(): TemplateResult {
    return html`<ul class="children">
      ${this.linkedChildren.map((child) => this.renderChild(child))}
    </ul>`;
  }

  private renderError(): TemplateResult {
    return errorAlert(
      this.error ?? 'UNEXPECTED',
      html`<div class="actions">
        <button type="button" part="retry-button" @click=${this.#onRetry}>
          ${msg('Try again')}
        </button>
      </div>`,
    );
  }

  private renderChild(child: Child): TemplateResult {
    const iin = maskIin(child.iin);
    const born = formatLongDate(child.birthDate, getLocale());
    return html`
      <li class="child" part="child">
        <h3>${child.fullName}</h3>
        <p class="meta">
          ${msg(str`IIN: ${iin}`)} · ${msg(str`Date of birth: ${born}`)}
        </p>
        ${child.applications.length === 0
          ? html`<p>${msg('No queue application.')}</p>`
          : html`<ul class="applications">
              ${child.applications.map((a) => this.renderApplication(a))}
            </ul>`}
      </li>
    `;
  }

  private renderApplication(application: QueueApplication): TemplateResult {
    const { status } = application;
    return html`
      <li class="application" part="application">
        <dl>
          <dt>${msg('Application number')}</dt>
          <dd>${application.number}</dd>
          <dt>${msg('Kindergartens')}</dt>
          <dd>
            <ol>
              ${application.kindergartens.map((k) => html`<li>${k}</li>`)}
            </ol>
          </dd>
          <dt>${msg('Place in the queue')}</dt>
          <dd>${application.queuePosition}</dd>
          <dt>${msg('Status')}</dt>
          <dd>
            <span class="badge badge--${status}">
              ${this.renderApplicationStatus(status)}
            </span>
          </dd>
          <dt>${msg('Filed on')}</dt>
          <dd>${formatLongDate(application.submittedOn, getLocale())}</dd>
        </dl>
      </li>
    `;
  }

  private renderApplicationStatus(status: QueueApplication['status']): string {
    switch (status) {
      case 'queued':
        return msg('In the queue');
      case 'offered':
        return msg('Place offered');
      case 'enrolled':
        return msg('Enrolled');
      case 'cancelled':
        return msg('Cancelled');
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kinship-status': KinshipStatus;
  }
}
