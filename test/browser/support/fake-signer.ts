/**
 * A stand-in for src/crypto/key-file-signer.ts, injected through
 * `<eds-login>.keyRingLoader`, so the element's tests need neither pkijs nor
 * a real key file. It checks the password and signs in the fake backend's
 * readable format.
 */
import type {
  KeyRingLoader,
  LoginKeyChoice,
} from '../../../src/components/eds-login.js';
import {
  KeyFileError,
  type CertificateInfo,
  type KeyFileErrorCode,
} from '../../../src/crypto/types.js';
import { fakeSignature } from './fake-backend.js';

export const PASSWORD = 'Qwerty12';

/** A certificate as the key list shows it; override what a test needs. */
export function certificate(
  overrides: Partial<CertificateInfo> = {},
): CertificateInfo {
  return {
    commonName: 'ТЕСТОВ ТЕСТ',
    surname: 'ТЕСТОВ',
    patronymic: 'ТЕСТОВИЧ',
    iin: '850115300011',
    fullName: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
    serialNumber: '3c7a1f0e5d2b9a4c',
    // 13:00 in Almaty, where the elements show dates, whatever the
    // machine's time zone.
    notBefore: new Date('2025-10-20T13:00:00+05:00'),
    notAfter: new Date('2035-10-20T13:00:00+05:00'),
    issuerCommonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)',
    subjectDn: 'CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN850115300011',
    issuerDn: 'CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA),C=KZ',
    algorithmName: 'RSA 2048',
    keyAlgorithmOid: '1.2.840.113549.1.1.1',
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.1'],
    policies: ['1.2.398.3.3.2.4'],
    purpose: 'auth',
    holder: 'individual',
    ...overrides,
  };
}

export class FakeKeyFile {
  choices: LoginKeyChoice[] = [{ id: 'auth', info: certificate() }];
  /** Make opening fail with this code whatever the password. */
  failWith: KeyFileErrorCode | null = null;
  readonly opened: { bytes: Uint8Array; password: string }[] = [];
  readonly signed: { id: string; content: Uint8Array }[] = [];
  disposed = 0;

  readonly loader: KeyRingLoader = async (bytes, password) => {
    this.opened.push({ bytes, password });
    if (this.failWith) throw new KeyFileError(this.failWith, 'fake');
    if (password !== PASSWORD) {
      throw new KeyFileError('WRONG_PASSWORD', 'MAC check failed');
    }
    let live = true;
    return {
      choices: this.choices,
      sign: async (id, content) => {
        if (!live) throw new Error('key ring disposed');
        this.signed.push({ id, content });
        return fakeSignature(id, content);
      },
      dispose: () => {
        live = false;
        this.disposed += 1;
      },
    };
  };
}
