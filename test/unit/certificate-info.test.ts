import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeCertificate } from '../../src/crypto/certificate-info.js';
import { certificateBytes } from '../../src/crypto/pem.js';
import type { CertificateInfo } from '../../src/crypto/types.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { KeyFileError } from '../../src/crypto/types.js';
import {
  generateRsaKey,
  issueCertificate,
  type NameEntry,
} from '../../server/pki/certificates.js';

const PKI = fileURLToPath(new URL('../../../shared/nca-test-pki/', import.meta.url));
const noPki = existsSync(PKI)
  ? false
  : `NCA test material not found at ${PKI}`;

const read = (name: string) =>
  certificateBytes(new Uint8Array(readFileSync(PKI + name)));

/** The fields a test states, compared one by one for a clear diff. */
function assertFields(info: CertificateInfo, expected: Partial<CertificateInfo>) {
  const picked = Object.fromEntries(
    Object.keys(expected).map((k) => [k, info[k as keyof CertificateInfo]]),
  );
  assert.deepEqual(picked, expected);
}

const TEST_PERSON = {
  commonName: 'ТЕСТОВ ТЕСТ',
  surname: 'ТЕСТОВ',
  patronymic: 'ТЕСТОВИЧ',
  fullName: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
  iin: '123456789011',
  holder: 'individual' as const,
  subjectDn:
    'CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN123456789011, C=KZ, ' +
    'GIVENNAME=ТЕСТОВИЧ',
};

describe('describeCertificate on NCA test certificates', { skip: noPki }, () => {
  it('reads the RSA test CA (PEM file) with its Kazakh name', () => {
    const info = describeCertificate(read('nca_rsa_test.crt'));
    assertFields(info, {
      commonName: 'ҰКО 3.0 (RSA TEST)',
      fullName: 'ҰКО 3.0 (RSA TEST)',
      issuerCommonName: 'НЕГІЗГІ КО TEST (RSA)',
      subjectDn: 'C=KZ, CN=ҰКО 3.0 (RSA TEST)',
      serialNumber: '452a6437611c183fbf1ec5a1ba4920dd72148a9b',
      algorithmName: 'RSA 4096',
      keyUsage: ['keyCertSign', 'cRLSign'],
      extendedKeyUsage: [],
      purpose: 'unknown',
      holder: 'system',
    });
    assert.equal(info.notBefore.toISOString(), '2019-03-15T03:42:17.000Z');
    assert.equal(info.notAfter.toISOString(), '2024-03-13T03:42:17.000Z');
    assert.equal(info.iin, undefined);
  });

  it('names the GOST 34.310-2004 test CA', () => {
    assertFields(describeCertificate(read('nca_gost2004_test.crt')), {
      commonName: 'ҰКО 3.0 (GOST TEST)',
      algorithmName: 'ГОСТ 34.310-2004',
      keyAlgorithmOid: '1.2.398.3.10.1.1.1.1',
    });
  });

  it('reads the GOST 2015 root and issuing CA of 2022', () => {
    const root = describeCertificate(read('root_gost_2022_test.cer'));
    const issuing = describeCertificate(read('nca_gost_2022_test.cer'));
    assertFields(root, {
      commonName: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      issuerCommonName: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      algorithmName: 'ГОСТ 34.10-2015 512',
      holder: 'system',
    });
    assertFields(issuing, {
      commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      issuerCommonName: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      algorithmName: 'ГОСТ 34.10-2015 512',
      policies: ['1.2.398.3.3.2'],
    });
    assert.equal(issuing.notAfter.toISOString(), '2032-07-04T09:55:23.000Z');
  });

  it('reads an individual RSA AUTH certificate completely', () => {
    const info = describeCertificate(read('rsa_individual_auth_2022.cer'));
    assert.deepEqual(info, {
      ...TEST_PERSON,
      serialNumber: '247c3fda89fa641ea226987393cdaf3f5baf24b3',
      notBefore: new Date('2022-01-18T04:38:49Z'),
      notAfter: new Date('2023-01-18T04:38:49Z'),
      issuerCommonName: 'ҰКО 3.0 (RSA TEST)',
      issuerDn: 'C=KZ, CN=ҰКО 3.0 (RSA TEST)',
      algorithmName: 'RSA 2048',
      keyAlgorithmOid: '1.2.840.113549.1.1.1',
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.1'],
      policies: ['1.2.398.3.3.2.4'],
      purpose: 'auth',
    });
  });

  it('reads the signer certificates inside the Kalkan CMS files', () => {
    const seen: string[] = [];
    for (const file of [
      'cms_attached_rsa.der',
      'cms_attached_gost2015_and_rsa.der',
      'cms_detached_two_signers.der',
    ]) {
      const bytes = new Uint8Array(readFileSync(PKI + file));
      const info = new pkijs.ContentInfo({
        schema: asn1js.fromBER(bytes).result,
      });
      const signed = new pkijs.SignedData({ schema: info.content });
      for (const cert of signed.certificates ?? []) {
        assert.ok(cert instanceof pkijs.Certificate);
        const der = new Uint8Array(cert.toSchema().toBER());
        const described = describeCertificate(der);
        assert.equal(described.holder, 'individual');
        assert.match(described.commonName, /^ТЕСТТ?ОВ ТЕСТТ?$/);
        assert.match(described.iin ?? '', /^12345678901[12]$/);
        seen.push(`${described.algorithmName} ${described.purpose}`);
      }
    }
    assert.ok(seen.includes('RSA 2048 sign'), seen.join());
    assert.ok(seen.includes('ГОСТ 34.10-2015 512 both'), seen.join());
  });
});

