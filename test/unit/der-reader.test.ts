/**
 * The verifier's own DER reading: element bounds, times, how two names
 * are judged the same when chains are built, and that the verifier
 * describes a certificate exactly as the key list does.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { describeCertificate } from '../../src/crypto/certificate-info.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import { verifyCms } from '../../src/crypto/cms-verify.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import {
  childrenOf,
  DerError,
  readElement,
  timeOf,
} from '../../src/crypto/der-reader.js';
import { readName, sameName } from '../../src/crypto/x509-reader.js';

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  assert.ok(body.length < 128);
  return Uint8Array.of(tag, body.length, ...body);
}

const text = (tag: number, value: string) => tlv(tag, Buffer.from(value));
const CN = Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x03);
const O = Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x0a);
const UTF8 = 0x0c;
const PRINTABLE = 0x13;

/** Name with one attribute per RDN, or all in one RDN when `oneSet`. */
function name(pairs: [Uint8Array, Uint8Array][], oneSet = false) {
  const atvs = pairs.map(([type, value]) => tlv(0x30, type, value));
  const rdns = oneSet ? [tlv(0x31, ...atvs)] : atvs.map((a) => tlv(0x31, a));
  return readName(readElement(tlv(0x30, ...rdns)), 'name');
}

describe('DER reader', () => {
  it('refuses an element that runs past its parent', () => {
    const bad = Uint8Array.of(0x30, 0x03, 0x04, 0x05, 0x00);
    assert.throws(() => childrenOf(readElement(bad)), DerError);
    assert.throws(() => readElement(Uint8Array.of(0x04, 0x02, 0x00)), DerError);
  });

  it('reads UTCTime and GeneralizedTime as RFC 5280 writes them', () => {
    const utc = readElement(text(0x17, '491231235959Z'));
    assert.equal(timeOf(utc, 't').toISOString(), '2049-12-31T23:59:59.000Z');
    const old = readElement(text(0x17, '500101000000Z'));
    assert.equal(timeOf(old, 't').getUTCFullYear(), 1950);
    const gen = readElement(text(0x18, '20261203150000Z'));
    assert.equal(timeOf(gen, 't').toISOString(), '2026-12-03T15:00:00.000Z');
    assert.throws(() => timeOf(readElement(text(0x17, '2612')), 't'));
  });
});

describe('names', () => {
  it('are the same across string types, case and doubled spaces', () => {
    const a = name([[CN, text(PRINTABLE, 'NCA  Test')]]);
    const b = name([[CN, text(UTF8, 'nca test')]]);
    assert.ok(sameName(a, b));
  });

  it('differ when a value, a type or the RDN grouping differs', () => {
    const base = name([
      [CN, text(UTF8, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ')],
      [O, text(UTF8, 'KZ')],
    ]);
    const other = name([
      [CN, text(UTF8, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ ')],
      [O, text(UTF8, 'KZ2')],
    ]);
    const swapped = name([
      [O, text(UTF8, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ')],
      [CN, text(UTF8, 'KZ')],
    ]);
    const grouped = name(
      [
        [CN, text(UTF8, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ')],
        [O, text(UTF8, 'KZ')],
      ],
      true,
    );
    assert.ok(!sameName(base, other));
    assert.ok(!sameName(base, swapped));
    assert.ok(!sameName(base, grouped));
  });

  it('compare undecodable values by their bytes', () => {
    const a = name([[CN, Uint8Array.of(UTF8, 1, 0xff)]]);
    const b = name([[CN, Uint8Array.of(UTF8, 1, 0xfe)]]);
    assert.ok(!sameName(a, b));
    assert.ok(sameName(a, name([[CN, Uint8Array.of(UTF8, 1, 0xff)]])));
  });
});

const PKI = fileURLToPath(
  new URL('../../../shared/nca-test-pki/', import.meta.url),
);
const noPki = existsSync(PKI)
  ? false
  : `NCA test material not found at ${PKI}`;

describe('certificate descriptions', { skip: noPki }, () => {
  it("the verifier's are describeCertificate's, on NCA's files", async () => {
    const files = readdirSync(PKI);
    const signed = await Promise.all(
      files
        .filter((f) => f.endsWith('.p12'))
        .map(async (f) => {
          const file = new Uint8Array(readFileSync(PKI + f));
          const password = f.includes('2022') && f.startsWith('gost')
            ? 'Aa123456'
            : 'Qwerty12';
          const [key] = (await openKeyFile(file, password)).keys;
          return signCms(new TextEncoder().encode('x'), key!);
        }),
    );
    const recorded = files
      .filter((f) => f.startsWith('cms_attached_'))
      .map((f) => new Uint8Array(readFileSync(PKI + f)));
    let seen = 0;
    for (const cms of [...signed, ...recorded]) {
      const report = await verifyCms({ cms });
      for (const signer of report.signers) {
        assert.deepEqual(
          signer.certificate,
          describeCertificate(signer.certificateDer!),
        );
        seen++;
      }
    }
    assert.ok(seen >= 6, `${seen} signers`);
  });
});
