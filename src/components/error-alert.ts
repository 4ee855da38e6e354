/**
 * The error box the three elements show after a failed step: one alert,
 * focusable so that focus can move to it, with the localized reason and,
 * below it, whatever the element offers next (retry, log in again, help).
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import type { QoltanbaErrorCode } from '../events.js';
import { errorMessage } from '../messages/errors.js';

export function errorAlert(
  code: QoltanbaErrorCode,
  next: TemplateResult | typeof nothing = nothing,
): TemplateResult {
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
      ${next}
    </div>
  `;
}
