/**
 * What a person does in a story's `play`: type, choose a file, press a
 * button. The elements render into shadow roots, so these reach inside
 * them by id or part, and wait for the element to settle after each step.
 */
import { STORY_PASSWORD } from './key-file.js';

type Settling = HTMLElement & { updateComplete: Promise<unknown> };

/** The story's element, once it has rendered and loaded its data. */
export async function elementIn<T extends keyof HTMLElementTagNameMap>(
  canvas: HTMLElement,
  tag: T,
): Promise<HTMLElementTagNameMap[T]> {
  const element = canvas.querySelector(tag);
  if (!element) throw new Error(`The story has no <${tag}>.`);
  await settle(element as unknown as Settling);
  return element;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Lets a handler's fetch answer and the element render again. A story
 * whose backend never answers never completes its update, hence the cap.
 */
async function settle(element: Settling): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.race([element.updateComplete, pause(500)]);
    await pause(15);
  }
}

function inside<T extends HTMLElement>(host: HTMLElement, selector: string) {
  const node = host.shadowRoot?.querySelector<T>(selector);
  if (!node) throw new Error(`<${host.localName}> has no ${selector}.`);
  return node;
}

/** Types into a field and leaves it, as a person would. */
export async function type(
  host: HTMLElement,
  selector: string,
  text: string,
): Promise<void> {
  const field = inside<HTMLInputElement>(host, selector);
  field.focus();
  field.value = text;
  field.dispatchEvent(new InputEvent('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  field.blur();
  await settle(host as Settling);
}

/** Presses a button (or submits its form) and lets the element settle. */
export async function press(host: HTMLElement, selector: string) {
  inside<HTMLButtonElement>(host, selector).click();
  await settle(host as Settling);
}

/** Chooses a key file and types its password, then refreshes the list. */
export async function openKeyFile(
  login: HTMLElement,
  password = STORY_PASSWORD,
): Promise<void> {
  const input = inside<HTMLInputElement>(login, '#key-file');
  const files = new DataTransfer();
  files.items.add(new File([new Uint8Array(64)], 'AUTH_RSA256_story.p12'));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await type(login, '#password', password);
  await press(login, '[part="refresh-button"]');
  // The fake key file takes a moment to open.
  await pause(60);
  await settle(login as Settling);
}
