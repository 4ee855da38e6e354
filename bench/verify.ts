// Login verification throughput of the backend verifier
// (verifyLoginSignature: parse the CMS, check content, signature, validity,
// chain to a trust anchor, key purpose, IIN) beside a bare signature check
// on the same key and the same challenge bytes: Node's crypto for the RSA
// key; for the GOST key, which Node's crypto cannot check, this library's
// own gostVerifyData (bench/gost.mjs compares that with other GOST code).
//
//   node --import tsx bench/verify.ts [seconds per case] [--json]
//   node --import tsx bench/verify.ts 3 --verifier-only [--key=rsa|gost]
//
// --verifier-only runs only the verifyLoginSignature cases, and --key only
// one key's, so that a CPU profile (node --cpu-prof --cpu-prof-dir=DIR
// --import tsx bench/verify.ts …) shows that verifier phase alone.
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoPki, type DemoPki } from '../server/pki/demo-pki.js';
import { verifyLoginSignature } from '../src/crypto/cms-verify.js';
import { readX509 } from '../src/crypto/x509-reader.js';
import { readElement } from '../src/crypto/der-reader.js';
import {
  decodePublicKey,
  TC26_512_A,
} from '../src/crypto/gost/gost3410.js';
import {
  gostSignData,
  gostVerifyData,
  readGostPrivateKey,
} from '../src/crypto/gost/nca-gost.js';
import { openKeys } from '../src/crypto/key-file-signer.js';
import { openKeyFile } from '../src/crypto/pkcs12.js';
import type { KeyEntry } from '../src/crypto/types.js';

const seconds = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 3);
const verifierOnly = process.argv.includes('--verifier-only');
const only = process.argv.find((a) => a.startsWith('--key='))?.slice(6);

async function rate(run: () => unknown): Promise<number> {
  // Warm up, then count whole operations in the time allowed.
  for (let i = 0; i < 20; i++) await run();
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let count = 0;
  while (performance.now() < end) {
    await run();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}

const challenge = new TextEncoder().encode(
  'Qoltanba login\nOrigin: http://localhost:8080\n' +
    'Nonce: bench-0123456789abcdef0123456789abcdef\n' +
    `Issued: ${new Date().toISOString()}`,
);

interface Case {
  key: string;
  verifier: number;
  bare: number | null;
  bareName: string;
}

/** The demo login key of that algorithm, its login CMS and its key. */
async function loginOf(pki: DemoPki, algorithm: 'rsa' | 'gost') {
  const person = pki.people.find(
    (p) => p.kind === 'auth' && p.algorithm === algorithm,
  );
  if (!person) throw new Error(`The demo PKI has no ${algorithm} login key.`);
  const file = new Uint8Array(readFileSync(person.keyFile));
  const ring = await openKeys(file, pki.password);
  const cms = await ring.sign(ring.choices[0]!.id, challenge);
  ring.dispose();
  const [key] = (await openKeyFile(file, pki.password)).keys;
  const options = {
    signature: cms,
    expectedContent: challenge,
    trustAnchors: pki.trustAnchors,
    acceptTestIins: true,
  };
  const login = await verifyLoginSignature(options);
  const verifier = await rate(() => verifyLoginSignature(options));
  return { person, key: key!, login, verifier };
}

/** A bare RSA check with Node's crypto, PKCS#1 v1.5 with SHA-256. */
function bareRsa(key: KeyEntry): { bits: string; run: () => boolean } {
  const privateKey = createPrivateKey({
    key: Buffer.from(key.privateKeyInfo),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = new X509Certificate(Buffer.from(key.certificate))
    .publicKey;
  const signature = sign('sha256', challenge, privateKey);
  const run = () => verify('sha256', challenge, publicKey, signature);
  if (!run()) throw new Error('The bare RSA signature does not verify.');
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? '?';
  return { bits: String(bits), run };
}

/** A bare GOST check: Streebog-512 and the verification equation. */
function bareGost(key: KeyEntry): () => boolean {
  const cert = readX509(key.certificate);
  const octets = readElement(cert.publicKey);
  const point = decodePublicKey(
    TC26_512_A,
    cert.publicKey.subarray(octets.contentStart, octets.contentEnd),
  );
  if (!point) throw new Error('The GOST public key does not decode.');
  const signature = gostSignData(
    readGostPrivateKey(key.privateKeyInfo),
    challenge,
  );
  const run = () => gostVerifyData(TC26_512_A, point, challenge, signature);
  if (!run()) throw new Error('The bare GOST signature does not verify.');
  return run;
}

const dir = mkdtempSync(join(tmpdir(), 'qoltanba-bench-pki-'));
try {
  const pki = await ensureDemoPki(dir);
  const cases: Case[] = [];
  if (only !== 'gost') {
    const rsa = await loginOf(pki, 'rsa');
    const bare = verifierOnly ? null : bareRsa(rsa.key);
    const bits = bare ? ` ${bare.bits}` : '';
    cases.push({
      key: `${rsa.person.fullName} (${rsa.login.iin}), RSA${bits}, SHA-256`,
      verifier: rsa.verifier,
      bare: bare ? await rate(bare.run) : null,
      bareName: 'node:crypto verify',
    });
  }
  if (only !== 'rsa') {
    const gost = await loginOf(pki, 'gost');
    cases.push({
      key:
        `${gost.person.fullName} (${gost.login.iin}), ` +
        'GOST 34.10-2015 512, Streebog-512',
      verifier: gost.verifier,
      bare: verifierOnly ? null : await rate(bareGost(gost.key)),
      bareName: 'gostVerifyData (this library)',
    });
  }
  const result = cases.map((c) => ({
    key: c.key,
    verifyLoginSignaturePerSecond: Math.round(c.verifier),
    bare: c.bareName,
    bareVerifyPerSecond: c.bare === null ? null : Math.round(c.bare),
    ratio: c.bare === null ? null : c.verifier / c.bare,
  }));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log('| key | check | ops/s | ms/op |');
    console.log('|---|---|---:|---:|');
    for (const c of cases) {
      const row = (name: string, perSecond: number) =>
        console.log(
          `| ${c.key} | ${name} | ${Math.round(perSecond)} | ` +
            `${(1000 / perSecond).toFixed(3)} |`,
        );
      row('verifyLoginSignature (whole login check)', c.verifier);
      if (c.bare !== null) row(`${c.bareName} (signature only)`, c.bare);
    }
    for (const r of result) {
      if (r.ratio !== null) {
        console.log(`ratio verifier / bare, ${r.key}: ${r.ratio.toFixed(4)}`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
