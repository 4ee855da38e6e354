/**
 * Qoltanba: web components for Kazakh e-government portals. Importing this
 * module defines `<eds-login>`, `<iin-link-form>` and `<kinship-status>`.
 */
import { defineQoltanbaElements } from './define.js';

export { ApiClient, ApiClientError } from './api/client.js';
export type { ApiClientErrorCode } from './api/client.js';
export type * from './api/protocol.js';
export {
  EdsLogin,
  loadKeyFileSigner,
  type KeyRingLoader,
  type LoginKeyChoice,
  type LoginKeyRing,
} from './components/eds-login.js';
export { IinLinkForm } from './components/iin-link-form.js';
export { KinshipStatus } from './components/kinship-status.js';
export { defineQoltanbaElements } from './define.js';
export * from './events.js';
export {
  getLocale,
  resolveLocale,
  setLocale,
  type LocaleCode,
} from './localization.js';

defineQoltanbaElements();
