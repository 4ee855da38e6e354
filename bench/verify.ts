// Login verification throughput of the backend verifier
// (verifyLoginSignature: parse the CMS, check content, signature, validity,
// chain to a trust anchor, key purpose, IIN) beside a bare signature check
// with Node's crypto on the same RSA key and the same challenge bytes.
// GOST keys are measured by bench/gost.mjs.
//
//   node --import tsx bench/verify.ts [seconds per case] [--json]
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoPki } from '../server/pki/demo-pki.js';
import { verifyLoginSignature } from '../src/crypto/cms-verify.js';
import { openKeys } from '../src/crypto/key-file-signer.js';
import { openKeyFile } from '../src/crypto/pkcs12.js';

const seconds = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 3);

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

const dir = mkdtempSync(join(tmpdir(), 'qoltanba-bench-pki-'));
try {
  const pki = await ensureDemoPki(dir);
  const person = pki.people.find(
    (p) => p.kind === 'auth' && p.algorithm === 'rsa',
  );
  if (!person) throw new Error('The demo PKI has no RSA login key.');
  const file = new Uint8Array(readFileSync(person.keyFile));
  const challenge = new TextEncoder().encode(
    'Qoltanba login\nOrigin: http://localhost:8080\n' +
      'Nonce: bench-0123456789abcdef0123456789abcdef\n' +
      `Issued: ${new Date().toISOString()}`,
  );

  const ring = await openKeys(file, pki.password);
  const cms = await ring.sign(ring.choices[0]!.id, challenge);
  ring.dispose();

  const [key] = (await openKeyFile(file, pki.password)).keys;
  const privateKey = createPrivateKey({
    key: Buffer.from(key!.privateKeyInfo),
    format: 'der',
    type: 'pkcs8',
  });
  const certificate = new X509Certificate(Buffer.from(key!.certificate));
  const publicKey = certificate.publicKey;
  const bare = sign('sha256', challenge, privateKey);

  const login = await verifyLoginSignature({
    signature: cms,
    expectedContent: challenge,
    trustAnchors: pki.trustAnchors,
    acceptTestIins: true,
  });
  if (!verify('sha256', challenge, publicKey, bare)) {
    throw new Error('The bare signature does not verify.');
  }

  const verifier = await rate(() =>
    verifyLoginSignature({
      signature: cms,
      expectedContent: challenge,
      trustAnchors: pki.trustAnchors,
      acceptTestIins: true,
    }),
  );
  const node = await rate(() => verify('sha256', challenge, publicKey, bare));
  const result = {
    key: `${person.fullName} (${login.iin}), RSA ${
      publicKey.asymmetricKeyDetails?.modulusLength ?? '?'
    }, SHA-256`,
    verifyLoginSignaturePerSecond: Math.round(verifier),
    nodeCryptoVerifyPerSecond: Math.round(node),
    ratio: verifier / node,
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`key: ${result.key}`);
    console.log('| check | ops/s | ms/op |');
    console.log('|---|---:|---:|');
    console.log(
      `| verifyLoginSignature (whole login check) | ` +
        `${result.verifyLoginSignaturePerSecond} | ` +
        `${(1000 / verifier).toFixed(3)} |`,
    );
    console.log(
      `| node:crypto verify (signature only) | ` +
        `${result.nodeCryptoVerifyPerSecond} | ${(1000 / node).toFixed(3)} |`,
    );
    console.log(`ratio verifier / bare: ${result.ratio.toFixed(3)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
