/**
 * What a person does in a story's `play`: type, choose a file, press a
 * button. The elements render into shadow roots, so these reach inside
 * them by id or part, and wait for the element to settle after each step.
 */
import { STORY_PASSWORD } from './key-file.js';

type Settling = HTMLElement & { updateComplete: Promise<unknown> };

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

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

/**
 * The node in the element's shadow root, once it is there: a step may
 * wait for a fetch through the mocked backend, slower on a busy machine.
 */
export async function inside<T extends HTMLElement>(
  host: HTMLElement,
  selector: string,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const node = host.shadowRoot?.querySelector<T>(selector);
    if (node) return node;
    if (Date.now() > end) {
      throw new Error(`<${host.localName}> has no ${selector}.`);
    }
    await pause(20);
  }
}

/** Types into a field and leaves it, as a person would. */
export async function type(
  host: HTMLElement,
  selector: string,
  text: string,
): Promise<void> {
  const field = await inside<HTMLInputElement>(host, selector);
  field.focus();
  field.value = text;
  field.dispatchEvent(new InputEvent('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  field.blur();
  await settle(host as Settling);
}

/**
 * Presses a button (or submits its form) and lets the element settle; with
 * `until`, waits for what the press leads to (one of several selectors).
 */
export async function press(
  host: HTMLElement,
  selector: string,
  until?: string,
): Promise<void> {
  (await inside<HTMLButtonElement>(host, selector)).click();
  await settle(host as Settling);
  if (until) await inside(host, until);
}

/** Chooses a key file and types its password, then refreshes the list. */
export async function openKeyFile(
  login: HTMLElement,
  password = STORY_PASSWORD,
): Promise<void> {
  const input = await inside<HTMLInputElement>(login, '#key-file');
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

/** Opens the key file, signs with the preselected key and waits. */
export async function signIn(login: HTMLElement): Promise<void> {
  await openKeyFile(login);
  await press(login, '[part="sign-button"]', '[part="login-button"], #error');
}

/** Chooses an option of a select (the key storage) as a person would. */
export async function choose(
  host: HTMLElement,
  selector: string,
  value: string,
): Promise<void> {
  const select = await inside<HTMLSelectElement>(host, selector);
  select.focus();
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(host as Settling);
}

/**
 * Chooses NCALayer as the key source, waits until it has listed its
 * storages, and chooses `storage` among them when it is listed.
 */
export async function chooseNcaLayer(
  login: HTMLElement,
  storage: string,
): Promise<void> {
  await choose(login, '#storage', 'ncalayer');
  await inside(login, '[part="ncalayer-button"]:not([disabled])');
  const storages = login.shadowRoot?.querySelector<HTMLSelectElement>(
    '#ncalayer-storage',
  );
  if (storages && [...storages.options].some((o) => o.value === storage)) {
    await choose(login, '#ncalayer-storage', storage);
  }
}
