/**
 * signCms with NCA's own test keys: the output must verify with the
 * server's pkijs-based verifier (and, for RSA, with OpenSSL), and must be
 * the same bytes the pkijs-era signer wrote. RSA PKCS#1 v1.5 is
 * deterministic, so the whole CMS is compared; a GOST signature takes a
 * random k, so everything but its last 128 bytes (the signature value,
 * which ends the DER) is compared.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signCms } from '../../src/crypto/cms-sign.js';
import { checkCmsSignature } from '../../src/crypto/cms-verify.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { noOpenssl, opensslCmsContent } from '../support/openssl-cms.js';

const PKI = fileURLToPath(
  new URL('../../../shared/nca-test-pki/', import.meta.url),
);
const noPki = existsSync(PKI)
  ? false
  : `NCA test material not found at ${PKI}`;

const CONTENT = new TextEncoder().encode('test123');
const SIGNING_TIME = new Date('2026-12-03T12:00:00Z');

const sha256 = (bytes: Uint8Array) =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * SHA-256 of what the pkijs-era signer wrote for CONTENT at SIGNING_TIME:
 * of the whole CMS for RSA, of all but the signature value for GOST.
 */
const KEYS = [
  {
    file: 'rsa_individual_auth_revoked_2022.p12',
    password: 'Qwerty12',
    gost: false,
    sha256:
      '724831ebe11b0bb466505096cf287c74d4b11a0f8d3ebf50ce9e998312680e32',
  },
  {
    file: 'rsa_individual_sign_2021.p12',
    password: 'Qwerty12',
    gost: false,
    sha256:
      '6348bf6221361496931b3841901bb9b0a58480c38d199fae3dfef5edf7ac7091',
  },
  {
    file: 'gost2015_individual_valid.p12',
    password: 'Qwerty12',
    gost: true,
    sha256:
      '32f56d37d69093e8353941795487cf89f0f84ef328f440303ec208be3e767757',
  },
  {
    file: 'gost2015_individual_2022.p12',
    password: 'Aa123456',
    gost: true,
    sha256:
      'ff02e5a4b8f644d89f4361e60a5491bf96adae06c3a0ad02e8ba2c42a057606d',
  },
];

async function signWith(file: string, password: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(readFileSync(PKI + file));
  const { keys } = await openKeyFile(bytes, password);
  assert.equal(keys.length, 1);
  return signCms(CONTENT, keys[0]!, { signingTime: SIGNING_TIME });
}

describe('signCms with NCA test keys', { skip: noPki }, () => {
  for (const key of KEYS) {
    it(`signs with ${key.file} as before; the verifier agrees`, async () => {
      const der = await signWith(key.file, key.password);
      const compared = key.gost ? der.subarray(0, der.length - 128) : der;
      assert.equal(sha256(compared), key.sha256);
      assert.equal(await checkCmsSignature(der), true);
    });
  }

  for (const key of KEYS.filter((k) => !k.gost)) {
    it(`signs with ${key.file} so that OpenSSL verifies it`, {
      skip: noOpenssl,
    }, async () => {
      const der = await signWith(key.file, key.password);
      assert.deepEqual(opensslCmsContent(der), CONTENT);
    });
  }
});
