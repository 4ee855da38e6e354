import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { fromHex, PaddingError, toHex } from '../../src/crypto/bytes.js';
import {
  rc2CbcDecrypt,
  rc2CbcEncrypt,
  rc2DecryptBlock,
  rc2EncryptBlock,
} from '../../src/crypto/rc2.js';

describe('RC2 known answers (RFC 2268 section 5)', () => {
  // [key, effective bits, plaintext, ciphertext]
  const vectors: [string, number, string, string][] = [
    ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
    ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
    ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
    ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
    [
      '88bca90e90875a7f0f79c384627bafb2',
      64,
      '0000000000000000',
      '1a807d272bbe5db1',
    ],
    [
      '88bca90e90875a7f0f79c384627bafb2',
      128,
      '0000000000000000',
      '2269552ab0f85ca6',
    ],
    [
      '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
      129,
      '0000000000000000',
      '5b78d3a43dfff1f1',
    ],
  ];
  for (const [key, bits, plain, cipher] of vectors) {
    test(`${key.length / 2}-byte key, ${bits} effective bits`, () => {
      assert.equal(toHex(rc2EncryptBlock(fromHex(key), bits, fromHex(plain))), cipher);
      assert.equal(toHex(rc2DecryptBlock(fromHex(key), bits, fromHex(cipher))), plain);
    });
  }
});

describe('RC2-CBC', () => {
  test('round trip at the effective sizes PKCS#12 uses', () => {
    for (const [keyLength, bits] of [
      [5, 40],
      [8, 64],
      [16, 128],
    ] as const) {
      for (let length = 0; length <= 33; length++) {
        const key = randomBytes(keyLength);
        const iv = randomBytes(8);
        const plain = randomBytes(length);
        const cipher = rc2CbcEncrypt(key, bits, iv, plain);
        assert.equal(cipher.length, (Math.floor(length / 8) + 1) * 8);
        assert.deepEqual(rc2CbcDecrypt(key, bits, iv, cipher), new Uint8Array(plain));
      }
    }
  });

  test('chaining: equal plaintext blocks give different ciphertext', () => {
    const cipher = rc2CbcEncrypt(
      randomBytes(5),
      40,
      randomBytes(8),
      new Uint8Array(16),
      { padding: false },
    );
    assert.notDeepEqual(cipher.subarray(0, 8), cipher.subarray(8, 16));
  });

  test('matches OpenSSL rc2-40-cbc and rc2-cbc', async (t) => {
    const probe = spawnSync('openssl', ['version']);
    if (probe.status !== 0) {
      t.skip('openssl CLI not found; the RFC vectors above still ran');
      return;
    }
    const cases = [
      { cipher: 'rc2-40-cbc', keyLength: 5, bits: 40 },
      { cipher: 'rc2-cbc', keyLength: 16, bits: 128 },
    ];
    for (const { cipher, keyLength, bits } of cases) {
      const key = randomBytes(keyLength);
      const iv = randomBytes(8);
      const plain = randomBytes(45);
      const run = spawnSync(
        'openssl',
        [
          'enc',
          `-${cipher}`,
          '-K',
          key.toString('hex'),
          '-iv',
          iv.toString('hex'),
          '-provider',
          'legacy',
          '-provider',
          'default',
        ],
        { input: plain },
      );
      if (run.status !== 0) {
        t.skip(`openssl has no legacy provider for RC2: ${run.stderr}`);
        return;
      }
      assert.equal(toHex(rc2CbcEncrypt(key, bits, iv, plain)), run.stdout.toString('hex'));
    }
  });

  test('bad padding throws PaddingError', () => {
    const key = randomBytes(5);
    const iv = randomBytes(8);
    const cipher = rc2CbcEncrypt(key, 40, iv, new Uint8Array(8), {
      padding: false,
    });
    assert.throws(() => rc2CbcDecrypt(key, 40, iv, cipher), PaddingError);
    assert.throws(
      () => rc2CbcDecrypt(key, 40, iv, new Uint8Array(9)),
      PaddingError,
    );
  });

  test('bad sizes are refused', () => {
    assert.throws(() => rc2CbcEncrypt(new Uint8Array(0), 40, new Uint8Array(8), new Uint8Array(1)), RangeError);
    assert.throws(() => rc2CbcEncrypt(new Uint8Array(5), 40, new Uint8Array(4), new Uint8Array(1)), RangeError);
    assert.throws(() => rc2CbcEncrypt(new Uint8Array(5), 0, new Uint8Array(8), new Uint8Array(1)), RangeError);
  });
});
