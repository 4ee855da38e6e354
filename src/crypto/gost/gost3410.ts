/**
 * GOST R 34.10-2012 / 34.10-2015 signatures over a prime-field curve, and
 * the byte layouts NCA uses for them (domain.md §3, settled on NCA's own
 * files).
 *
 * The point arithmetic is @noble/curves' audited short-Weierstrass code;
 * only the GOST signature equations and the encodings are written here.
 * Nonces come from the platform's CSPRNG (crypto.getRandomValues), and
 * the nonce point is computed with noble's constant-time multiply.
 */
import {
  weierstrass,
  type WeierstrassPoint,
  type WeierstrassPointCons,
} from '@noble/curves/abstract/weierstrass.js';
import {
  Field,
  invert,
  mod,
  type IField,
} from '@noble/curves/abstract/modular.js';

export type GostPoint = WeierstrassPoint<bigint>;

/** A GOST curve: y² = x³ + ax + b over p, base point of prime order q. */
export interface GostCurve {
  Point: WeierstrassPointCons<bigint>;
  /** Order of the base point (the subgroup of signatures). */
  q: bigint;
  /** Bytes in one coordinate and in one half of a signature. */
  size: number;
  /** a = −3 (TC26 and NCA curves): verification may use mulUnsafeA3. */
  aIsMinus3?: boolean;
}

export interface GostCurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  q: bigint;
  x: bigint;
  y: bigint;
}

/**
 * The field of a prime p = 2^bits − c with small c, as noble's generic
 * field but with multiplication reduced by folding (x mod p = low + c·high)
 * instead of BigInt division, which is what most of a signature costs.
 * Everything else comes from noble's field, through the prototype.
 */
function pseudoMersenneField(p: bigint): IField<bigint> {
  const bits = BigInt(p.toString(2).length);
  const c = (1n << bits) - p;
  const mask = (1n << bits) - 1n;
  const reduce = (x: bigint): bigint => {
    // For 0 ≤ x < p², two folds bring x below 2^bits + c², one
    // subtraction below p.
    x = (x & mask) + c * (x >> bits);
    x = (x & mask) + c * (x >> bits);
    return x >= p ? x - p : x;
  };
  const base = Field(p);
  return Object.create(base, {
    mul: { value: (a: bigint, b: bigint) => reduce(a * b) },
    sqr: { value: (a: bigint) => reduce(a * a) },
    add: {
      value: (a: bigint, b: bigint) => {
        const x = a + b;
        return x >= p ? x - p : x;
      },
    },
    sub: {
      value: (a: bigint, b: bigint) => {
        const x = a - b;
        return x < 0n ? x + p : x;
      },
    },
  }) as IField<bigint>;
}

export function gostCurve(params: GostCurveParams): GostCurve {
  const small = (1n << BigInt(params.p.toString(2).length)) - params.p < 1n << 32n;
  const Point = weierstrass(
    {
      p: params.p,
      n: params.q,
      h: 1n,
      a: params.a,
      b: params.b,
      Gx: params.x,
      Gy: params.y,
    },
    small ? { Fp: pseudoMersenneField(params.p) } : {},
  );
  // A window of 8 makes nonce points about a third cheaper than noble's
  // default 6, for a table built once on first use.
  Point.BASE.precompute(8);
  return {
    Point,
    q: params.q,
    size: Math.ceil(params.p.toString(16).length / 2),
    aIsMinus3: params.a === params.p - 3n,
  };
}

/** Points given a precomputed table (precomputePoint): noble's is faster. */
const tabled = new WeakSet<GostPoint>();

/**
 * Gives a public point that checks many signatures (a configured CA's) a
 * precomputed table of `window` bits, built on first use; verification
 * then uses noble's table walk for it.
 */
export function precomputePoint(point: GostPoint, window: number): void {
  point.precompute(window);
  tabled.add(point);
}

/** Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the identity. */
type Jacobian = { X: bigint; Y: bigint; Z: bigint };

/**
 * k·P for a public scalar, for curves with a = −3, in Jacobian
 * coordinates with width-5 wNAF and an affine table of odd multiples.
 * noble's complete formulas multiply by a and 3b as by any field element
 * (both are full-size here), so its doubling costs about twice the 8
 * multiplications and squarings of dbl-2001-b used here; additions are
 * mixed Jacobian-affine (madd-2007-bl, 11). A verification is mostly
 * this multiplication of the signer's key: about 1.5× faster than noble's.
 * Not constant time: only for public scalars (verification).
 */
