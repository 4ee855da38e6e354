// Streebog (RFC 6986) and GOST R 34.10-2012 signatures (RFC 7091, the
// 512-bit worked example of GOST R 34.10-2012 appendix A.2), and the byte
// layouts NCA uses, on synthetic data. NCA's own files: gost-nca.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { streebog256, streebog512 } from '../../src/crypto/gost/streebog.js';
import {
  bigFromBytesLE,
  bigToBytesLE,
  decodePublicKey,
  decodeSignature,
  encodePublicKey,
  encodeSignature,
  gostCurve,
  gostPublicKey,
  gostSign,
  gostVerify,
  mulUnsafeA3,
  precomputePoint,
  randomScalar,
  TC26_512_A,
} from '../../src/crypto/gost/gost3410.js';
import {
  generateGostKey,
  gostPublicOf,
  gostSignData,
  gostVerifyData,
  publicKeyBits,
  publicKeyFromBits,
  readGostPrivateKey,
  writeGostPrivateKey,
} from '../../src/crypto/gost/nca-gost.js';
import { KeyFileError } from '../../src/crypto/types.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** RFC 6986 prints numbers most significant byte first: reverse them. */
const rfc = (printed: string) => new Uint8Array(Buffer.from(printed, 'hex').reverse());

describe('Streebog (RFC 6986 §10)', () => {
  const M1 = rfc(
    '323130393837363534333231303938373635343332313039383736353433323130' +
      '393837363534333231303938373635343332313039383736353433323130',
  );
  const M2 = rfc(
    'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120ff' +
      'f0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
  );

  it('reads the RFC message M1 in stream order as the 63 digits', () => {
    assert.equal(
      new TextDecoder().decode(M1),
      '012345678901234567890123456789012345678901234567890123456789012',
    );
  });

  it('512-bit digest of M1 (one block, padded)', () => {
    assert.equal(
      hex(streebog512(M1)),
      hex(rfc(
        '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00' +
          'fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
      )),
    );
  });

  it('256-bit digest of M1', () => {
    assert.equal(
      hex(streebog256(M1)),
      hex(rfc('00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d')),
    );
  });

  it('512-bit digest of M2 (a full block and a tail)', () => {
    assert.equal(
      hex(streebog512(M2)),
      hex(rfc(
        '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03' +
          '7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
      )),
    );
  });

  it('256-bit digest of M2', () => {
    assert.equal(
      hex(streebog256(M2)),
      hex(rfc('508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d')),
    );
  });

  it('gives different digests for every length around the block size', () => {
    const seen = new Set<string>();
    for (let n = 0; n <= 130; n++) {
      const digest = hex(streebog512(new Uint8Array(n)));
      assert.equal(seen.has(digest), false, `collision at length ${n}`);
      seen.add(digest);
      assert.equal(streebog256(new Uint8Array(n)).length, 32);
    }
  });
});

// GOST R 34.10-2012 appendix A.2 (also RFC 7091 §A.2): the 512-bit test
// curve and the worked signature with a fixed nonce.
const TEST_512 = gostCurve({
  p: 0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15df1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373n,
  a: 7n,
  b: 0x1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac4361834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adcn,
  q: 0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15da82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6dfn,
  x: 0x24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9an,
  y: 0x2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371en,
});
const EXAMPLE = {
  d: 0xba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b102072e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4n,
  qx: 0x115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1n,
  qy: 0x37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beecn,
  e: 0x3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c5917184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8cn,
  k: 0x0359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f365886748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1n,
  r: 0x2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36n,
  s: 0x1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4an,
};

describe('GOST R 34.10-2012, 512-bit worked example (RFC 7091)', () => {
  it('derives the public key Q = dP', () => {
    const q = gostPublicKey(TEST_512, EXAMPLE.d).toAffine();
    assert.equal(q.x, EXAMPLE.qx);
    assert.equal(q.y, EXAMPLE.qy);
  });

  it('signs e with the fixed nonce k into exactly (r, s)', () => {
    const sig = gostSign(TEST_512, EXAMPLE.d, EXAMPLE.e, EXAMPLE.k);
    assert.equal(sig.r, EXAMPLE.r);
    assert.equal(sig.s, EXAMPLE.s);
  });

  it('verifies (r, s), and refuses any change to r, s, e or Q', () => {
    const q = gostPublicKey(TEST_512, EXAMPLE.d);
    const sig = { r: EXAMPLE.r, s: EXAMPLE.s };
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, sig), true);
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e + 1n, sig), false);
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, { ...sig, r: sig.r ^ 1n }), false);
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, { ...sig, s: sig.s ^ 4n }), false);
    assert.equal(gostVerify(TEST_512, q.double(), EXAMPLE.e, sig), false);
  });

  it('refuses r or s outside [1, q)', () => {
    const q = gostPublicKey(TEST_512, EXAMPLE.d);
    for (const bad of [0n, TEST_512.q, TEST_512.q + EXAMPLE.r]) {
      assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, { r: bad, s: EXAMPLE.s }), false);
      assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, { r: EXAMPLE.r, s: bad }), false);
    }
  });

  it('takes nonces from the CSPRNG: two signatures differ, both verify', () => {
    const q = gostPublicKey(TEST_512, EXAMPLE.d);
    const a = gostSign(TEST_512, EXAMPLE.d, EXAMPLE.e);
    const b = gostSign(TEST_512, EXAMPLE.d, EXAMPLE.e);
    assert.notEqual(a.r, b.r);
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, a), true);
    assert.equal(gostVerify(TEST_512, q, EXAMPLE.e, b), true);
  });
});

