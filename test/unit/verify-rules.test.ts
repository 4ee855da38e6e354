/**
 * The login rules that sit beside the signature and chain checks, one test
 * each with its stable code: the origin named in the signed challenge, a
 * legal entity's key, the clock skew allowance, and DER where RFC 5652
 * requires it.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import { parseCertificate } from '../../src/crypto/cms-verify.js';
import {
  verifyLoginSignature,
  type VerifyLoginOptions,
} from '../../src/crypto/cms-verify.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import { berSignedAttributes } from '../support/bad-signatures.js';
import { refusedWith } from '../support/refused.js';
import {
  makeTestCa,
  PERSON,
  signText,
  type TestCa,
} from '../support/revocation-pki.js';

const ORIGIN = 'https://portal.example.kz';
const challenge = (origin = ORIGIN) =>
  `Qoltanba login\nOrigin: ${origin}\nNonce: abc\nIssued: 2026-12-03`;

let ca: TestCa;
let person: KeyEntry;
let employee: KeyEntry;

async function options(
  key: KeyEntry,
  text = challenge(),
  extra: Partial<VerifyLoginOptions> = {},
): Promise<VerifyLoginOptions> {
  return {
    signature: await signText(key, text),
    expectedContent: new TextEncoder().encode(text),
    trustAnchors: [ca.root],
    intermediates: [ca.issuing],
    ...extra,
  };
}

async function refused(
  options: VerifyLoginOptions,
  code: ApiErrorCode,
  message?: RegExp,
): Promise<void> {
  await refusedWith(verifyLoginSignature(options), code, message);
}

before(async () => {
  // No revocation URLs: these tests are about other rules.
  ca = await makeTestCa('http://127.0.0.1:9');
  person = await ca.issueUser({});
  employee = await ca.issueUser({}, [
    ...PERSON,
    ['2.5.4.10', 'ТОО «БАЛАПАН»'],
    ['2.5.4.11', 'BIN180340021791'],
  ]);
});

describe('origin in the signed challenge', () => {
  it('accepts a challenge naming an allowed origin', async () => {
    const user = await verifyLoginSignature(
      await options(person, challenge(), { allowedOrigins: [ORIGIN] }),
    );
    assert.equal(user.iin, '900625400121');
  });

  it('refuses another origin with ORIGIN_MISMATCH', async () => {
    const text = challenge('https://evil.example.com');
    await refused(
      await options(person, text, { allowedOrigins: [ORIGIN] }),
      'ORIGIN_MISMATCH',
      /evil\.example\.com/,
    );
  });

  it('refuses a challenge naming no origin, or two', async () => {
    await refused(
      await options(person, 'Qoltanba login\nNonce: abc', {
        allowedOrigins: [ORIGIN],
      }),
      'ORIGIN_MISMATCH',
    );
    await refused(
      await options(person, `${challenge()}\nOrigin: ${ORIGIN}`, {
        allowedOrigins: [ORIGIN],
      }),
      'ORIGIN_MISMATCH',
    );
  });
});

describe("a legal entity's key", () => {
  it('is refused by default with CERT_LEGAL_ENTITY', async () => {
    await refused(await options(employee), 'CERT_LEGAL_ENTITY');
  });

  it('is accepted when the portal allows it', async () => {
    const user = await verifyLoginSignature(
      await options(employee, challenge(), { acceptLegalEntityKeys: true }),
    );
    assert.equal(user.iin, '900625400121');
  });
});

describe('clock skew', () => {
  it('stretches the validity by the configured allowance only', async () => {
    const cert = parseCertificate(person.certificate);
    const after = new Date(cert.notAfter.value.getTime() + 30_000);
    const early = new Date(cert.notBefore.value.getTime() - 30_000);
    await refused(await options(person, challenge(), { time: after }), 'CERT_EXPIRED');
    await refused(
      await options(person, challenge(), { time: early }),
      'CERT_NOT_YET_VALID',
    );
    for (const time of [after, early]) {
      await verifyLoginSignature(
        await options(person, challenge(), { time, clockSkewMs: 60_000 }),
      );
    }
    await refused(
      await options(person, challenge(), {
        time: new Date(after.getTime() + 60_000),
        clockSkewMs: 60_000,
      }),
      'CERT_EXPIRED',
    );
  });
});

describe('DER where DER is required', () => {
  it('refuses BER signed attributes with SIGNATURE_MALFORMED', async () => {
    const good = await signText(person, challenge());
    const ber = berSignedAttributes(good);
    assert.notDeepEqual(ber, good);
    await refused(
      { ...(await options(person)), signature: ber },
      'SIGNATURE_MALFORMED',
      /signed attributes are not DER/,
    );
  });
});
