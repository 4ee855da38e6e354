/**
 * The key-file reader and writer against NCA's real files, OpenSSL's
 * flavours (made at run time with the openssl CLI) and broken input.
 */
import * as asn1js from 'asn1js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { toHex } from '../../src/crypto/bytes.js';
import {
  algorithmId,
  explicit,
  octets,
  oid,
  parseBer,
  sequence,
  smallInt,
} from '../../src/crypto/pkcs12-asn1.js';
import { resolveScheme, passwordForms } from '../../src/crypto/pkcs12-pbe.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { writeNcaKeyFile } from '../../src/crypto/pkcs12-writer.js';
import {
  KeyFileError,
  type KeyFileErrorCode,
  type OpenedKeyFile,
} from '../../src/crypto/types.js';

const PKI_DIR = fileURLToPath(
  new URL('../../../shared/nca-test-pki/', import.meta.url),
);
const HAS_PKI = existsSync(join(PKI_DIR, 'README.md'));
const NO_PKI = `${PKI_DIR} is absent (NCA test files are not in this repo)`;
const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const NO_OPENSSL = 'the openssl CLI is not installed';

const RSA = '1.2.840.113549.1.1.1';
const GOST_2015 = '1.2.398.3.10.1.1.2.2';

const NCA_FILES = [
  { file: 'rsa_individual_auth_revoked_2022.p12', password: 'Qwerty12', iin: '123456789011', rsa: true },
  { file: 'rsa_individual_sign_2021.p12', password: 'Qwerty12', iin: '123456789011', rsa: true },
  { file: 'gost2015_individual_valid.p12', password: 'Qwerty12', iin: '123456789011', rsa: false },
  { file: 'gost2015_individual_2022.p12', password: 'Aa123456', iin: '123456789012', rsa: false },
];

function readPki(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(PKI_DIR, name)));
}

/** Awaits a rejection and checks it is a KeyFileError with one of `codes`. */
async function rejectsWith(
  promise: Promise<unknown>,
  codes: KeyFileErrorCode | KeyFileErrorCode[],
  detail?: string,
): Promise<KeyFileError> {
  const allowed = Array.isArray(codes) ? codes : [codes];
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof KeyFileError, `not a KeyFileError: ${caught}`);
  assert.ok(
    allowed.includes(caught.code),
    `code ${caught.code} (${caught.message}) is not ${allowed.join('/')}`,
  );
  if (detail !== undefined) assert.equal(caught.detail, detail);
  assert.ok(caught.message.length > 10, 'message should say what happened');
  return caught;
}

/** Signs with the opened RSA key and verifies with its certificate. */
async function assertRsaKeySigns(opened: OpenedKeyFile): Promise<void> {
  const [entry] = opened.keys;
  const subtle = globalThis.crypto.subtle;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await subtle.importKey(
    'pkcs8',
    new Uint8Array(entry!.privateKeyInfo),
    algorithm,
    false,
    ['sign'],
  );
  const spki = new X509Certificate(entry!.certificate).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  const publicKey = await subtle.importKey('spki', spki, algorithm, false, [
    'verify',
  ]);
  const data = new TextEncoder().encode('Qoltanba login nonce 42');
  const signature = await subtle.sign(algorithm, privateKey, data);
  assert.ok(await subtle.verify(algorithm, publicKey, signature, data));
  data[0]! ^= 1;
  assert.ok(!(await subtle.verify(algorithm, publicKey, signature, data)));
}

