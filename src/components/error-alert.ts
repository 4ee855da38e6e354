/**
 * The error box the three elements show after a failed step: one alert,
 * focusable so that focus can move to it, with the localized reason and,
 * below it, whatever the element offers next (retry, log in again, help).
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import {
  directive,
  Directive,
  type ChildPart,
  type PartInfo,
} from 'lit/directive.js';
import type { QoltanbaErrorCode } from '../events.js';
import { errorMessage, loadErrorDetails } from '../messages/errors.js';

/**
 * The sentence for a code. Most sentences load on the first error
 * (errors.ts); until then this renders nothing and asks its element to
 * render again once they are here, so the text is built inside the
 * element's render, in the element's language.
 */
class ErrorSentence extends Directive {
  constructor(part: PartInfo) {
    super(part);
  }

  render(code: QoltanbaErrorCode): string {
    return errorMessage(code) ?? '';
  }

  override update(part: ChildPart, [code]: [QoltanbaErrorCode]): string {
    const sentence = errorMessage(code);
    if (sentence !== null) return sentence;
    const host = part.options?.host as { requestUpdate(): void } | undefined;
    void loadErrorDetails().then(() => host?.requestUpdate());
    return '';
  }
}

const errorSentence = directive(ErrorSentence);

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
        ${errorSentence(code)}
      </p>
      ${next}
    </div>
  `;
}
