/**
 * Qoltanba: web components for Kazakh e-government portals. This entry only
 * exports; it defines no tag. Import `qoltanba/define` (all three) or
 * `qoltanba/define/eds-login` and the like to register the tags, or call
 * `defineQoltanbaElements()`.
 */
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
export {
  defineElement,
  defineQoltanbaElements,
  QOLTANBA_TAGS,
  type QoltanbaTag,
} from './define.js';
export * from './events.js';
export {
  getLocale,
  resolveLocale,
  setLocale,
  type LocaleCode,
} from './localization.js';
export {
  DEFAULT_TIME_ZONE,
  getTimeZone,
  setTimeZone,
} from './messages/format.js';