describe('NCA key files', () => {
  for (const { file, password, iin, rsa } of NCA_FILES) {
    test(`opens ${file}`, async (t) => {
      if (!HAS_PKI) return t.skip(NO_PKI);
      const opened = await openKeyFile(readPki(file), password);
      assert.equal(opened.keys.length, 1);
      assert.equal(opened.certificates.length, 1);
      const [entry] = opened.keys;
      assert.deepEqual(entry!.certificate, opened.certificates[0]);
      const subject = new X509Certificate(entry!.certificate).subject;
      assert.match(subject, new RegExp(`serialNumber=IIN${iin}(\\n|$)`));
      // NCA puts the subject key identifier, in hex, in both attributes.
      assert.match(entry!.localKeyId ?? '', /^[0-9a-f]{40}$/);
      assert.equal(entry!.friendlyName, entry!.localKeyId);
      if (rsa) {
        assert.equal(entry!.keyAlgorithmOid, RSA);
        await assertRsaKeySigns(opened);
      } else {
        assert.equal(entry!.keyAlgorithmOid, GOST_2015);
        // domain.md §3: privateKey OCTET STRING wraps an OCTET STRING of
        // 64 bytes (d, little-endian).
        const [, , keyNode] = sequence(
          parseBer(entry!.privateKeyInfo, 'PKCS#8'),
          'PKCS#8',
        );
        const inner = octets(parseBer(octets(keyNode, 'key'), 'd'), 'd');
        assert.equal(inner.length, 64);
      }
    });
  }

  test('accepts a Node Buffer as input', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    const buffer = readFileSync(join(PKI_DIR, NCA_FILES[0]!.file));
    const opened = await openKeyFile(buffer, 'Qwerty12');
    assert.equal(opened.keys.length, 1);
  });

  test('wrong passwords give WRONG_PASSWORD', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    for (const { file, password } of NCA_FILES) {
      const bytes = readPki(file);
      await rejectsWith(openKeyFile(bytes, password + 'x'), 'WRONG_PASSWORD');
      await rejectsWith(openKeyFile(bytes, ''), 'WRONG_PASSWORD');
      await rejectsWith(openKeyFile(bytes, 'qwerty12'), 'WRONG_PASSWORD');
    }
  });

  test('a file cut short is CORRUPT_FILE or NOT_A_KEY_FILE, never more', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    for (const { file, password } of NCA_FILES) {
      const bytes = readPki(file);
      const cuts = [1, 2, 5, 6, 7, 10, 30, 64, 500, bytes.length >> 1];
      cuts.push(bytes.length - 62, bytes.length - 20, bytes.length - 1);
      for (const cut of cuts) {
        const error = await rejectsWith(
          openKeyFile(bytes.subarray(0, cut), password),
          ['CORRUPT_FILE', 'NOT_A_KEY_FILE'],
        );
        // Once the PFX header is there, the file is recognised.
        if (cut >= 7) assert.equal(error.code, 'CORRUPT_FILE', `cut ${cut}`);
      }
    }
  });

  test('a damaged byte inside is caught (by the MAC)', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    const bytes = readPki(NCA_FILES[0]!.file);
    const damaged = bytes.slice();
    damaged[1500]! ^= 0x40;
    // The MAC cannot tell damage from a wrong password; both say so.
    await rejectsWith(openKeyFile(damaged, 'Qwerty12'), [
      'WRONG_PASSWORD',
      'CORRUPT_FILE',
    ]);
  });

  test('files that are not key files give NOT_A_KEY_FILE', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    for (const name of [
      'rsa_individual_auth_2022.cer',
      'root_gost_2022_test.cer',
      'nca_rsa_test.crt',
      'nca_rsa_test.crl',
      'cms_attached_rsa.der',
      'README.md',
      'ncalayer_recorded_sessions.json',
    ]) {
      await rejectsWith(openKeyFile(readPki(name), 'Qwerty12'), 'NOT_A_KEY_FILE');
    }
  });

  test('opening takes well under 300 ms', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    for (const { file, password } of [NCA_FILES[0]!, NCA_FILES[2]!]) {
      const bytes = readPki(file);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await openKeyFile(bytes, password);
        times.push(performance.now() - start);
      }
      t.diagnostic(
        `${file}: first ${times[0]!.toFixed(1)} ms, then ` +
          times.slice(1).map((ms) => ms.toFixed(1)).join(', ') + ' ms',
      );
      // Generous for slow CI; typical is 10-30 ms.
      assert.ok(Math.min(...times) < 300);
    }
  });
});

