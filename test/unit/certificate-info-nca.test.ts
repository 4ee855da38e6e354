/**
 * describeCertificate on every certificate in NCA's test material: the
 * certificate files, the certificates inside the key files and those
 * inside Kalkan's CMS files. Two independent references:
 *
 * - fixtures/nca-certificate-info.json, written by the pkijs-based reader
 *   this library had before the page's reader moved to plain asn1js, so a
 *   change in what a person sees for any NCA certificate shows up here;
 * - a reading of the same certificates through pkijs's own classes, field
 *   by field, so the fixture itself is checked against another parser.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeCertificate } from '../../src/crypto/certificate-info.js';
import { cmsCertificates } from '../../src/crypto/cms-certificates.js';
import {
  bufferSource,
  certificateBytes,
  toHex,
} from '../../src/crypto/pem.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import type { CertificateInfo } from '../../src/crypto/types.js';
import { noOpenssl } from '../support/openssl-cms.js';

const PKI = fileURLToPath(
  new URL('../../../shared/nca-test-pki/', import.meta.url),
);
const noPki = existsSync(PKI)
  ? false
  : `NCA test material not found at ${PKI}`;

const EXPECTED = JSON.parse(
  readFileSync(
    new URL('./fixtures/nca-certificate-info.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

/** Passwords from the README of the test material. */
const PASSWORDS: Record<string, string> = {
  'gost2015_individual_2022.p12': 'Aa123456',
};

/** Files that hold certificates, by their names; CRLs and JSON do not. */
const holdsCertificates = (file: string) =>
  /\.(cer|crt|p12)$/.test(file) || /^cms_.*\.der$/.test(file);

/** Every certificate of a file in the folder, by kind of file. */
async function certificatesOf(file: string): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(readFileSync(PKI + file));
  if (file.endsWith('.p12')) {
    const opened = await openKeyFile(bytes, PASSWORDS[file] ?? 'Qwerty12');
    return opened.certificates;
  }
  if (file.startsWith('cms_')) return cmsCertificates(bytes);
  return [certificateBytes(bytes)];
}

/** What JSON makes of the info: dates as ISO text, no undefined keys. */
const asJson = (info: CertificateInfo) => JSON.parse(JSON.stringify(info));

/** keyUsage bit names in bit order (RFC 5280 4.2.1.3). */
const KEY_USAGE_BITS = ('digitalSignature nonRepudiation keyEncipherment ' +
  'dataEncipherment keyAgreement keyCertSign cRLSign encipherOnly ' +
  'decipherOnly').split(' ');

/** The raw fields of CertificateInfo as pkijs's own classes read them. */
function readWithPkijs(der: Uint8Array) {
  const cert = pkijs.Certificate.fromBER(bufferSource(der));
  const attributes = (name: pkijs.RelativeDistinguishedNames) =>
    name.typesAndValues.map((tv) => ({
      oid: tv.type,
      value: String(tv.value.valueBlock.value),
    }));
  const extension = (oid: string) =>
    cert.extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const keyUsage = extension('2.5.29.15') as asn1js.BitString | undefined;
  const usageBytes = keyUsage?.valueBlock.valueHexView ?? new Uint8Array();
  const eku = extension('2.5.29.37') as pkijs.ExtKeyUsage | undefined;
  const policies = extension('2.5.29.32') as
    | pkijs.CertificatePolicies
    | undefined;
  return {
    subject: attributes(cert.subject),
    issuer: attributes(cert.issuer),
    serialNumber: toHex(cert.serialNumber.valueBlock.valueHexView).replace(
      /^(?:00)+(?=..)/,
      '',
    ),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    keyAlgorithmOid: cert.subjectPublicKeyInfo.algorithm.algorithmId,
    keyUsage: KEY_USAGE_BITS.filter(
      (_, bit) => (usageBytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7)),
    ),
    extendedKeyUsage: eku?.keyPurposes ?? [],
    policies: (policies?.certificatePolicies ?? []).map(
      (p) => p.policyIdentifier,
    ),
  };
}

const ALL_MATERIAL = 'describeCertificate on all of NCA test material';

describe(ALL_MATERIAL, { skip: noPki }, () => {
  const files = existsSync(PKI)
    ? readdirSync(PKI).filter(holdsCertificates).sort()
    : [];

  it('has an expected reading for every file that holds certificates', () => {
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`reads ${file} as the pkijs-based reader did`, async () => {
      const certificates = await certificatesOf(file);
      const expected = EXPECTED[file];
      const infos = certificates.map((c) => asJson(describeCertificate(c)));
      assert.deepEqual(
        infos,
        Array.isArray(expected) ? expected : [expected],
      );
    });

    it(`agrees with pkijs's own classes on ${file}`, async () => {
      for (const der of await certificatesOf(file)) {
        const info = describeCertificate(der);
        const ref = readWithPkijs(der);
        const text = (attrs: { oid: string; value: string }[], oid: string) =>
          attrs.find((a) => a.oid === oid)?.value;
        assert.equal(info.commonName, text(ref.subject, '2.5.4.3') ?? '');
        assert.equal(info.issuerCommonName, text(ref.issuer, '2.5.4.3') ?? '');
        assert.equal(info.surname, text(ref.subject, '2.5.4.4'));
        assert.equal(info.patronymic, text(ref.subject, '2.5.4.42'));
        assert.equal(
          info.iin,
          /^IIN(\d{12})$/.exec(text(ref.subject, '2.5.4.5') ?? '')?.[1],
        );
        assert.equal(
          info.subjectDn.split(', ').length,
          ref.subject.length,
          info.subjectDn,
        );
        assert.equal(info.serialNumber, ref.serialNumber);
        assert.equal(info.notBefore.toISOString(), ref.notBefore);
        assert.equal(info.notAfter.toISOString(), ref.notAfter);
        assert.equal(info.keyAlgorithmOid, ref.keyAlgorithmOid);
        assert.deepEqual(info.keyUsage, ref.keyUsage);
        assert.deepEqual(info.extendedKeyUsage, ref.extendedKeyUsage);
        assert.deepEqual(info.policies, ref.policies);
      }
    });

    it(`prints the serial of ${file} as OpenSSL does`, {
      skip: noOpenssl,
    }, async () => {
      for (const der of await certificatesOf(file)) {
        const printed = spawnSync(
          'openssl',
          ['x509', '-inform', 'DER', '-noout', '-serial'],
          { input: der },
        );
        assert.equal(printed.status, 0, String(printed.stderr));
        const serial = /serial=([0-9A-F]+)/.exec(String(printed.stdout))?.[1];
        assert.equal(
          describeCertificate(der).serialNumber,
          serial?.toLowerCase(),
        );
      }
    });
  }
});
