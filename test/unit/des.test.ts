import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { fromHex, PaddingError, toHex } from '../../src/crypto/bytes.js';
import {
  desCbcDecrypt,
  desCbcEncrypt,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
} from '../../src/crypto/des.js';

const ZERO_IV = new Uint8Array(8);

/** One block through CBC with a zero IV is exactly ECB. */
function desEcb(keyHex: string, blockHex: string): string {
  const key = fromHex(keyHex);
  return toHex(desCbcEncrypt(key, ZERO_IV, fromHex(blockHex), { padding: false }));
}

function desEcbDecrypt(keyHex: string, blockHex: string): string {
  const key = fromHex(keyHex);
  return toHex(desCbcDecrypt(key, ZERO_IV, fromHex(blockHex), { padding: false }));
}

function nodeEncrypt(
  cipher: string,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): string {
  const c = createCipheriv(cipher, key, iv);
  return Buffer.concat([c.update(data), c.final()]).toString('hex');
}

describe('DES known answers', () => {
  // [key, plaintext, ciphertext]: the classic FIPS 81 example, a widely
  // printed textbook worked example, and NIST SP 800-17 table entries.
  const vectors: [string, string, string][] = [
    ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
    ['0101010101010101', '2000000000000000', '2e8653104f3834ea'],
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
    ['4001010101010101', '0000000000000000', '0eec1487dd8c26d5'],
  ];
  for (const [key, plain, cipher] of vectors) {
    test(`key ${key}, plaintext ${plain}`, () => {
      assert.equal(desEcb(key, plain), cipher);
      assert.equal(desEcbDecrypt(key, cipher), plain);
    });
  }

  test('FIPS 81 CBC example: "Now is the time for all "', () => {
    const out = desCbcEncrypt(
      fromHex('0123456789abcdef'),
      fromHex('1234567890abcdef'),
      new TextEncoder().encode('Now is the time for all '),
      { padding: false },
    );
    assert.equal(toHex(out), 'e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6');
  });
});

describe('Triple DES', () => {
  test('NIST SP 800-67 example (three keys, ECB)', () => {
    const key = fromHex('0123456789abcdef23456789abcdef01456789abcdef0123');
    const plain = new TextEncoder().encode('The qufck brown fox jump');
    const expected = [
      'a826fd8ce53b855f',
      'cce21c8112256fe6',
      '68d5c05dd9b6b900',
    ];
    expected.forEach((cipherHex, i) => {
      const block = plain.subarray(i * 8, i * 8 + 8);
      const out = tripleDesCbcEncrypt(key, ZERO_IV, block, { padding: false });
      assert.equal(toHex(out), cipherHex);
      const back = tripleDesCbcDecrypt(key, ZERO_IV, out, { padding: false });
      assert.deepEqual(back, block);
    });
  });

  test('matches Node des-ede3-cbc for random keys and lengths', () => {
    for (let length = 0; length <= 40; length++) {
      const key = randomBytes(24);
      const iv = randomBytes(8);
      const plain = randomBytes(length);
      const ours = tripleDesCbcEncrypt(key, iv, plain);
      assert.equal(toHex(ours), nodeEncrypt('des-ede3-cbc', key, iv, plain));
      assert.deepEqual(tripleDesCbcDecrypt(key, iv, ours), new Uint8Array(plain));
    }
  });

  test('decrypts what Node encrypts', () => {
    const key = randomBytes(24);
    const iv = randomBytes(8);
    const plain = randomBytes(1000);
    const cipher = Buffer.from(nodeEncrypt('des-ede3-cbc', key, iv, plain), 'hex');
    assert.deepEqual(
      tripleDesCbcDecrypt(key, iv, cipher),
      new Uint8Array(plain),
    );
    const d = createDecipheriv('des-ede3-cbc', key, iv);
    const ours = tripleDesCbcEncrypt(key, iv, plain);
    assert.deepEqual(Buffer.concat([d.update(ours), d.final()]), plain);
  });

  test('two-key 3DES matches Node des-ede-cbc', () => {
    const key = randomBytes(16);
    const iv = randomBytes(8);
    const plain = randomBytes(37);
    assert.equal(
      toHex(tripleDesCbcEncrypt(key, iv, plain)),
      nodeEncrypt('des-ede-cbc', key, iv, plain),
    );
  });

  test('with K1 = K2 = K3 it is single DES', () => {
    const single = randomBytes(8);
    const triple = Buffer.concat([single, single, single]);
    const iv = randomBytes(8);
    const plain = randomBytes(29);
    assert.deepEqual(
      tripleDesCbcEncrypt(triple, iv, plain),
      desCbcEncrypt(single, iv, plain),
    );
  });

  test('unpadded mode leaves whole blocks alone', () => {
    const key = randomBytes(24);
    const iv = randomBytes(8);
    const plain = randomBytes(32);
    const out = tripleDesCbcEncrypt(key, iv, plain, { padding: false });
    assert.equal(out.length, 32);
    assert.deepEqual(
      tripleDesCbcDecrypt(key, iv, out, { padding: false }),
      new Uint8Array(plain),
    );
  });
});

describe('DES errors', () => {
  test('bad padding throws PaddingError', () => {
    const key = randomBytes(24);
    const iv = randomBytes(8);
    // A last plaintext byte of 0 is never valid PKCS#5 padding.
    const block = new Uint8Array(8);
    const cipher = tripleDesCbcEncrypt(key, iv, block, { padding: false });
    assert.throws(() => tripleDesCbcDecrypt(key, iv, cipher), PaddingError);
    // 9 > block size.
    block[7] = 9;
    const cipher9 = tripleDesCbcEncrypt(key, iv, block, { padding: false });
    assert.throws(() => tripleDesCbcDecrypt(key, iv, cipher9), PaddingError);
  });

  test('ciphertext of a broken length throws PaddingError', () => {
    assert.throws(
      () => tripleDesCbcDecrypt(randomBytes(24), ZERO_IV, new Uint8Array(12)),
      PaddingError,
    );
  });

  test('wrong key and IV sizes are refused', () => {
    assert.throws(
      () => tripleDesCbcEncrypt(new Uint8Array(20), ZERO_IV, new Uint8Array(8)),
      RangeError,
    );
    assert.throws(
      () => desCbcEncrypt(new Uint8Array(8), new Uint8Array(7), new Uint8Array(8)),
      RangeError,
    );
    assert.throws(
      () =>
        tripleDesCbcEncrypt(randomBytes(24), ZERO_IV, new Uint8Array(5), {
          padding: false,
        }),
      RangeError,
    );
  });
});