describe('input that is not a key file', () => {
  test('empty, random, text, PDF, PEM', async () => {
    const inputs: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array(randomBytes(3000)),
      new TextEncoder().encode('just some text, not a key\n'),
      new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
      new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB\n'),
      new Uint8Array([0x30]),
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x02]),
    ];
    for (const input of inputs) {
      await rejectsWith(openKeyFile(input, 'x'), 'NOT_A_KEY_FILE');
    }
  });

  test('a PFX header followed by junk is CORRUPT_FILE', async () => {
    const junk = new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x05, 1]);
    await rejectsWith(openKeyFile(junk, 'x'), 'CORRUPT_FILE');
    const wrongShape = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x03, 0x05, 0x01, 0x00]);
    await rejectsWith(openKeyFile(wrongShape, 'x'), 'CORRUPT_FILE');
  });
});

/** Runs openssl in `dir`; throws with its stderr when it fails. */
function openssl(dir: string, args: string[], input?: string): Buffer {
  const run = spawnSync('openssl', args, { cwd: dir, input });
  if (run.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  }
  return run.stdout;
}

describe('OpenSSL-made key files', () => {
  let dir = '';
  let leafDer: Uint8Array;
  let caDer: Uint8Array;
  let leafPkcs8: Uint8Array;
  let ecLeafDer: Uint8Array;
  let ecPkcs8: Uint8Array;

  before(() => {
    if (!HAS_OPENSSL) return;
    dir = mkdtempSync(join(tmpdir(), 'qoltanba-p12-'));
    writeFileSync(
      join(dir, 'leaf.cnf'),
      'subjectKeyIdentifier=hash\nbasicConstraints=CA:FALSE\n' +
        'keyUsage=digitalSignature,keyEncipherment\n',
    );
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
      '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '30']);
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key',
      '-out', 'leaf.csr', '-utf8', '-subj',
      '/CN=ТЕСТОВ ТЕСТ/serialNumber=IIN850115300011/C=KZ']);
    openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.cnf']);
    openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'ec.key', '-out', 'ec.csr', '-subj', '/CN=EC TEST']);
    openssl(dir, ['x509', '-req', '-in', 'ec.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-out', 'ec.pem', '-days', '30', '-extfile', 'leaf.cnf']);
    const der = (args: string[]) => new Uint8Array(openssl(dir, args));
    leafDer = der(['x509', '-in', 'leaf.pem', '-outform', 'DER']);
    caDer = der(['x509', '-in', 'ca.pem', '-outform', 'DER']);
    ecLeafDer = der(['x509', '-in', 'ec.pem', '-outform', 'DER']);
    leafPkcs8 = der(['pkcs8', '-topk8', '-nocrypt', '-in', 'leaf.key', '-outform', 'DER']);
    ecPkcs8 = der(['pkcs8', '-topk8', '-nocrypt', '-in', 'ec.key', '-outform', 'DER']);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let counter = 0;
  /** Exports leaf (or EC leaf) + CA with `flags`; returns the file. */
  function exportP12(flags: string[], password: string, ec = false): Uint8Array {
    const out = `f${counter++}.p12`;
    openssl(dir, [
      'pkcs12', '-export',
      '-inkey', ec ? 'ec.key' : 'leaf.key',
      '-in', ec ? 'ec.pem' : 'leaf.pem',
      '-certfile', 'ca.pem',
      '-name', 'Менің кілтім',
      '-out', out,
      '-passout', `pass:${password}`,
      ...flags,
    ]);
    return new Uint8Array(readFileSync(join(dir, out)));
  }

  const flavours: { name: string; flags: string[]; password: string }[] = [
    { name: 'OpenSSL 3 default (PBES2, AES-256, SHA-256 MAC)', flags: [], password: 'Qwerty12' },
    { name: '-legacy (3DES key, RC2-40 certs, like NCA)', flags: ['-legacy'], password: 'Qwerty12' },
    { name: 'AES-128 for both bags', flags: ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC'], password: 'Qwerty12' },
    { name: 'AES-192 for both bags', flags: ['-keypbe', 'AES-192-CBC', '-certpbe', 'AES-192-CBC'], password: 'Qwerty12' },
    { name: 'PBES2 with DES-EDE3-CBC key bag', flags: ['-keypbe', 'DES-EDE3-CBC'], password: 'Qwerty12' },
    { name: '-nomac', flags: ['-nomac'], password: 'Qwerty12' },
    { name: '-legacy -nomac', flags: ['-legacy', '-nomac'], password: 'Qwerty12' },
    { name: '-certpbe NONE (plain certificate bag)', flags: ['-certpbe', 'NONE'], password: 'Qwerty12' },
    { name: 'no encryption at all, MAC only', flags: ['-keypbe', 'NONE', '-certpbe', 'NONE'], password: 'Qwerty12' },
    { name: 'SHA-512 MAC', flags: ['-macalg', 'sha512'], password: 'Qwerty12' },
    { name: 'SHA-1 MAC over PBES2 bags', flags: ['-macalg', 'sha1'], password: 'Qwerty12' },
    { name: 'pbeWithSHAAnd128BitRC2 certificates', flags: ['-legacy', '-certpbe', 'PBE-SHA1-RC2-128'], password: 'Qwerty12' },
    { name: 'pbeWithSHAAnd2-KeyTripleDES key', flags: ['-legacy', '-keypbe', 'PBE-SHA1-2DES'], password: 'Qwerty12' },
    { name: 'Kazakh password, default', flags: [], password: 'Құпия Сөз 2026' },
    { name: 'Kazakh password, -legacy', flags: ['-legacy'], password: 'Құпия Сөз 2026' },
    { name: 'Russian password, default', flags: [], password: 'Пароль123' },
    { name: 'Russian password, -legacy', flags: ['-legacy'], password: 'Пароль123' },
    { name: 'Russian password, -legacy -nomac', flags: ['-legacy', '-nomac'], password: 'Пароль123' },
    { name: 'empty password, default', flags: [], password: '' },
    { name: 'empty password, -legacy', flags: ['-legacy'], password: '' },
  ];

  for (const { name, flags, password } of flavours) {
    test(name, async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const file = exportP12(flags, password);
      const opened = await openKeyFile(file, password);
      assert.equal(opened.keys.length, 1);
      const [entry] = opened.keys;
      assert.deepEqual(entry!.privateKeyInfo, leafPkcs8);
      assert.deepEqual(entry!.certificate, leafDer);
      assert.equal(opened.certificates.length, 2);
      assert.ok(opened.certificates.some((c) => toHex(c) === toHex(caDer)));
      assert.equal(entry!.keyAlgorithmOid, RSA);
      assert.equal(entry!.friendlyName, 'Менің кілтім');
      // OpenSSL's localKeyID is the SHA-1 of the certificate.
      assert.equal(
        entry!.localKeyId,
        createHash('sha1').update(leafDer).digest('hex'),
      );
      const unencrypted = flags.join(' ') === '-keypbe NONE -certpbe NONE';
      if (!unencrypted) {
        await rejectsWith(openKeyFile(file, password + '1'), 'WRONG_PASSWORD');
      }
    });
  }

  test('EC key (pairs by public key as well as localKeyID)', async (t) => {
    if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
    const opened = await openKeyFile(exportP12([], 'Qwerty12', true), 'Qwerty12');
    assert.deepEqual(opened.keys[0]!.privateKeyInfo, ecPkcs8);
    assert.deepEqual(opened.keys[0]!.certificate, ecLeafDer);
    assert.equal(opened.keys[0]!.keyAlgorithmOid, '1.2.840.10045.2.1');
  });

  test('the RSA key from an OpenSSL file signs', async (t) => {
    if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
    await assertRsaKeySigns(await openKeyFile(exportP12([], 'Пароль123'), 'Пароль123'));
  });

  const unsupported = [
    { flags: ['-legacy', '-keypbe', 'PBE-SHA1-RC4-128'], oid: '1.2.840.113549.1.12.1.1' },
    { flags: ['-legacy', '-keypbe', 'PBE-SHA1-RC4-128', '-nomac'], oid: '1.2.840.113549.1.12.1.1' },
    { flags: ['-legacy', '-certpbe', 'PBE-SHA1-RC4-40'], oid: '1.2.840.113549.1.12.1.2' },
  ];
  for (const { flags, oid: expected } of unsupported) {
    test(`unsupported: ${flags.join(' ')}`, async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const file = exportP12(flags, 'Qwerty12');
      await rejectsWith(openKeyFile(file, 'Qwerty12'), 'UNSUPPORTED_ALGORITHM', expected);
      // Never blamed on the password, whichever password is typed.
      await rejectsWith(openKeyFile(file, 'wrong'), 'UNSUPPORTED_ALGORITHM', expected);
    });
  }

  test('a certificates-only file is NO_KEYS', async (t) => {
    if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
    openssl(dir, ['pkcs12', '-export', '-nokeys', '-in', 'leaf.pem', '-out', 'certs.p12',
      '-passout', 'pass:Qwerty12']);
    const file = new Uint8Array(readFileSync(join(dir, 'certs.p12')));
    await rejectsWith(openKeyFile(file, 'Qwerty12'), 'NO_KEYS');
  });

  // PBES2 and PBE variants that openssl pkcs12 cannot be told to use,
  // made as EncryptedPrivateKeyInfo by openssl pkcs8 and decrypted by the
  // same code the key-file reader uses for shrouded key bags.
  const pkcs8Variants = [
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA1'],
    ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA256'],
    ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512'],
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA384'],
    ['-v2', 'des3'],
    ['-v2', 'des-cbc'],
    ['-v2', 'rc2-cbc'],
    ['-v1', 'PBE-SHA1-3DES'],
    ['-v1', 'PBE-SHA1-2DES'],
    ['-v1', 'PBE-SHA1-RC2-40'],
    ['-v1', 'PBE-SHA1-RC2-128'],
  ];
  for (const variant of pkcs8Variants) {
    test(`EncryptedPrivateKeyInfo ${variant.join(' ')}`, async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const encrypted = encryptedPkcs8(variant, 'Құпия Сөз 2026');
      if (!encrypted) return t.skip('this openssl lacks the legacy provider');
      const [algNode, dataNode] = sequence(parseBer(encrypted, 'EPKI'), 'EPKI');
      const scheme = resolveScheme(algorithmId(algNode, 'alg'));
      const plain = await scheme.decrypt(
        passwordForms('Құпия Сөз 2026'),
        octets(dataNode, 'data'),
      );
      assert.deepEqual(plain, leafPkcs8);
    });
  }

  for (const [variant, expected] of [
    [['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA224'], '1.2.840.113549.2.8'],
    [['-v1', 'PBE-SHA1-RC4-128'], '1.2.840.113549.1.12.1.1'],
    [['-v1', 'PBE-MD5-DES'], '1.2.840.113549.1.5.3'],
  ] as const) {
    test(`unsupported EncryptedPrivateKeyInfo ${variant.join(' ')}`, (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const encrypted = encryptedPkcs8([...variant], 'Qwerty12');
      if (!encrypted) return t.skip('this openssl lacks the legacy provider');
      const [algNode] = sequence(parseBer(encrypted, 'EPKI'), 'EPKI');
      assert.throws(
        () => resolveScheme(algorithmId(algNode, 'alg')),
        (error: unknown) =>
          error instanceof KeyFileError &&
          error.code === 'UNSUPPORTED_ALGORITHM' &&
          error.detail === expected,
      );
    });
  }

  function encryptedPkcs8(variant: string[], password: string) {
    const run = spawnSync(
      'openssl',
      ['pkcs8', '-topk8', '-in', 'leaf.key', '-outform', 'DER',
        '-passout', `pass:${password}`, '-provider', 'legacy', '-provider', 'default',
        ...variant],
      { cwd: dir },
    );
    return run.status === 0 ? new Uint8Array(run.stdout) : undefined;
  }

  describe('pairing without attributes', () => {
    test('RSA key finds its certificate by modulus, CA first', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const opened = await openKeyFile(plainPfx(leafPkcs8, [caDer, ecLeafDer, leafDer]), '');
      assert.equal(opened.keys.length, 1);
      assert.deepEqual(opened.keys[0]!.certificate, leafDer);
      assert.equal(opened.keys[0]!.localKeyId, undefined);
      assert.equal(opened.certificates.length, 3);
    });

    test('EC key finds its certificate by public key', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const opened = await openKeyFile(plainPfx(ecPkcs8, [leafDer, caDer, ecLeafDer]), '');
      assert.deepEqual(opened.keys[0]!.certificate, ecLeafDer);
    });

    test('a key that cannot show its public key takes the one end-entity certificate', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      // Ed25519 PKCS#8 v1 holds only the seed, like NCA's GOST keys.
      const edLeaf = (name: string) => {
        openssl(dir, ['req', '-newkey', 'ed25519', '-nodes', '-keyout', `${name}.key`,
          '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
        openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
          '-CAcreateserial', '-out', `${name}.pem`, '-days', '3', '-extfile', 'leaf.cnf']);
        return {
          pkcs8: new Uint8Array(openssl(dir, ['pkcs8', '-topk8', '-nocrypt', '-in', `${name}.key`, '-outform', 'DER'])),
          cert: new Uint8Array(openssl(dir, ['x509', '-in', `${name}.pem`, '-outform', 'DER'])),
        };
      };
      const ed = edLeaf('ed1');
      const other = edLeaf('ed2');
      // The CA certificate is left alone; the one end-entity certificate
      // of the key's kind is taken.
      const opened = await openKeyFile(plainPfx(ed.pkcs8, [caDer, leafDer, ed.cert]), '');
      assert.deepEqual(opened.keys[0]!.certificate, ed.cert);
      assert.equal(opened.keys[0]!.keyAlgorithmOid, '1.3.101.112');
      // Two candidates: no guessing.
      await rejectsWith(
        openKeyFile(plainPfx(ed.pkcs8, [caDer, other.cert, ed.cert]), ''),
        'NO_KEYS',
      );
    });

    test('no matching certificate, or no key, is NO_KEYS', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      await rejectsWith(openKeyFile(plainPfx(leafPkcs8, [caDer, ecLeafDer]), ''), 'NO_KEYS');
      await rejectsWith(openKeyFile(plainPfx(undefined, [leafDer]), ''), 'NO_KEYS');
      await rejectsWith(openKeyFile(plainPfx(leafPkcs8, []), ''), 'NO_KEYS');
    });
  });

  describe('writer checked by OpenSSL', () => {
    test('openssl -legacy reads a written file with NCA algorithms', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      const password = 'Құпия Сөз 2026';
      const file = await writeNcaKeyFile({
        privateKeyInfo: leafPkcs8,
        certificate: leafDer,
        caCertificates: [caDer],
        password,
      });
      writeFileSync(join(dir, 'written.p12'), file);
      const info = spawnSync(
        'openssl',
        ['pkcs12', '-legacy', '-info', '-nodes', '-in', 'written.p12', '-passin', `pass:${password}`],
        { cwd: dir, encoding: 'utf8' },
      );
      assert.equal(info.status, 0, info.stderr);
      const text = info.stdout + info.stderr;
      assert.match(text, /MAC: sha1, Iteration 1024/);
      assert.match(text, /MAC length: 20, salt length: 20/);
      assert.match(text, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 1024/);
      assert.match(text, /PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 1024/);
      assert.match(text, /BEGIN PRIVATE KEY/);
      // OpenSSL's own copy of the key is the one we put in.
      const keyDer = openssl(dir, ['pkcs12', '-legacy', '-in', 'written.p12', '-nocerts',
        '-nodes', '-passin', `pass:${password}`]);
      const pkcs8 = spawnSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], {
        input: keyDer,
      });
      assert.deepEqual(new Uint8Array(pkcs8.stdout), leafPkcs8);
    });

    test('a certificate without SKI gets SHA-1 of its public key as id', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-signkey', 'leaf.key', '-out',
        'noski.pem', '-days', '3']);
      const cert = new Uint8Array(openssl(dir, ['x509', '-in', 'noski.pem', '-outform', 'DER']));
      assert.ok(!new X509Certificate(cert).toString().includes('Key Identifier'));
      const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
      const [, bits] = sequence(parseBer(new Uint8Array(spki), 'spki'), 'spki');
      const expected = createHash('sha1')
        .update((bits as asn1js.BitString).valueBlock.valueHexView)
        .digest('hex');
      const file = await writeNcaKeyFile({ privateKeyInfo: leafPkcs8, certificate: cert, password: 'Qwerty12' });
      const opened = await openKeyFile(file, 'Qwerty12');
      assert.equal(opened.keys[0]!.localKeyId, expected);
      assert.equal(opened.keys[0]!.friendlyName, expected);
    });

    test('refuses a key that does not belong to the certificate', async (t) => {
      if (!HAS_OPENSSL) return t.skip(NO_OPENSSL);
      await assert.rejects(
        writeNcaKeyFile({ privateKeyInfo: leafPkcs8, certificate: ecLeafDer, password: 'x' }),
        TypeError,
      );
      await assert.rejects(
        writeNcaKeyFile({ privateKeyInfo: new Uint8Array([1, 2, 3]), certificate: leafDer, password: 'x' }),
        TypeError,
      );
    });
  });

  /**
   * A PFX with no MAC and no encryption: one key bag (if any) and the
   * certificates, none with attributes. openssl cannot be told to write
   * this, and it is what pairing by public key is for.
   */
  function plainPfx(pkcs8: Uint8Array | undefined, certs: Uint8Array[]): Uint8Array {
    const ctx0 = (value: asn1js.BaseBlock) =>
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [value] });
    const raw = (bytes: Uint8Array) => asn1js.fromBER(bytes).result;
    const bags: asn1js.BaseBlock[] = [];
    if (pkcs8) {
      bags.push(new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.12.10.1.1' }), ctx0(raw(pkcs8))],
      }));
    }
    for (const cert of certs) {
      bags.push(new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.12.10.1.3' }),
          ctx0(new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.22.1' }),
              ctx0(new asn1js.OctetString({ valueHex: new Uint8Array(cert) })),
            ],
          })),
        ],
      }));
    }
    const data = (bytes: ArrayBuffer) =>
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' }),
          ctx0(new asn1js.OctetString({ valueHex: bytes })),
        ],
      });
    const safe = new asn1js.Sequence({ value: bags }).toBER();
    const authSafe = new asn1js.Sequence({ value: [data(safe)] }).toBER();
    const pfx = new asn1js.Sequence({ value: [new asn1js.Integer({ value: 3 }), data(authSafe)] });
    return new Uint8Array(pfx.toBER());
  }
});

