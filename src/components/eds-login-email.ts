/**
 * The first-login step of `<eds-login>`: the user gives an email address.
 * Most logins never show it, so it loads only when the backend asks for
 * one (#7).
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import type { User } from '../api/protocol.js';
import { SESSION_GONE, type SourceContext } from './eds-login-parts.js';

type EmailProblem = 'empty' | 'invalid';

// Deliberately loose: the backend has the last word (EMAIL_INVALID); this
// only catches a missing "@" or domain before a round trip.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export class EmailStep {
  #problem: EmailProblem | null = null;
  /** Whether the problem is shown: after blur or submit, not while typing. */
  #shown = false;

  constructor(private readonly ctx: SourceContext) {}

  get #input(): HTMLInputElement | null {
    return this.ctx.host.renderRoot.querySelector('#email');
  }

  #show(problem: EmailProblem | null): void {
    this.#problem = problem;
    this.#shown = problem !== null;
    this.ctx.host.requestUpdate();
  }

  #onInput = (): void => {
    // A fixed address clears its error at once.
    if (this.#shown && !problemOf(this.#input?.value ?? '')) {
      this.#shown = false;
      this.ctx.host.requestUpdate();
    }
  };

  #onBlur = (): void => {
    const value = this.#input?.value ?? '';
    if (value !== '') this.#show(problemOf(value));
  };

  #onSave = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.ctx.busy()) return;
    const email = (this.#input?.value ?? '').trim();
    this.#show(problemOf(email));
    if (this.#problem) {
      await this.ctx.focus('#email');
      return;
    }
    this.ctx.start('saving-email');
    try {
      const session = await this.ctx.api().setEmail(email);
      this.ctx.settle(null);
      await this.ctx.loggedIn(session);
    } catch (error) {
      if (SESSION_GONE.includes(this.ctx.codeOf(error))) this.ctx.toKeyForm();
      await this.ctx.fail(error);
    }
  };

  render(user: User | null): TemplateResult {
    const problem = this.#shown ? this.#problem : null;
    const describedBy = problem ? 'email-hint email-error' : 'email-hint';
    return html`
      <form part="email-form" novalidate @submit=${this.#onSave}>
        <h3>${msg('Your email address')}</h3>
        <p class="person">${user?.fullName}</p>
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
            @input=${this.#onInput}
            @blur=${this.#onBlur}
          />
        </div>
        <div class="actions">
          <button type="submit">${msg('Save')}</button>
        </div>
      </form>
    `;
  }
}

function problemOf(value: string): EmailProblem | null {
  const email = value.trim();
  if (email === '') return 'empty';
  return EMAIL_PATTERN.test(email) ? null : 'invalid';
}