export function mulUnsafeA3(
  curve: GostCurve,
  point: GostPoint,
  k: bigint,
): GostPoint {
  const { Point } = curve;
  const F = Point.Fp;
  const mul = F.mul.bind(F);
  const sqr = F.sqr.bind(F);
  const add = F.add.bind(F);
  const sub = F.sub.bind(F);
  const ZERO: Jacobian = { X: 1n, Y: 1n, Z: 0n };

  const double = ({ X, Y, Z }: Jacobian): Jacobian => {
    if (Z === 0n || Y === 0n) return ZERO;
    const delta = sqr(Z);
    const gamma = sqr(Y);
    const beta = mul(X, gamma);
    const t = mul(sub(X, delta), add(X, delta));
    const alpha = add(t, add(t, t));
    const beta4 = add(add(beta, beta), add(beta, beta));
    const X3 = sub(sqr(alpha), add(beta4, beta4));
    const Z3 = sub(sub(sqr(add(Y, Z)), gamma), delta);
    const gammaSq = sqr(gamma);
    const gamma2 = add(gammaSq, gammaSq);
    const gamma4 = add(gamma2, gamma2);
    const Y3 = sub(mul(alpha, sub(beta4, X3)), add(gamma4, gamma4));
    return { X: X3, Y: Y3, Z: Z3 };
  };

  /** P + (x2, y2), the second point affine and not the identity. */
  const addAffine = (p: Jacobian, x2: bigint, y2: bigint): Jacobian => {
    if (p.Z === 0n) return { X: x2, Y: y2, Z: 1n };
    const Z1Z1 = sqr(p.Z);
    const U2 = mul(x2, Z1Z1);
    const S2 = mul(y2, mul(p.Z, Z1Z1));
    const H = sub(U2, p.X);
    const r0 = sub(S2, p.Y);
    if (H === 0n) {
      // The same x: the same point (double it) or its negation.
      return r0 === 0n ? double(p) : ZERO;
    }
    const HH = sqr(H);
    const I = add(add(HH, HH), add(HH, HH));
    const J = mul(H, I);
    const r = add(r0, r0);
    const V = mul(p.X, I);
    const X3 = sub(sub(sqr(r), J), add(V, V));
    const YJ = mul(p.Y, J);
    const Y3 = sub(mul(r, sub(V, X3)), add(YJ, YJ));
    const Z3 = sub(sub(sqr(add(p.Z, H)), Z1Z1), HH);
    return { X: X3, Y: Y3, Z: Z3 };
  };

  // Odd multiples P, 3P, …, 15P, made affine with one batch inversion.
  const W = 5;
  const { x, y } = point.toAffine();
  const twice = jacobianToAffine(F, double({ X: x, Y: y, Z: 1n }));
  const odd: Jacobian[] = [{ X: x, Y: y, Z: 1n }];
  for (let i = 1; i < 1 << (W - 2); i++) {
    odd.push(addAffine(odd[i - 1]!, twice.x, twice.y));
  }
  const inverses = F.invertBatch(odd.map((p) => p.Z));
  const table = odd.map(({ X, Y }, i) => {
    const zInv2 = sqr(inverses[i]!);
    return { x: mul(X, zInv2), y: mul(Y, mul(zInv2, inverses[i]!)) };
  });

  // Width-W NAF digits, least significant first.
  const digits: number[] = [];
  const full = 1 << W;
  let n = k;
  while (n > 0n) {
    let digit = 0;
    if (n & 1n) {
      digit = Number(n & BigInt(full - 1));
      if (digit >= full / 2) digit -= full;
      n -= BigInt(digit);
    }
    digits.push(digit);
    n >>= 1n;
  }

  let acc = ZERO;
  for (let i = digits.length - 1; i >= 0; i--) {
    acc = double(acc);
    const digit = digits[i]!;
    if (digit !== 0) {
      const t = table[(Math.abs(digit) - 1) >> 1]!;
      acc = addAffine(acc, t.x, digit > 0 ? t.y : F.neg(t.y));
    }
  }
  if (acc.Z === 0n) return Point.ZERO;
  // Jacobian (X, Y, Z) is projective (X·Z, Y, Z³) in noble's terms.
  return new Point(mul(acc.X, acc.Z), acc.Y, mul(sqr(acc.Z), acc.Z));
}

function jacobianToAffine(
  F: IField<bigint>,
  { X, Y, Z }: Jacobian,
): { x: bigint; y: bigint } {
  const zInv = F.inv(Z);
  const zInv2 = F.sqr(zInv);
  return { x: F.mul(X, zInv2), y: F.mul(Y, F.mul(zInv2, zInv)) };
}

const P512 = 2n ** 512n - 569n;

/**
 * The 512-bit curve NCA uses, 1.2.398.3.10.1.1.2.2.1: the same values as
 * TC26's id-tc26-gost-3410-12-512-paramSetA (RFC 7836, 1.2.643.7.1.2.1.2.1).
 */
export const TC26_512_A: GostCurve = gostCurve({
  p: P512,
  a: P512 - 3n,
  b: 0xe8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760n,
  q: 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275n,
  x: 3n,
  y: 0x7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4n,
});

/** A signature as the standard defines it: two integers in [1, q). */
export interface GostSignature {
  r: bigint;
  s: bigint;
}

/** e = α mod q, and 1 when that is 0 (GOST R 34.10-2012 §6.1 step 2). */
function reduceDigest(curve: GostCurve, alpha: bigint): bigint {
  const e = mod(alpha, curve.q);
  return e === 0n ? 1n : e;
}

