/**
 * A stand-in for the key-file signer, given to `<eds-login>` through its
 * `keyRingLoader` property, so that stories show every key and key-file
 * state without a real .p12 file. Opening takes a short moment, as the
 * real one does.
 */
import type { KeyRingLoader, LoginKeyChoice } from '../../src/index.js';
import {
  KeyFileError,
  type CertificateInfo,
  type KeyFileErrorCode,
} from '../../src/crypto/types.js';

export const STORY_PASSWORD = 'Demo2026';

const DAY = 24 * 60 * 60 * 1000;

/** A personal authentication key valid for a year; override the rest. */
export function certificate(
  overrides: Partial<CertificateInfo> = {},
): CertificateInfo {
  const now = Date.now();
  return {
    commonName: 'САДЫҚОВА АЙГЕРІМ',
    surname: 'САДЫҚОВА',
    patronymic: 'НҰРЛАНҚЫЗЫ',
    iin: '900625400121',
    fullName: 'САДЫҚОВА АЙГЕРІМ НҰРЛАНҚЫЗЫ',
    serialNumber: '5a1c93e0f7b24d68',
    notBefore: new Date(now - 30 * DAY),
    notAfter: new Date(now + 335 * DAY),
    issuerCommonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)',
    subjectDn: 'CN=САДЫҚОВА АЙГЕРІМ,SERIALNUMBER=IIN900625400121,C=KZ',
    issuerDn: 'CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA),C=KZ',
    algorithmName: 'RSA 2048',
    keyAlgorithmOid: '1.2.840.113549.1.1.1',
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'],
    policies: ['1.2.398.3.3.2.4'],
    purpose: 'auth',
    holder: 'individual',
    ...overrides,
  };
}

/** Keys that cannot log in, one of each kind the element explains. */
export const REFUSED_KEYS: CertificateInfo[] = [
  certificate({
    serialNumber: '01',
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - 35 * DAY),
  }),
  certificate({
    serialNumber: '02',
    notBefore: new Date(Date.now() + 3 * DAY),
    notAfter: new Date(Date.now() + 368 * DAY),
  }),
  certificate({ serialNumber: '03', purpose: 'sign' }),
  certificate({
    serialNumber: '04',
    iin: undefined,
    holder: 'system',
    fullName: 'ПОРТАЛ ИНФОРМАЦИЯЛЫҚ ЖҮЙЕСІ',
  }),
];

/** Keys that log in, but with something to know first. */
export const WARNED_KEYS: CertificateInfo[] = [
  certificate({
    serialNumber: '05',
    notAfter: new Date(Date.now() + 9 * DAY),
  }),
  certificate({
    serialNumber: '06',
    holder: 'legal-entity',
    bin: '120340012345',
    organisation: '«БАЛАПАН» ЖШС',
  }),
];

/**
 * A loader that lists `keys` for the story password, or fails with `fails`
 * whatever the password; `never` leaves it opening forever.
 */
export function fakeKeyFile(
  keys: CertificateInfo[] = [certificate()],
  fails: KeyFileErrorCode | 'never' | null = null,
): KeyRingLoader {
  return async (_file, password) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (fails === 'never') return new Promise(() => undefined);
    if (fails) throw new KeyFileError(fails, `${fails} (story)`);
    if (password !== STORY_PASSWORD) {
      throw new KeyFileError('WRONG_PASSWORD', 'MAC check failed (story)');
    }
    const choices: LoginKeyChoice[] = keys.map((info, i) => ({
      id: `key-${i}`,
      info,
    }));
    return {
      choices,
      // Base64 of "story signature"; the mocked backend does not read it.
      sign: async () => 'c3Rvcnkgc2lnbmF0dXJl',
      dispose: () => undefined,
    };
  };
}
