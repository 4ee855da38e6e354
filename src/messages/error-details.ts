/**
 * The sentences for the error codes that errors.ts does not keep in the
 * first script: loaded on the first error that needs one.
 */
import { msg } from '@lit/localize';
import type { QoltanbaErrorCode } from '../events.js';

/** What the user should read for a code that errors.ts leaves to us. */
export function errorDetail(code: QoltanbaErrorCode): string {
  switch (code) {
    // Key file.
    case 'WRONG_PASSWORD':
      return msg(
        'The password is wrong. Check the keyboard layout and Caps Lock, then type the password again.',
      );
    case 'NOT_A_KEY_FILE':
      return msg(
        'This file is not a key file. Choose the .p12 file that the National Certification Authority issued to you.',
      );
    case 'NO_KEYS':
      return msg(
        'There is no key in this file. Choose the key file itself, not a certificate.',
      );
    case 'UNSUPPORTED_ALGORITHM':
      return msg(
        'This key file is protected in a way that this page cannot open.',
      );
    case 'UNSUPPORTED_KEY':
      return msg(
        'This kind of key cannot be used in the browser (for example an old GOST 2004 key). Sign with NCALayer, or use a key file with an RSA or GOST 2015 key.',
      );
    case 'CORRUPT_FILE':
      return msg(
        'The key file is damaged or incomplete. Copy it again from where you keep it.',
      );

    // NCALayer.
    case 'NCALAYER_UNREACHABLE':
      return msg(
        'This page cannot connect to NCALayer. It is not running, or the browser does not trust its certificate, or an antivirus blocks it.',
      );
    case 'NCALAYER_TIMEOUT':
      return msg('NCALayer does not answer.');
    case 'NCALAYER_OUTDATED':
      return msg(
        'This version of NCALayer is too old to sign here. Install the latest version.',
      );
    case 'NCALAYER_FAILED':
      return msg('NCALayer could not sign. Try again.');

    // Request shape: nothing the user can fix by themselves.
    case 'BAD_REQUEST':
    case 'INVALID_JSON':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'PAYLOAD_TOO_LARGE':
    case 'NOT_FOUND':
      return msg('The portal could not process the request. Try again later.');
    case 'CSRF_HEADER_MISSING':
    case 'ORIGIN_NOT_ALLOWED':
      return msg(
        'The portal refused a request from this page. Reload the page and try again.',
      );
    case 'RATE_LIMITED':
      return msg('Too many attempts. Wait a minute and try again.');

    // Challenge.
    case 'CHALLENGE_NOT_FOUND':
    case 'CHALLENGE_SESSION_MISMATCH':
      return msg(
        'The portal does not know this login request. It may have been started in another tab. Sign again.',
      );
    case 'CHALLENGE_EXPIRED':
      return msg('The login request has expired. Sign again.');
    case 'CHALLENGE_USED':
      return msg(
        'This signature has already been used to log in. Sign again.',
      );

    // Signature and certificate.
    case 'SIGNATURE_MALFORMED':
    case 'SIGNER_COUNT':
    case 'CERT_MISSING':
      return msg('The portal could not read the signature. Sign again.');
    case 'SIGNATURE_INVALID':
      return msg(
        'The signature does not match the certificate of the key. Sign again.',
      );
    case 'CONTENT_MISMATCH':
      return msg(
        'What was signed is not the login request of this portal. Sign again.',
      );
    case 'CERT_UNTRUSTED':
      return msg(
        'The portal does not trust this certificate: it was not issued by the National Certification Authority, or it has been revoked.',
      );
    case 'CERT_EXPIRED':
      return msg(
        'The certificate of this key has expired. Get a new key from the National Certification Authority.',
      );
    case 'CERT_NOT_YET_VALID':
      return msg(
        'The certificate of this key is not valid yet. Check the date and time on your computer.',
      );
    case 'CERT_NO_IIN':
      return msg(
        'The certificate does not contain an IIN. Log in with a key issued to you as a person.',
      );
    case 'CERT_WRONG_PURPOSE':
      return msg(
        'This key is for signing documents, not for logging in. Use your authentication key (its file name starts with AUTH_RSA).',
      );
    case 'CERT_LEGAL_ENTITY':
      return msg(
        'This key belongs to an organisation. Log in with the key issued to you as a person.',
      );
    case 'ORIGIN_MISMATCH':
      return msg(
        'This signature was made for another website. Sign again on this page.',
      );
    case 'CERT_REVOKED':
      return msg(
        'The certificate of this key has been revoked. Get a new key from the National Certification Authority.',
      );
    case 'REVOCATION_UNKNOWN':
      return msg(
        'The portal could not check with the National Certification Authority whether this certificate is revoked. Try again in a few minutes.',
      );
    case 'ALGORITHM_UNSUPPORTED':
      return msg('The portal does not accept this signature algorithm.');
    case 'EMAIL_REQUIRED':
      return msg(
        'Give your email address first: the portal asks for it before you link a child.',
      );
    case 'EMAIL_INVALID':
      return msg('The portal did not accept this email address. Check it.');

    // Linking.
    case 'IIN_INVALID':
      return msg('The portal did not accept this IIN. Check the digits.');
    case 'IIN_OWN':
      return msg('This is your own IIN. Enter the IIN of your child.');
    case 'CHILD_TOO_OLD':
      return msg(
        'The child is 7 years old or older. The kindergarten queue is for children under 7.',
      );
    case 'CHILD_NOT_FOUND':
      return msg(
        'No kindergarten queue application was found for this IIN. Check the IIN, or file an application first.',
      );
    case 'ALREADY_LINKED':
      return msg('This child is already linked to your account.');
    case 'LINKED_TO_OTHER':
      return msg(
        'This child is already linked to another account. Contact the education department if this is a mistake.',
      );
    case 'KINSHIP_NOT_CONFIRMED':
      return msg(
        'Kinship was not confirmed: the civil registry does not list you as a parent of this child.',
      );
    case 'REGISTRY_UNAVAILABLE':
      return msg(
        'The civil registry cannot be reached right now, so kinship cannot be checked. Try again in a few minutes.',
      );
    default:
      // A code from a newer backend: say something true and general.
      return msg('Something went wrong on the portal. Try again later.');
  }
}