describe('TC26 512 paramSetA, the curve NCA uses', () => {
  it('has a base point on the curve of order q', () => {
    const g = TC26_512_A.Point.BASE;
    g.assertValidity();
    assert.equal(g.multiplyUnsafe(TC26_512_A.q - 1n).add(g).is0(), true);
    assert.equal(TC26_512_A.size, 64);
  });

  it('signs and verifies random keys and messages', () => {
    for (let i = 0; i < 3; i++) {
      const key = generateGostKey();
      const message = crypto.getRandomValues(new Uint8Array(10 + i * 70));
      const sig = gostSignData(key, message);
      assert.equal(sig.length, 128);
      const q = gostPublicOf(key);
      assert.equal(gostVerifyData(TC26_512_A, q, message, sig), true);
      message[0] ^= 1;
      assert.equal(gostVerifyData(TC26_512_A, q, message, sig), false);
    }
  });

  it("verification's a = −3 multiplication equals noble's", () => {
    const curve = TC26_512_A;
    assert.equal(curve.aIsMinus3, true);
    const { q } = curve;
    const edges = [1n, 2n, 3n, 15n, 16n, 17n, 31n, 32n, 33n, q - 1n, q - 2n];
    const powers = [64n, 255n, 256n, 511n].map((e) => (1n << e) % q);
    for (let i = 0; i < 12; i++) {
      const point = curve.Point.BASE.multiply(randomScalar(curve));
      const scalars = [randomScalar(curve), ...(i === 0 ? edges : powers)];
      for (const k of scalars) {
        const fast = mulUnsafeA3(curve, point, k);
        assert.ok(fast.equals(point.multiply(k)), `k = ${k}`);
      }
    }
    // The base point itself, and a scalar that folds to the negation.
    const g = curve.Point.BASE;
    assert.ok(mulUnsafeA3(curve, g, q - 1n).equals(g.negate()));
  });

  it('verifies alike with and without a precomputed table', () => {
    const key = generateGostKey();
    const message = crypto.getRandomValues(new Uint8Array(50));
    const sig = gostSignData(key, message);
    const plain = gostPublicOf(key);
    const tabled = gostPublicOf(key);
    precomputePoint(tabled, 6);
    for (const q of [plain, tabled, plain, tabled]) {
      assert.equal(gostVerifyData(TC26_512_A, q, message, sig), true);
      const other = message.slice();
      other[49] ^= 0x80;
      assert.equal(gostVerifyData(TC26_512_A, q, other, sig), false);
    }
  });
});

describe("NCA's byte layouts", () => {
  it('numbers are little-endian, fixed width', () => {
    assert.equal(hex(bigToBytesLE(0x0102n, 4)), '02010000');
    assert.equal(bigFromBytesLE(Uint8Array.of(2, 1, 0, 0)), 0x0102n);
    assert.throws(() => bigToBytesLE(1n << 32n, 4), RangeError);
  });

  it('signature value is r then s, each 64 bytes little-endian', () => {
    const bytes = encodeSignature(TC26_512_A, { r: 0x0102n, s: 0x0304n });
    assert.equal(bytes.length, 128);
    assert.deepEqual([...bytes.subarray(0, 2)], [2, 1]);
    assert.deepEqual([...bytes.subarray(64, 66)], [4, 3]);
    assert.deepEqual(decodeSignature(TC26_512_A, bytes), { r: 0x0102n, s: 0x0304n });
    assert.equal(decodeSignature(TC26_512_A, bytes.subarray(1)), null);
  });

  it('public key is an OCTET STRING of x then y, little-endian', () => {
    const key = generateGostKey();
    const point = gostPublicOf(key);
    const bits = publicKeyBits(TC26_512_A, point);
    assert.deepEqual([...bits.subarray(0, 3)], [0x04, 0x81, 0x80]);
    const { x } = point.toAffine();
    assert.equal(bigFromBytesLE(bits.subarray(3, 67)), x);
    assert.ok(publicKeyFromBits(TC26_512_A, bits)!.equals(point));
    // Off the curve: refused, not accepted as some other point.
    const raw = encodePublicKey(TC26_512_A, point);
    raw[70] ^= 1;
    assert.equal(decodePublicKey(TC26_512_A, raw), null);
  });

  it('private key round-trips through the nested PKCS#8 layout', () => {
    const key = generateGostKey();
    const der = writeGostPrivateKey(key);
    assert.equal(readGostPrivateKey(der).d, key.d);
  });

  it('refuses a GOST 34.310-2004 key with UNSUPPORTED_KEY and advice', () => {
    const der = writeGostPrivateKey(generateGostKey());
    // Swap the key OID 1.2.398.3.10.1.1.2.2 for 1.2.398.3.10.1.1.1.1.
    const text = hex(der).replace('2a830e030a01010202', '2a830e030a01010101');
    assert.throws(
      () => readGostPrivateKey(new Uint8Array(Buffer.from(text, 'hex'))),
      (error: unknown) =>
        error instanceof KeyFileError &&
        error.code === 'UNSUPPORTED_KEY' &&
        /NCALayer/.test(error.message),
    );
  });
});
