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

type Next = TemplateResult | typeof nothing;

function alertBox(code: QoltanbaErrorCode, sentence: string, next: Next) {
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
        ${sentence}
      </p>
      ${next}
    </div>
  `;
}

/**
 * The alert, whole or not at all. Most sentences load on the first error
 * (errors.ts); until they are here no box shows, so that assistive
 * technology announces the alert once, with its reason, and the element
 * renders again when they arrive (in its own language: this runs inside
 * its render). `updateComplete` waits for them.
 */
class ErrorAlert extends Directive {
  constructor(part: PartInfo) {
    super(part);
  }

  render(code: QoltanbaErrorCode, next: Next) {
    const sentence = errorMessage(code);
    return sentence === null ? nothing : alertBox(code, sentence, next);
  }

  override update(part: ChildPart, [code, next]: [QoltanbaErrorCode, Next]) {
    const sentence = errorMessage(code);
    if (sentence !== null) return alertBox(code, sentence, next);
    const host = part.options?.host as { requestUpdate(): void } | undefined;
    void loadErrorDetails().then(() => host?.requestUpdate());
    return nothing;
  }
}

const errorAlertOnceReady = directive(ErrorAlert);

export function errorAlert(
  code: QoltanbaErrorCode,
  next: Next = nothing,
): TemplateResult {
  return html`${errorAlertOnceReady(code, next)}`;
}
