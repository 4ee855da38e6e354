/**
 * The GOST benchmark cases, shared by Node and headless Chromium (see
 * bench/gost.mjs, which bundles this file for the browser). Each case runs
 * until it has taken at least `minMs` and `minRuns` runs, after one
 * warm-up run, and reports operations per second.
 */
import forge from 'node-forge';
// CommonJS UMD build; the same file runs in Node and, bundled, in Chromium.
import CryptoGost from '@wavesenterprise/crypto-gost-js';
import { TC26_512_A } from '../src/crypto/gost/gost3410.js';
import {
  generateGostKey,
  gostPublicOf,
  gostSignData,
  gostVerifyData,
} from '../src/crypto/gost/nca-gost.js';
import { openKeyFile } from '../src/crypto/pkcs12.js';
import { openKeys } from '../src/crypto/key-file-signer.js';

export interface Result {
  name: string;
  runs: number;
  msPerOp: number;
  opsPerSec: number;
}

export interface BenchFiles {
  /** gost2015_individual_valid.p12 (Qwerty12). */
  gostP12: Uint8Array;
  /** rsa_individual_auth_revoked_2022.p12 (Qwerty12). */
  rsaP12: Uint8Array;
  password: string;
}

async function measure(
  name: string,
  run: () => unknown,
  minMs = 1500,
  minRuns = 5,
): Promise<Result> {
  await run();
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || runs < minRuns) {
    await run();
    runs++;
    elapsed = performance.now() - start;
  }
  const msPerOp = elapsed / runs;
  return { name, runs, msPerOp, opsPerSec: 1000 / msPerOp };
}

/** @wavesenterprise/crypto-gost-js on the same curve and hash. */
function wavesSigner() {
  const engine = (CryptoGost as unknown as {
    GostEngine: { getGostSign(a: object): WavesSign };
  }).GostEngine;
  const algorithm = {
    name: 'GOST R 34.10',
    version: 2012,
    length: 512,
    namedCurve: 'T-512-A',
  };
  // Its key generation waits for user-event entropy without a ukm, so the
  // key comes from the CSPRNG through ukm; signing then uses its own RNG.
  const ukm = crypto.getRandomValues(new Uint8Array(64));
  ukm[63] = 0x3f;
  const keys = engine.getGostSign({ ...algorithm, ukm: ukm.buffer }).generateKey();
  return { sign: engine.getGostSign(algorithm), keys };
}

interface WavesSign {
  generateKey(): { privateKey: ArrayBuffer; publicKey: ArrayBuffer };
  sign(key: ArrayBuffer, data: ArrayBuffer): ArrayBuffer;
  verify(key: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
}

/** node-forge's PKCS#12 reader, the usual choice for RSA key files. */
function forgeOpen(file: Uint8Array, password: string): void {
  let binary = '';
  for (const byte of file) binary += String.fromCharCode(byte);
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(binary));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  const bags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag });
  if (!bags[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0]?.key) {
    throw new Error('node-forge found no key');
  }
}

export async function runGostBench(files: BenchFiles): Promise<Result[]> {
  const message = crypto.getRandomValues(new Uint8Array(100));
  const results: Result[] = [];

  const key = generateGostKey();
  const publicKey = gostPublicOf(key);
  const signature = gostSignData(key, message);
  if (!gostVerifyData(TC26_512_A, publicKey, message, signature)) {
    throw new Error('qoltanba: own signature does not verify');
  }
  results.push(await measure('qoltanba sign', () => gostSignData(key, message)));
  results.push(
    await measure('qoltanba verify', () =>
      gostVerifyData(TC26_512_A, publicKey, message, signature),
    ),
  );

  const waves = wavesSigner();
  const data = message.slice().buffer;
  const wavesSignature = waves.sign.sign(waves.keys.privateKey, data);
  if (!waves.sign.verify(waves.keys.publicKey, wavesSignature, data)) {
    throw new Error('crypto-gost-js: own signature does not verify');
  }
  results.push(
    await measure('crypto-gost-js sign', () =>
      waves.sign.sign(waves.keys.privateKey, data),
    ),
  );
  results.push(
    await measure('crypto-gost-js verify', () =>
      waves.sign.verify(waves.keys.publicKey, wavesSignature, data),
    ),
  );

  results.push(
    await measure('qoltanba open GOST .p12', () =>
      openKeyFile(files.gostP12, files.password),
    ),
  );
  results.push(
    await measure('qoltanba open RSA .p12', () =>
      openKeyFile(files.rsaP12, files.password),
    ),
  );
  results.push(
    await measure('node-forge open RSA .p12', () =>
      forgeOpen(files.rsaP12, files.password),
    ),
  );
  // What a person waits for: open the file, list the key, sign the
  // challenge as CMS (which checks its own output once).
  const challenge = new TextEncoder().encode('qoltanba login challenge');
  results.push(
    await measure('qoltanba open GOST .p12 + sign CMS', async () => {
      const ring = await openKeys(files.gostP12, files.password);
      await ring.sign(ring.choices[0]!.id, challenge);
      ring.dispose();
    }),
  );
  return results;
}
