/**
 * Tag registration, in one guarded place. Each tag is defined only if the
 * registry does not have it yet, so that a page that loads the library
 * twice (two widgets, a cached and a fresh bundle) does not throw "has
 * already been used with this registry". Outside a browser (server-side
 * rendering without a DOM shim) there is no registry and nothing happens.
 */
import { EdsLogin } from './components/eds-login.js';
import { IinLinkForm } from './components/iin-link-form.js';
import { KinshipStatus } from './components/kinship-status.js';

/** The tags this library defines, with their classes. */
export const QOLTANBA_TAGS = {
  'eds-login': EdsLogin,
  'iin-link-form': IinLinkForm,
  'kinship-status': KinshipStatus,
} as const;

export type QoltanbaTag = keyof typeof QOLTANBA_TAGS;

function defaultRegistry(): CustomElementRegistry | undefined {
  return (globalThis as { customElements?: CustomElementRegistry })
    .customElements;
}

/**
 * Defines one tag unless the registry already has it. Returns false when
 * there is no registry (Node) or the tag was taken already.
 */
export function defineElement(
  tag: QoltanbaTag,
  registry: CustomElementRegistry | undefined = defaultRegistry(),
): boolean {
  if (!registry || registry.get(tag)) return false;
  registry.define(tag, QOLTANBA_TAGS[tag]);
  return true;
}

/** Defines `<eds-login>`, `<iin-link-form>` and `<kinship-status>`. */
export function defineQoltanbaElements(
  registry: CustomElementRegistry | undefined = defaultRegistry(),
): void {
  for (const tag of Object.keys(QOLTANBA_TAGS) as QoltanbaTag[]) {
    defineElement(tag, registry);
  }
}
