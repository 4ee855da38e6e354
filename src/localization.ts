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
import {
  localePartLoaders,
  type LocalePart,
} from './generated/locale-parts.js';

export type { LocalePart };

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

/**
 * Each locale's messages as `msg()` reads them: the first module, merged
 * with the modules of the parts in use (scripts/split-locales.mjs splits
 * them so that a page downloads a part's translations with the part).
 */
const templates = new Map<LocaleCode, LocaleModule['templates']>();
const loadedModules = new Set<string>();
const loadingModules = new Map<string, Promise<void>>();
const partsInUse = new Set<LocalePart>();
/** The locale of the element rendering now; null between renders. */
let rendering: LocaleCode | null = null;
/** The page's language when a portal chose one with `setLocale()`. */
let chosen: LocaleCode | null = null;

configureReentrantLocalization({
  sourceLocale,
  targetLocales: [...targetLocales],
  getLocale: () => getLocale(),
  loadLocaleSync: (locale) => {
    const loaded = templates.get(locale as LocaleCode);
    return loaded && { templates: loaded };
  },
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

/**
 * Loads a locale's messages once, with those of every part in use;
 * resolves at once for English.
 */
export function loadLocale(locale: LocaleCode): Promise<void> {
  if (locale === sourceLocale) return Promise.resolve();
  const target = locale as keyof typeof loaders;
  return Promise.all([
    loadModule(locale, locale, loaders[target]),
    ...[...partsInUse].map((part) =>
      loadModule(locale, `${locale}-${part}`, localePartLoaders[target][part]),
    ),
  ]).then(() => {});
}

/**
 * Loads the messages of a part (of <eds-login>) that is about to render, in
 * every locale in use, and keeps loading them with any locale switched to
 * later.
 */
export function useLocalePart(part: LocalePart): Promise<void> {
  partsInUse.add(part);
  const inUse = targetLocales.filter(
    (locale) => loadedModules.has(locale) || loadingModules.has(locale),
  );
  return Promise.all(inUse.map(loadLocale)).then(() => {});
}

function loadModule(
  locale: LocaleCode,
  name: string,
  load: () => Promise<LocaleModule>,
): Promise<void> {
  if (loadedModules.has(name)) return Promise.resolve();
  let pending = loadingModules.get(name);
  if (!pending) {
    pending = load().then(
      (module) => {
        const merged = templates.get(locale) ?? {};
        templates.set(locale, Object.assign(merged, module.templates));
        loadedModules.add(name);
      },
      (error: unknown) => {
        // Forget the failure so that the next attempt loads again.
        loadingModules.delete(name);
        throw error;
      },
    );
    loadingModules.set(name, pending);
  }
  return pending;
}

/** Whether `msg()` can render `locale` now, without waiting. */
export function isLocaleLoaded(locale: LocaleCode): boolean {
  return (
    locale === sourceLocale ||
    (loadedModules.has(locale) &&
      [...partsInUse].every((part) => loadedModules.has(`${locale}-${part}`)))
  );
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
