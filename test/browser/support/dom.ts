/** Helpers that drive the elements as a person would, in their shadow DOM. */
import { sendKeys } from '@web/test-runner-commands';
import { waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';

/** One node in an element's shadow root; throws when it is missing. */
export function $<T extends Element = HTMLElement>(
  host: LitElement,
  selector: string,
): T {
  const found = host.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`${host.localName}: no ${selector}`);
  return found;
}

/** Null instead of throwing, to assert absence. */
export function maybe(host: LitElement, selector: string): Element | null {
  return host.shadowRoot!.querySelector(selector);
}

/** The visible text of a node, whitespace collapsed. */
export function text(node: Node | null): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Focuses a field and types into it with real key presses. */
export async function typeInto(
  host: LitElement,
  selector: string,
  value: string,
): Promise<void> {
  $<HTMLInputElement>(host, selector).focus();
  await sendKeys({ type: value });
  await host.updateComplete;
}

/** Pastes text into a field, as the browser reports a paste. */
export async function pasteInto(
  host: LitElement,
  selector: string,
  value: string,
): Promise<void> {
  const input = $<HTMLInputElement>(host, selector);
  input.focus();
  input.value = value;
  input.dispatchEvent(
    new InputEvent('input', {
      bubbles: true,
      composed: true,
      inputType: 'insertFromPaste',
      data: value,
    }),
  );
  await host.updateComplete;
}

/** Moves focus out of the field with Tab, as a person leaves it. */
export async function leave(host: LitElement): Promise<void> {
  await sendKeys({ press: 'Tab' });
  await host.updateComplete;
}

/** Picks a file in an <input type=file> via DataTransfer. */
export async function chooseFile(
  host: LitElement,
  selector: string,
  bytes: Uint8Array,
  name = 'AUTH_RSA256_test.p12',
): Promise<void> {
  const input = $<HTMLInputElement>(host, selector);
  const transfer = new DataTransfer();
  transfer.items.add(
    new File([new Uint8Array(bytes)], name, { type: 'application/x-pkcs12' }),
  );
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await host.updateComplete;
}

/** Clicks a button found by its visible text. */
export async function clickButton(
  host: LitElement,
  label: string,
): Promise<void> {
  const buttons = [...host.shadowRoot!.querySelectorAll('button')];
  const button = buttons.find((b) => text(b) === label);
  if (!button) {
    const seen = buttons.map((b) => text(b)).join(' | ');
    throw new Error(`${host.localName}: no button "${label}" (${seen})`);
  }
  button.click();
  await host.updateComplete;
}

/** Waits until a node matching the selector exists. */
export async function waitFor<T extends Element = HTMLElement>(
  host: LitElement,
  selector: string,
  message?: string,
): Promise<T> {
  await waitUntil(
    () => maybe(host, selector) !== null,
    message ?? `${host.localName}: ${selector} never appeared`,
    { timeout: 3000 },
  );
  await host.updateComplete;
  return $<T>(host, selector);
}

/** Waits until the element's live region says something matching. */
export async function waitForStatus(
  host: LitElement,
  expected: string | RegExp,
): Promise<void> {
  await waitUntil(
    () => {
      const said = text(maybe(host, '[role="status"]'));
      return typeof expected === 'string'
        ? said === expected
        : expected.test(said);
    },
    `${host.localName}: status never said ${expected}; it says ` +
      `"${text(maybe(host, '[role="status"]'))}"`,
    { timeout: 3000 },
  );
}

/** The element that has focus, looking into shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  return active;
}

/** Chooses an option of a <select> the way a person does: change fires. */
export async function chooseOption(
  host: LitElement,
  selector: string,
  value: string,
): Promise<void> {
  const select = $<HTMLSelectElement>(host, selector);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await host.updateComplete;
}
