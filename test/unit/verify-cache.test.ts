/**
 * The verifier keeps configured CA certificates parsed, with their
 * imported keys, from one login to the next. These tests make sure that
 * what is kept never vouches for anything else: a CA with the very same
 * names but other keys, met after the real one's key was cached, does
 * not chain, and the real one still does; for RSA (imported WebCrypto
 * keys) and GOST (decoded points with a precomputed table).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import {
  verifyLoginSignature,
  type VerifyLoginOptions,
} from '../../src/crypto/cms-verify.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import { refusedWith } from '../support/refused.js';
import {
  makeTestCa,
  signText,
  type TestCa,
} from '../support/revocation-pki.js';

const text = 'Qoltanba login\nOrigin: https://portal.example.kz\nNonce: c1';

let real: TestCa;
let impostor: TestCa;
let person: KeyEntry;
let forged: KeyEntry;

async function login(
  key: KeyEntry,
  anchors: Uint8Array[],
  intermediates: Uint8Array[],
): Promise<VerifyLoginOptions> {
  return {
    signature: await signText(key, text),
    expectedContent: new TextEncoder().encode(text),
    trustAnchors: anchors,
    intermediates,
  };
}

before(async () => {
  // Two PKIs with the same CA names (makeTestCa names them alike) and
  // different keys.
  [real, impostor] = await Promise.all([
    makeTestCa('http://127.0.0.1:9'),
    makeTestCa('http://127.0.0.1:9'),
  ]);
  person = await real.issueUser({});
  forged = await impostor.issueUser({});
});

describe('cached CA certificates', () => {
  it('a same-named CA with another key never passes', async () => {
    const ok = await login(person, [real.root], [real.issuing]);
    assert.equal((await verifyLoginSignature(ok)).iin, '900625400121');
    // The same configured arrays, now parsed and with keys imported.
    await refusedWith(
      verifyLoginSignature(await login(forged, [real.root], [real.issuing])),
      'CERT_UNTRUSTED',
    );
    await refusedWith(
      verifyLoginSignature(
        await login(forged, [real.root], [impostor.issuing]),
      ),
      'CERT_UNTRUSTED',
    );
    assert.equal((await verifyLoginSignature(ok)).iin, '900625400121');
  });

  it('a real certificate never chains to the impostor', async () => {
    const bad = await login(person, [impostor.root], [impostor.issuing]);
    await refusedWith(verifyLoginSignature(bad), 'CERT_UNTRUSTED');
    const own = await login(forged, [impostor.root], [impostor.issuing]);
    assert.equal((await verifyLoginSignature(own)).iin, '900625400121');
    await refusedWith(verifyLoginSignature(bad), 'CERT_UNTRUSTED');
  });

  it('a same-named issuing CA is no anchor', async () => {
    // Only the issuing CA is trusted; the impostor's has the same name.
    await verifyLoginSignature(await login(person, [real.issuing], []));
    await refusedWith(
      verifyLoginSignature(await login(person, [impostor.issuing], [])),
      'CERT_UNTRUSTED',
    );
    await refusedWith(
      verifyLoginSignature(await login(forged, [real.issuing], [])),
      'CERT_UNTRUSTED',
    );
  });
});

describe('cached GOST CA points', () => {
  // Two demo PKIs: the same CA names, each with its own GOST keys.
  const dirs: string[] = [];
  let pkis: DemoPki[];
  let keys: KeyEntry[];

  before(async () => {
    for (let i = 0; i < 2; i++) {
      dirs.push(await mkdtemp(join(tmpdir(), 'qoltanba-cache-')));
    }
    pkis = await Promise.all(dirs.map((dir) => ensureDemoPki(dir)));
    keys = await Promise.all(
      pkis.map(async (pki) => {
        const person = pki.people.find(
          (p) => p.kind === 'auth' && p.algorithm === 'gost',
        )!;
        const file = new Uint8Array(await readFile(person.keyFile));
        return (await openKeyFile(file, pki.password)).keys[0]!;
      }),
    );
  });

  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true })));
  });

  it("one PKI's key never chains to the other's cached CAs", async () => {
    const [a, b] = pkis as [DemoPki, DemoPki];
    const [keyA, keyB] = keys as [KeyEntry, KeyEntry];
    const options = async (key: KeyEntry, pki: DemoPki) => ({
      ...(await login(key, pki.trustAnchors, [])),
      acceptTestIins: true,
    });
    await verifyLoginSignature(await options(keyA, a));
    await refusedWith(
      verifyLoginSignature(await options(keyB, a)),
      'CERT_UNTRUSTED',
    );
    await verifyLoginSignature(await options(keyB, b));
    await refusedWith(
      verifyLoginSignature(await options(keyA, b)),
      'CERT_UNTRUSTED',
    );
    await verifyLoginSignature(await options(keyA, a));
  });
});