/** A uniformly random scalar in [1, q), from the CSPRNG. */
export function randomScalar(curve: GostCurve): bigint {
  // 64 extra bits make the bias of the reduction negligible (FIPS 186-5
  // A.2.1), with no loop whose length depends on the secret.
  const bytes = globalThis.crypto.getRandomValues(
    new Uint8Array(curve.size + 8),
  );
  return mod(bigFromBytesBE(bytes), curve.q - 1n) + 1n;
}

/**
 * Signs the integer α (the digest already read as a number) with the
 * private scalar d. `nonce` exists for the standard's worked examples
 * only; leave it out and a fresh one comes from the CSPRNG.
 */
export function gostSign(
  curve: GostCurve,
  d: bigint,
  alpha: bigint,
  nonce?: bigint,
): GostSignature {
  const { q } = curve;
  if (d <= 0n || d >= q) throw new RangeError('Private key out of range');
  const e = reduceDigest(curve, alpha);
  for (;;) {
    const k = nonce ?? randomScalar(curve);
    if (k <= 0n || k >= q) throw new RangeError('Nonce out of range');
    const r = mod(curve.Point.BASE.multiply(k).toAffine().x, q);
    const s = mod(r * d + k * e, q);
    if (r !== 0n && s !== 0n) return { r, s };
    // The standard asks for a new k; a fixed nonce cannot give one.
    if (nonce !== undefined) throw new RangeError('Nonce gives r or s = 0');
  }
}

/** Verifies (r, s) over the integer α with the public point Q. */
export function gostVerify(
  curve: GostCurve,
  publicKey: GostPoint,
  alpha: bigint,
  { r, s }: GostSignature,
): boolean {
  const { q, Point } = curve;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const v = invert(reduceDigest(curve, alpha), q);
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  const keyPart =
    curve.aIsMinus3 && !tabled.has(publicKey)
      ? mulUnsafeA3(curve, publicKey, z2)
      : publicKey.multiplyUnsafe(z2);
  const c = Point.BASE.multiplyUnsafe(z1).add(keyPart);
  if (c.is0()) return false;
  return mod(c.toAffine().x, q) === r;
}

/** Q = d·P, the public key of a private scalar. */
export function gostPublicKey(curve: GostCurve, d: bigint): GostPoint {
  if (d <= 0n || d >= curve.q) throw new RangeError('Private key out of range');
  return curve.Point.BASE.multiply(d);
}

// ---------------------------------------------------------------------------
// Byte layouts. NCA, like TC26, writes numbers little-endian.

export function bigFromBytesBE(bytes: Uint8Array): bigint {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex ? BigInt(`0x${hex}`) : 0n;
}

export function bigFromBytesLE(bytes: Uint8Array): bigint {
  return bigFromBytesBE(bytes.slice().reverse());
}

export function bigToBytesLE(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError('Number too large for its field');
  return out;
}

/** The digest read as NCA does: its bytes, in stream order, little-endian. */
export function digestToInteger(digest: Uint8Array): bigint {
  return bigFromBytesLE(digest);
}

/** Two numbers side by side, each `size` bytes little-endian. */
function encodePair(curve: GostCurve, a: bigint, b: bigint): Uint8Array {
  const out = new Uint8Array(2 * curve.size);
  out.set(bigToBytesLE(a, curve.size), 0);
  out.set(bigToBytesLE(b, curve.size), curve.size);
  return out;
}

function decodePair(
  curve: GostCurve,
  bytes: Uint8Array,
): [bigint, bigint] | null {
  if (bytes.length !== 2 * curve.size) return null;
  return [
    bigFromBytesLE(bytes.subarray(0, curve.size)),
    bigFromBytesLE(bytes.subarray(curve.size)),
  ];
}

/** NCA's signature value: r then s, each little-endian (2 × size bytes). */
export function encodeSignature(curve: GostCurve, sig: GostSignature): Uint8Array {
  return encodePair(curve, sig.r, sig.s);
}

/** Reads NCA's signature value; null when its length is wrong. */
export function decodeSignature(
  curve: GostCurve,
  bytes: Uint8Array,
): GostSignature | null {
  const pair = decodePair(curve, bytes);
  return pair && { r: pair[0], s: pair[1] };
}

/** Public key bytes: x then y, each little-endian (2 × size bytes). */
export function encodePublicKey(curve: GostCurve, point: GostPoint): Uint8Array {
  const { x, y } = point.toAffine();
  return encodePair(curve, x, y);
}

/**
 * Reads x‖y (little-endian) into a point and checks that it lies on the
 * curve and is not the identity; null when it does not.
 */
export function decodePublicKey(
  curve: GostCurve,
  bytes: Uint8Array,
): GostPoint | null {
  const pair = decodePair(curve, bytes);
  if (!pair) return null;
  try {
    const point = curve.Point.fromAffine({ x: pair[0], y: pair[1] });
    point.assertValidity();
    return point;
  } catch {
    return null;
  }
}