describe('writer', () => {
  test('round trip of NCA keys keeps key, certificate and key id', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    for (const { file, password } of NCA_FILES) {
      const original = (await openKeyFile(readPki(file), password)).keys[0]!;
      const written = await writeNcaKeyFile({
        privateKeyInfo: original.privateKeyInfo,
        certificate: original.certificate,
        password: 'Пароль123',
      });
      const reopened = await openKeyFile(written, 'Пароль123');
      const entry = reopened.keys[0]!;
      assert.deepEqual(entry.privateKeyInfo, original.privateKeyInfo);
      assert.deepEqual(entry.certificate, original.certificate);
      // NCA's key id is the SKI, so the writer must arrive at the same.
      assert.equal(entry.localKeyId, original.localKeyId);
      assert.equal(entry.friendlyName, original.friendlyName);
      assert.equal(entry.keyAlgorithmOid, original.keyAlgorithmOid);
      await rejectsWith(openKeyFile(written, 'Qwerty12'), 'WRONG_PASSWORD');
    }
  });

  test('writes exactly NCA algorithms, iterations and salt sizes', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    const original = (await openKeyFile(readPki(NCA_FILES[0]!.file), 'Qwerty12')).keys[0]!;
    const written = await writeNcaKeyFile({ ...original, password: 'Qwerty12' });
    const facts = describeContainer(written);
    assert.deepEqual(facts, {
      mac: { digest: '1.3.14.3.2.26', saltLength: 20, iterations: 1024 },
      bags: [
        { type: 'data', bag: '1.2.840.113549.1.12.10.1.2', cipher: '1.2.840.113549.1.12.1.3', saltLength: 20, iterations: 1024 },
        { type: 'encryptedData', cipher: '1.2.840.113549.1.12.1.6', saltLength: 20, iterations: 1024 },
      ],
    });
    // And that is what NCA's own file has.
    assert.deepEqual(describeContainer(readPki(NCA_FILES[0]!.file)), facts);
  });

  test('salts are fresh each time', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    const original = (await openKeyFile(readPki(NCA_FILES[0]!.file), 'Qwerty12')).keys[0]!;
    const a = await writeNcaKeyFile({ ...original, password: 'Qwerty12' });
    const b = await writeNcaKeyFile({ ...original, password: 'Qwerty12' });
    assert.notDeepEqual(a, b);
  });

  test('options: friendlyName, iterations, CA certificates', async (t) => {
    if (!HAS_PKI) return t.skip(NO_PKI);
    const original = (await openKeyFile(readPki(NCA_FILES[2]!.file), 'Qwerty12')).keys[0]!;
    const ca = readPki('nca_gost_2022_test.cer');
    const root = readPki('root_gost_2022_test.cer');
    const written = await writeNcaKeyFile({
      privateKeyInfo: original.privateKeyInfo,
      certificate: original.certificate,
      caCertificates: [ca, root],
      password: 'Aa123456',
      friendlyName: 'Ата-ана кілті',
      iterations: 2048,
    });
    assert.equal(describeContainer(written).mac.iterations, 2048);
    const opened = await openKeyFile(written, 'Aa123456');
    assert.equal(opened.keys.length, 1);
    assert.deepEqual(opened.keys[0]!.certificate, original.certificate);
    assert.equal(opened.keys[0]!.friendlyName, 'Ата-ана кілті');
    assert.deepEqual(opened.certificates, [original.certificate, ca, root]);
  });
});

