/**
 * The key list of `<eds-login>`: every key of an opened key file with its
 * certificate's details, why a key is greyed out, warnings, and "Sign".
 * Loaded with the key file, since nothing shows it before (#7).
 */
import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateInfo } from '../crypto/types.js';
import { formatDateTime, formatPeriod } from '../messages/format.js';
import { daysLeft } from '../messages/plural.js';
import type { LoginKeyChoice } from './eds-login.js';
import {
  checkKey,
  type KeyCheck,
  type KeyRefusal,
  type KeyWarning,
} from './key-check.js';

export { preferredKey } from './key-check.js';

/** Whether a key may log in at all. */
export function isUsable(info: CertificateInfo): boolean {
  return checkKey(info).refusal === null;
}

export interface KeyListView {
  choices: readonly LoginKeyChoice[];
  selectedId: string | null;
  onKeyChange(event: Event): void;
  onSign(): void;
}

export function renderKeyList(view: KeyListView): TemplateResult {
  const { choices, selectedId } = view;
  const index = choices.findIndex((c) => c.id === selectedId);
  const selected = choices[index];
  const warned = selected && checkKey(selected.info).warnings.length > 0;
  return html`
    <fieldset part="key-list">
      <legend>${msg('Choose a key')}</legend>
      <div class="keys">
        ${choices.map((choice, i) => renderKey(view, choice, i))}
      </div>
    </fieldset>
    <div class="actions">
      <button
        type="button"
        part="sign-button"
        ?disabled=${selectedId === null}
        aria-describedby=${warned ? `key-${index}-warnings` : nothing}
        @click=${view.onSign}
      >
        ${msg('Sign')}
      </button>
    </div>
  `;
}

function renderKey(
  view: KeyListView,
  choice: LoginKeyChoice,
  index: number,
): TemplateResult {
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
        .checked=${choice.id === view.selectedId}
        ?disabled=${check.refusal !== null}
        aria-describedby=${described.join(' ')}
        @change=${view.onKeyChange}
      />
      <label for=${id}>${info.fullName}</label>
      ${renderKeyDetails(info, id)}
      ${check.refusal
        ? html`<p id="${id}-reason" class="key__reason" part="key-reason">
            ${refusalText(check.refusal, info)}
          </p>`
        : nothing}
      ${check.warnings.length > 0
        ? html`<div id="${id}-warnings" class="key__warnings">
            ${check.warnings.map(
              (w) => html`<p class="key__warning" part="key-warning">
                <span class="visually-hidden">${msg('Warning:')}</span>
                ${warningText(w, info, check)}
              </p>`,
            )}
          </div>`
        : nothing}
    </div>
  `;
}

function renderKeyDetails(info: CertificateInfo, id: string): TemplateResult {
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
      <dd>${algorithmText(info.algorithmName)}</dd>
    </dl>
  `;
}

/**
 * The key's algorithm in the element's language: the certificate reader
 * names GOST keys as NCA does, in Russian ("ГОСТ 34.10-2015 512").
 */
function algorithmText(name: string): string {
  const gost = /^ГОСТ (.+)$/.exec(name);
  return gost ? msg(str`GOST ${gost[1]!}`) : name;
}

function refusalText(reason: KeyRefusal, info: CertificateInfo): string {
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

function warningText(
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