describe('describeCertificate on the certificates inside NCA key files', { skip: noPki }, () => {
  const files: Array<[string, string, Partial<CertificateInfo>]> = [
    [
      'rsa_individual_auth_revoked_2022.p12',
      'Qwerty12',
      { ...TEST_PERSON, algorithmName: 'RSA 2048', purpose: 'auth' },
    ],
    [
      'rsa_individual_sign_2021.p12',
      'Qwerty12',
      {
        ...TEST_PERSON,
        algorithmName: 'RSA 2048',
        purpose: 'sign',
        keyUsage: ['digitalSignature', 'nonRepudiation'],
        policies: ['1.2.398.3.3.2.3'],
      },
    ],
    [
      'gost2015_individual_valid.p12',
      'Qwerty12',
      {
        ...TEST_PERSON,
        algorithmName: 'ГОСТ 34.10-2015 512',
        purpose: 'both',
        issuerCommonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'],
        policies: ['1.2.398.3.3.2'],
      },
    ],
    [
      'gost2015_individual_2022.p12',
      'Aa123456',
      {
        commonName: 'ТЕСТТОВ ТЕСТТ',
        fullName: 'ТЕСТТОВ ТЕСТТ ТЕСТТОВИЧ',
        iin: '123456789012',
        algorithmName: 'ГОСТ 34.10-2015 512',
        purpose: 'both',
      },
    ],
  ];
  for (const [file, password, expected] of files) {
    it(`reads ${file}`, async () => {
      const opened = await openKeyFile(
        new Uint8Array(readFileSync(PKI + file)),
        password,
      );
      assert.equal(opened.keys.length, 1);
      assertFields(describeCertificate(opened.keys[0]!.certificate), expected);
    });
  }
});

describe('describeCertificate on made certificates', () => {
  async function certificate(
    subject: NameEntry[],
    extendedKeyUsage: string[],
    keyUsage: Array<'digitalSignature' | 'nonRepudiation' | 'keyEncipherment'>,
  ) {
    const key = await generateRsaKey(1024);
    return describeCertificate(
      await issueCertificate({
        subject,
        publicKeyInfo: key.publicKeyInfo,
        selfSignKey: key.privateKey,
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2027-01-01T00:00:00Z'),
        keyUsage,
        extendedKeyUsage,
      }),
    );
  }

  it('reads an employee of a legal entity: O, OU=BIN, role EKU', async () => {
    const info = await certificate(
      [
        ['2.5.4.3', 'ЖАНДОСОВ ЕРЛАН'],
        ['2.5.4.5', 'IIN850115300011'],
        ['2.5.4.6', 'KZ'],
        ['2.5.4.10', 'ЖШС "ҚАЗАҚ ӘЛІППЕСІ"'],
        ['2.5.4.11', 'BIN040540001230'],
      ],
      ['1.3.6.1.5.5.7.3.2', '1.2.398.3.3.4.1.2.5'],
      ['digitalSignature', 'keyEncipherment'],
    );
    assertFields(info, {
      organisation: 'ЖШС "ҚАЗАҚ ӘЛІППЕСІ"',
      bin: '040540001230',
      iin: '850115300011',
      holder: 'legal-entity',
      purpose: 'auth',
      fullName: 'ЖАНДОСОВ ЕРЛАН',
      algorithmName: 'RSA 1024',
    });
  });

  it('decodes BMPString and PrintableString names, every Kazakh letter', async () => {
    const letters = 'ӘҒҚҢӨҰҮҺІ әғқңөұүһі';
    const info = await certificate(
      [
        ['2.5.4.3', letters, 'bmp'],
        ['2.5.4.42', 'Plain Latin', 'printable'],
        ['2.5.4.5', 'IIN900625400121'],
      ],
      ['1.3.6.1.5.5.7.3.4'],
      ['digitalSignature', 'nonRepudiation'],
    );
    assertFields(info, {
      commonName: letters,
      patronymic: 'Plain Latin',
      fullName: `${letters} Plain Latin`,
      purpose: 'sign',
      holder: 'individual',
    });
  });

  it('calls a certificate without IIN or BIN a system one', async () => {
    const info = await certificate(
      [['2.5.4.3', 'portal.example.kz'], ['0.9.2342.19200300.100.1.1', 'sys-1']],
      [],
      ['digitalSignature'],
    );
    assertFields(info, { holder: 'system', purpose: 'unknown' });
    assert.equal(info.subjectDn, 'CN=portal.example.kz, UID=sys-1');
  });

  it('throws on bytes that are not a certificate', () => {
    assert.throws(() => describeCertificate(Uint8Array.of(1, 2, 3)));
    assert.throws(() => describeCertificate(Uint8Array.of(0x30, 0x03, 2, 1, 1)));
  });
});

describe('describeCertificate on damaged certificates', { skip: noPki }, () => {
  // A key file's certificate is user input: damage must come out as the
  // typed CORRUPT_FILE the page explains, not as a parser's own error.
  const isCorrupt = (error: unknown) =>
    error instanceof KeyFileError && error.code === 'CORRUPT_FILE';

  it('calls every truncation of a certificate CORRUPT_FILE', () => {
    const der = read('rsa_individual_auth_2022.cer');
    for (let length = 0; length < der.length; length += 7) {
      const cut = der.subarray(0, length);
      assert.throws(() => describeCertificate(cut), isCorrupt);
    }
  });

  it('calls a certificate with a field of the wrong type CORRUPT_FILE', () => {
    const der = read('rsa_individual_auth_2022.cer');
    // The validity's first time (UTCTime, tag 0x17) made an INTEGER.
    const at = Buffer.from(der).indexOf(Buffer.from('170d', 'hex'));
    const damaged = der.slice();
    damaged[at] = 0x02;
    assert.throws(() => describeCertificate(damaged), isCorrupt);
  });
});