/** The algorithms of a PFX: MAC and, per AuthSafe item, bag cipher. */
function describeContainer(file: Uint8Array) {
  const [, authInfo, macData] = sequence(parseBer(file, 'pfx'), 'pfx');
  const [digestInfo, macSalt, macIterations] = sequence(macData, 'mac');
  const [digestAlg] = sequence(digestInfo, 'digestInfo');
  const pbe = (node: asn1js.AsnType | undefined) => {
    const alg = algorithmId(node, 'alg');
    const [salt, iterations] = sequence(alg.params, 'params');
    return {
      cipher: alg.oid,
      saltLength: octets(salt, 'salt').length,
      iterations: smallInt(iterations, 'it'),
    };
  };
  const [, authContent] = sequence(authInfo, 'authInfo');
  const authSafe = octets(explicit(authContent, 0, 'c'), 'c');
  const bags = sequence(parseBer(authSafe, 'as'), 'as').map((info) => {
    const [type, content] = sequence(info, 'ci');
    if (oid(type, 't') === '1.2.840.113549.1.7.1') {
      const safe = parseBer(octets(explicit(content, 0, 'c'), 'c'), 'sc');
      const [bag] = sequence(safe, 'sc');
      const [bagId, value] = sequence(bag, 'bag');
      const [alg] = sequence(explicit(value, 0, 'v'), 'v');
      return { type: 'data', bag: oid(bagId, 'id'), ...pbe(alg) };
    }
    const [, eci] = sequence(explicit(content, 0, 'c'), 'ed');
    const [, alg] = sequence(eci, 'eci');
    return { type: 'encryptedData', ...pbe(alg) };
  });
  return {
    mac: {
      digest: algorithmId(digestAlg, 'd').oid,
      saltLength: octets(macSalt, 's').length,
      iterations: smallInt(macIterations, 'i'),
    },
    bags,
  };
}
