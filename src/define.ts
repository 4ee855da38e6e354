/**
 * Registers the three tags, each only if the page has not already: a portal
 * that loads the bundle twice (two widgets, a cached and a fresh copy) must
 * not throw "has already been used with this registry".
 */
import { EdsLogin } from './components/eds-login.js';
import { IinLinkForm } from './components/iin-link-form.js';
import { KinshipStatus } from './components/kinship-status.js';

const TAGS: ReadonlyArray<readonly [string, CustomElementConstructor]> = [
  ['eds-login', EdsLogin],
  ['iin-link-form', IinLinkForm],
  ['kinship-status', KinshipStatus],
];

/** Defines `<eds-login>`, `<iin-link-form>` and `<kinship-status>`. */
export function defineQoltanbaElements(
  registry: CustomElementRegistry = customElements,
): void {
  for (const [tag, element] of TAGS) {
    if (!registry.get(tag)) registry.define(tag, element);
  }
}
