/**
 * The one module that configures lit-localize. Elements call
 * `applyLocaleFor(this)` when they connect or their `lang` changes; a portal
 * may call `setLocale` itself.
 *
 * lit-localize's runtime mode has one active locale per page, so the last
 * element whose language is resolved decides for all of them. A portal shows
 * one language at a time, so this is the usual case, not a limitation.
 */
import { configureLocalization } from '@lit/localize';
import {
  allLocales,
  sourceLocale,
  targetLocales,
} from './generated/locale-codes.js';

export type LocaleCode = (typeof allLocales)[number];

/** What a page gets when nothing names a language we have. */
export const DEFAULT_LOCALE: LocaleCode = 'kk';

// An explicit map, not a template-string import: rollup leaves a computed
// import() path alone and it breaks at run time.
const loaders = {
  kk: () => import('./generated/locales/kk.js'),
  ru: () => import('./generated/locales/ru.js'),
};

const runtime = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => loaders[locale as keyof typeof loaders](),
});

let requested: string = sourceLocale;
let pending: Promise<void> = Promise.resolve();

/** The active locale code. */
export function getLocale(): LocaleCode {
  return runtime.getLocale() as LocaleCode;
}

/**
 * Switches every Qoltanba element to a locale; resolves once its messages
 * are loaded and the elements have been asked to re-render.
 */
export function setLocale(locale: LocaleCode): Promise<void> {
  // Compare with the last request, not the active locale: one may still be
  // loading, and asking again would only restart it.
  if (locale === requested) return pending;
  requested = locale;
  pending = runtime.setLocale(locale);
  return pending;
}

/** Resolves when the last requested locale has loaded. */
export function localeReady(): Promise<void> {
  return pending;
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
 * ancestor's (crossing shadow roots), else the document's, else the
 * browser's, else Kazakh. A language we do not ship is skipped in favour of
 * the next source.
 */
export function resolveLocale(element: Element): LocaleCode {
  for (const tag of declaredLanguages(element)) {
    const code = toLocaleCode(tag);
    if (code) return code;
  }
  return toLocaleCode(navigator.language) ?? DEFAULT_LOCALE;
}

/** Resolves the element's language and makes it the active locale. */
export function applyLocaleFor(element: Element): Promise<void> {
  return setLocale(resolveLocale(element));
}

const watched = new Set<Element>();
let observer: MutationObserver | null = null;

/**
 * Follows `lang` changes anywhere in the document (the page's `<html>`, a
 * wrapper, the element itself) for a connected element, so a portal's own
 * language switch reaches the elements at run time.
 */
export function watchLanguage(element: Element): void {
  watched.add(element);
  if (observer) return;
  observer = new MutationObserver(() => {
    for (const each of watched) void applyLocaleFor(each);
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
  let node: Element | null = element;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang) yield lang;
    node = node.parentElement ?? hostOf(node);
  }
  // A disconnected element still takes the document's language.
  const documentLang = element.ownerDocument.documentElement.lang;
  if (documentLang) yield documentLang;
}

function hostOf(node: Element): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
