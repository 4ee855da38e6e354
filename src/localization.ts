/**
 * The one module that configures lit-localize, in its reentrant mode: every
 * `msg()` call asks which locale is rendering right now. Each Qoltanba
 * element resolves its own language and renders inside `renderingIn()`, so
 * two elements on one page can speak two languages (lit-localize's runtime
 * mode has a single locale per page).
 *
 * The language of an element: its own `lang` or a closer ancestor's, else
 * the page's (`setLocale()` if the portal called it, else `<html lang>`),
 * else the browser's, else Kazakh.
 */
import { configureReentrantLocalization } from '@lit/localize/init/reentrant.js';
import type { LocaleModule } from '@lit/localize';
import {
  allLocales,
  sourceLocale,
  targetLocales,
} from './generated/locale-codes.js';

export type LocaleCode = (typeof allLocales)[number];

/** The language the source's messages are written in. */
export const sourceLocaleCode = sourceLocale as LocaleCode;

/** What a page gets when nothing names a language we have. */
export const DEFAULT_LOCALE: LocaleCode = 'kk';

// An explicit map, not a template-string import: rollup leaves a computed
// import() path alone and it breaks at run time.
const loaders = {
  kk: () => import('./generated/locales/kk.js'),
  ru: () => import('./generated/locales/ru.js'),
};

const loaded = new Map<LocaleCode, LocaleModule>();
const loading = new Map<LocaleCode, Promise<void>>();

/** The locale of the element rendering now; null between renders. */
let rendering: LocaleCode | null = null;
/** The page's language when a portal chose one with `setLocale()`. */
let chosen: LocaleCode | null = null;

configureReentrantLocalization({
  sourceLocale,
  targetLocales: [...targetLocales],
  getLocale: () => getLocale(),
  loadLocaleSync: (locale) => loaded.get(locale as LocaleCode),
});

/**
 * The locale in effect: inside an element's render, that element's;
 * elsewhere, the page's.
 */
export function getLocale(): LocaleCode {
  return rendering ?? pageLocale();
}

/** The page's language, as an element without a `lang` of its own sees it. */
export function pageLocale(): LocaleCode {
  return (
    chosen ??
    // Optional: importing in Node (server-side rendering) must not throw.
    toLocaleCode(globalThis.document?.documentElement.lang) ??
    toLocaleCode(globalThis.navigator?.language) ??
    DEFAULT_LOCALE
  );
}

/**
 * Runs `work` with `msg()`, plurals and dates in `locale`. Synchronous
 * only: a render, or a message built in an event handler.
 */
export function renderingIn<T>(locale: LocaleCode, work: () => T): T {
  const outer = rendering;
  rendering = locale;
  try {
    return work();
  } finally {
    rendering = outer;
  }
}

/** Loads a locale's messages once; resolves at once for English. */
export function loadLocale(locale: LocaleCode): Promise<void> {
  if (locale === sourceLocale || loaded.has(locale)) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    pending = loaders[locale as keyof typeof loaders]().then(
      (module) => void loaded.set(locale, module),
      (error: unknown) => {
        // Forget the failure so that the next attempt loads again.
        loading.delete(locale);
        throw error;
      },
    );
    loading.set(locale, pending);
  }
  return pending;
}

/** Whether `msg()` can render `locale` now, without waiting. */
export function isLocaleLoaded(locale: LocaleCode): boolean {
  return locale === sourceLocale || loaded.has(locale);
}

/**
 * Sets the page's language for every Qoltanba element that has no `lang`
 * of its own (nor a closer ancestor with one), in place of `<html lang>`;
 * `null` goes back to `<html lang>`. Resolves once the messages are loaded
 * and the elements have re-rendered.
 */
export async function setLocale(locale: LocaleCode | null): Promise<void> {
  chosen = locale;
  await loadLocale(pageLocale());
  await Promise.all([...watched.values()].map((follow) => follow()));
}

/**
 * Maps a BCP 47 tag to a locale we ship, or null. "kz" is a common mistake
 * for Kazakh (it is the country code); "ru-RU" and "kk-KZ" carry a region.
 */
export function toLocaleCode(
  tag: string | null | undefined,
): LocaleCode | null {
  if (!tag) return null;
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  const code = language === 'kz' ? 'kk' : language;
  return (allLocales as readonly string[]).includes(code!)
    ? (code as LocaleCode)
    : null;
}

/**
 * The language an element should speak: its own `lang`, else the closest
 * ancestor's below `<html>` (crossing shadow roots), else the page's. A
 * language we do not ship is skipped in favour of the next source.
 */
export function resolveLocale(element: Element): LocaleCode {
  for (const tag of declaredLanguages(element)) {
    const code = toLocaleCode(tag);
    if (code) return code;
  }
  return pageLocale();
}

type Follow = () => Promise<void>;
const watched = new Map<Element, Follow>();
let observer: MutationObserver | null = null;

/**
 * Calls `follow` when `lang` changes anywhere in the document (the page's
 * `<html>`, a wrapper, the element itself) while the element is connected,
 * so a portal's own language switch reaches it at run time.
 */
export function watchLanguage(element: Element, follow: Follow): void {
  watched.set(element, follow);
  if (observer) return;
  observer = new MutationObserver(() => {
    for (const each of watched.values()) void each();
  });
  observer.observe(element.ownerDocument.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
    subtree: true,
  });
}

/** Stops following `lang` for an element that left the page. */
export function unwatchLanguage(element: Element): void {
  watched.delete(element);
  if (watched.size > 0) return;
  observer?.disconnect();
  observer = null;
}

function* declaredLanguages(element: Element): Generator<string> {
  const html = element.ownerDocument.documentElement;
  let node: Element | null = element;
  while (node && node !== html) {
    const lang = node.getAttribute('lang');
    if (lang) yield lang;
    node = node.parentElement ?? hostOf(node);
  }
}

function hostOf(node: Element): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
