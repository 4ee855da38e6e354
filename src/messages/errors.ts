/**
 * One localized sentence for every error code an element can meet. The
 * sentences a page may need before anything else has loaded (no network, a
 * chunk that did not load, a lost session) are here; the other forty-odd
 * (key files, NCALayer, the backend's refusals) are in error-details.ts, a
 * chunk that loads with its translations the first time one is shown, so
 * the script a page loads first stays small (#7).
 */
import { msg } from '@lit/localize';
import type { QoltanbaErrorCode } from '../events.js';
import { useLocalePart } from '../localization.js';

type Describe = (code: QoltanbaErrorCode) => string;

let describeDetail: Describe | null = null;
let loadingDetails: Promise<void> | null = null;

/**
 * What the user should read for an error code, or null while its sentence
 * is still loading: call `loadErrorDetails()` and render again.
 */
export function errorMessage(code: QoltanbaErrorCode): string | null {
  switch (code) {
    case 'NETWORK':
      return msg(
        'No connection to the portal. Check your internet connection and try again.',
      );
    case 'LOAD_FAILED':
      return msg(
        'Part of this page did not load. Check your internet connection, then reload the page.',
      );
    case 'UNEXPECTED':
      return msg('Something went wrong on the portal. Try again later.');

    case 'NOT_AUTHENTICATED':
      return msg(
        'You are not logged in. Log in with your electronic signature.',
      );
    case 'SESSION_EXPIRED':
      return msg('Your session has expired. Log in again.');
  }
  return describeDetail ? describeDetail(code) : null;
}

/**
 * Loads the rest of the sentences, in every language in use. Resolves even
 * when the chunk cannot load: then `errorMessage` falls back to the
 * LOAD_FAILED sentence, which is true and says what to do.
 */
export function loadErrorDetails(): Promise<void> {
  loadingDetails ??= Promise.all([
    import('./error-details.js'),
    useLocalePart('errors'),
  ]).then(
    ([details]) => {
      describeDetail = details.errorDetail;
    },
    () => {
      describeDetail = () => errorMessage('LOAD_FAILED')!;
    },
  );
  return loadingDetails;
}

/**
 * The load in progress, for `updateComplete` to wait for; null when there
 * is none or it is done.
 */
export function errorDetailsLoading(): Promise<void> | null {
  return describeDetail ? null : loadingDetails;
}
