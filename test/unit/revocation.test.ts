/**
 * Revocation by CRL and OCSP through verifyLoginSignature, against a real
 * local CRL server and OCSP responder on 127.0.0.1 (good, slow, garbage,
 * down), and against NCA's own published test CRLs (RSA, and GOST with a
 * delta), which are stale and need allowStaleCrl.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  verifyCms,
  verifyLoginSignature,
  type VerifyLoginOptions,
} from '../../src/crypto/cms-verify.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import {
  RevocationChecker,
  type FetchFunction,
  type RevocationOptions,
} from '../../src/crypto/revocation/index.js';
import { issueCrl } from '../../server/pki/certificates.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import { refusedWith } from '../support/refused.js';
import {
  makeTestCa,
  serialHex,
  signText,
  startRevocationServer,
  type RevocationServer,
  type TestCa,
} from '../support/revocation-pki.js';

const NCA = fileURLToPath(new URL('../../../shared/nca-test-pki/', import.meta.url));
const CHALLENGE = 'Qoltanba login\nOrigin: https://portal.example.kz\nNonce: x';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: RevocationServer;
let ca: TestCa;
/** Certificates with URLs to each variant of the server. */
let good: KeyEntry;
let revoked: KeyEntry;
let slowCrl: KeyEntry;
let garbageCrl: KeyEntry;
let downCrl: KeyEntry;
let noUrls: KeyEntry;

async function login(
  key: KeyEntry,
  revocation: RevocationOptions,
  extra: Partial<VerifyLoginOptions> = {},
) {
  return verifyLoginSignature({
    signature: await signText(key, CHALLENGE),
    expectedContent: new TextEncoder().encode(CHALLENGE),
    trustAnchors: [ca.root],
    intermediates: [ca.issuing],
    revocation: new RevocationChecker({ timeoutMs: 400, ...revocation }),
    ...extra,
  });
}

const refused = refusedWith;

/** A CRL of the issuing CA, current unless told otherwise. */
function issuingCrl(
  request: Partial<Parameters<typeof issueCrl>[0]> & { number: number },
) {
  const now = Date.now();
  return issueCrl({
    issuer: ca.issuer,
    thisUpdate: new Date(now - HOUR),
    nextUpdate: new Date(now + DAY),
    revoked: [],
    ...request,
  });
}

async function publishCrls(options: { revokeRoot?: boolean } = {}) {
  const now = Date.now();
  server.crls.set(
    'issuing',
    await issuingCrl({
      number: 7,
      revoked: [
        { serial: hexBytes(serialHex(revoked.certificate)), date: new Date(now - DAY), reason: 1 },
      ],
    }),
  );
  server.crls.set(
    'issuing-delta',
    await issuingCrl({ number: 8, deltaOf: 7, nextUpdate: new Date(now + HOUR) }),
  );
  server.crls.set(
    'root',
    await issueCrl({
      issuer: ca.rootIssuer,
      thisUpdate: new Date(now - HOUR),
      nextUpdate: new Date(now + 30 * DAY),
      number: 1,
      revoked: options.revokeRoot
        ? [{ serial: hexBytes(serialHex(ca.issuing)), date: new Date(now - HOUR) }]
        : [],
    }),
  );
}

function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

before(async () => {
  const started = await startRevocationServer();
  server = started.server;
  const base = server.base;
  ca = await makeTestCa(base);
  const urls = (crl: string) => ({
    crl: [crl],
    ocsp: [`${base}/ocsp/good`],
  });
  good = await ca.issueUser({
    ...urls(`${base}/crl/issuing`),
    deltaCrl: [`${base}/crl/issuing-delta`],
  });
  revoked = await ca.issueUser(urls(`${base}/crl/issuing`));
  slowCrl = await ca.issueUser(urls(`${base}/slow/crl/issuing`));
  garbageCrl = await ca.issueUser(urls(`${base}/garbage/crl/issuing`));
  downCrl = await ca.issueUser(urls(`${server.down}/crl/issuing`));
  noUrls = await ca.issueUser({});
  server.ocspStatus.set(serialHex(revoked.certificate), 'revoked');
  started.answerFor({
    ca: { cert: ca.issuing, key: ca.issuingKey },
    delegated: await ca.issueResponder(),
    rogue: await ca.issueResponder(ca.rootIssuer),
  });
  await publishCrls();
});

after(async () => {
  await server?.close();
});

describe('revocation by CRL', () => {
  it('accepts a certificate on neither the base nor the delta CRL', async () => {
    const user = await login(good, { mode: 'crl' });
    assert.equal(user.iin, '900625400121');
  });

  it('refuses a certificate on the CRL with CERT_REVOKED', async () => {
    await refused(login(revoked, { mode: 'crl' }), 'CERT_REVOKED', /keyCompromise/);
  });

  it('refuses a certificate listed only on the delta CRL', async () => {
    const now = Date.now();
    const delta = server.crls.get('issuing-delta')!;
    server.crls.set(
      'issuing-delta',
      await issuingCrl({
        number: 9,
        deltaOf: 7,
        revoked: [{ serial: hexBytes(serialHex(good.certificate)), date: new Date(now) }],
      }),
    );
    try {
      // A fresh checker: the delta above is not in any cache.
      await refused(login(good, { mode: 'crl' }), 'CERT_REVOKED', /delta/);
    } finally {
      server.crls.set('issuing-delta', delta);
    }
  });

  it('checks the CA certificates of the path too', async () => {
    await publishCrls({ revokeRoot: true });
    try {
      await refused(login(good, { mode: 'crl' }), 'CERT_REVOKED', /CA certificate 1/);
      // "leaf" scope asks only about the signer.
      await login(good, { mode: 'crl', scope: 'leaf' });
    } finally {
      await publishCrls();
    }
  });

  it('fails closed when the CRL server is slow, answers garbage, or is down', async () => {
    for (const key of [slowCrl, garbageCrl, downCrl, noUrls]) {
      await refused(login(key, { mode: 'crl' }), 'REVOCATION_UNKNOWN');
    }
  });

  it('fails closed when the delta CRL named by the certificate is missing', async () => {
    const delta = server.crls.get('issuing-delta')!;
    server.crls.delete('issuing-delta');
    try {
      await refused(login(good, { mode: 'crl' }), 'REVOCATION_UNKNOWN', /delta/);
    } finally {
      server.crls.set('issuing-delta', delta);
    }
  });

  it('refuses a stale CRL unless allowStaleCrl, and one signed by another key', async () => {
    const now = Date.now();
    const stale = await issuingCrl({
      thisUpdate: new Date(now - 10 * DAY),
      nextUpdate: new Date(now - DAY),
      number: 7,
    });
    await refused(
      login(noUrls, { mode: 'crl', scope: 'leaf', crls: [stale] }),
      'REVOCATION_UNKNOWN',
      /stale/,
    );
    await login(noUrls, { mode: 'crl', scope: 'leaf', crls: [stale], allowStaleCrl: true });
    const forged = await issuingCrl({
      issuer: { ...ca.issuer, privateKey: ca.rootIssuer.privateKey },
      number: 7,
    });
    await refused(
      login(noUrls, { mode: 'crl', scope: 'leaf', crls: [forged] }),
      'REVOCATION_UNKNOWN',
      /signature/,
    );
  });

  it('downloads a CRL once and keeps it until nextUpdate', async () => {
    const checker = new RevocationChecker({ mode: 'crl', scope: 'leaf' });
    const before = server.hits.get('/crl/issuing') ?? 0;
    for (let i = 0; i < 3; i++) {
      await login(good, { mode: 'crl' }, { revocation: checker });
    }
    assert.equal((server.hits.get('/crl/issuing') ?? 0) - before, 1);
    // Past nextUpdate it is fetched again (and still fresh on the server? no:
    // the served CRL is as stale then, so the login fails closed).
    await refused(
      login(good, { mode: 'crl' }, {
        revocation: checker,
        time: new Date(Date.now() + 2 * DAY),
      }),
      'REVOCATION_UNKNOWN',
    );
    assert.equal((server.hits.get('/crl/issuing') ?? 0) - before, 2);
  });

  it('a fetch that throws is "could not check", never an exception', async () => {
    const broken: FetchFunction = async () => {
      throw new TypeError('fetch failed');
    };
    await refused(login(good, { mode: 'crl', fetch: broken }), 'REVOCATION_UNKNOWN');
  });
});

describe('revocation by OCSP', () => {
  it('accepts a good answer signed by the CA, with our nonce', async () => {
    await login(good, { mode: 'ocsp', scope: 'leaf' });
  });

  it('accepts a good answer from a responder the CA delegated', async () => {
    await login(good, {
      mode: 'ocsp',
      scope: 'leaf',
      ocspUrl: `${server.base}/ocsp/delegated`,
    });
  });

  it('refuses a revoked certificate with CERT_REVOKED', async () => {
    await refused(login(revoked, { mode: 'ocsp', scope: 'leaf' }), 'CERT_REVOKED', /OCSP/);
  });

  for (const [behaviour, why] of [
    ['rogue', /not authorised/],
    ['slow', /no answer within/],
    ['garbage', /not an OCSP response/],
    ['wrong-nonce', /nonce/],
    ['no-nonce', /nonce/],
    ['stale', /stale/],
    ['try-later', /status 3/],
  ] as const) {
    it(`fails closed on a responder that is ${behaviour}`, async () => {
      await refused(
        login(good, {
          mode: 'ocsp',
          scope: 'leaf',
          ocspUrl: `${server.base}/ocsp/${behaviour}`,
        }),
        'REVOCATION_UNKNOWN',
        why,
      );
    });
  }

  it('fails closed on a responder that is down, or none named', async () => {
    await refused(
      login(good, { mode: 'ocsp', scope: 'leaf', ocspUrl: `${server.down}/ocsp` }),
      'REVOCATION_UNKNOWN',
    );
    await refused(login(noUrls, { mode: 'ocsp', scope: 'leaf' }), 'REVOCATION_UNKNOWN');
  });

  it('an unknown certificate is not good', async () => {
    server.ocspStatus.set(serialHex(good.certificate), 'unknown');
    try {
      await refused(login(good, { mode: 'ocsp', scope: 'leaf' }), 'REVOCATION_UNKNOWN');
    } finally {
      server.ocspStatus.delete(serialHex(good.certificate));
    }
  });
});

describe('verifyCms with revocation', () => {
  it('reports a revoked signer as not valid, and a good one as valid', async () => {
    const check = async (key: KeyEntry) => {
      const report = await verifyCms({
        cms: await signText(key, CHALLENGE),
        trustAnchors: [ca.root],
        intermediates: [ca.issuing],
        revocation: new RevocationChecker({ mode: 'crl', timeoutMs: 400 }),
      });
      return report.signers[0]!;
    };
    const bad = await check(revoked);
    assert.equal(bad.valid, false);
    assert.equal(bad.revocationValid, false);
    assert.equal(bad.error?.code, 'CERT_REVOKED');
    const fine = await check(good);
    assert.equal(fine.valid, true, fine.error?.message);
    assert.equal(fine.revocationValid, true);
  });
});

describe('revocation modes', () => {
  const downOcsp = () => `${server.down}/ocsp`;

  it('ocsp-then-crl falls back to the CRL when OCSP cannot answer', async () => {
    await login(good, { mode: 'ocsp-then-crl', ocspUrl: downOcsp() });
    await refused(
      login(revoked, { mode: 'ocsp-then-crl', ocspUrl: downOcsp() }),
      'CERT_REVOKED',
    );
  });

  it('crl-then-ocsp falls back to OCSP when the CRL cannot be had', async () => {
    await login(slowCrl, { mode: 'crl-then-ocsp', scope: 'leaf' });
  });

  it('a definite answer is not second-guessed by the next source', async () => {
    // The CRL says revoked; OCSP would say good, but is not asked.
    server.ocspStatus.delete(serialHex(revoked.certificate));
    try {
      await refused(login(revoked, { mode: 'crl-then-ocsp' }), 'CERT_REVOKED');
    } finally {
      server.ocspStatus.set(serialHex(revoked.certificate), 'revoked');
    }
  });

  it('both failing is REVOCATION_UNKNOWN, and "off" checks nothing', async () => {
    await refused(
      login(downCrl, { mode: 'ocsp-then-crl', ocspUrl: downOcsp() }),
      'REVOCATION_UNKNOWN',
      /OCSP.*;/,
    );
    await login(revoked, { mode: 'off' });
  });

  it('refuses an unknown mode at construction', () => {
    assert.throws(
      () => new RevocationChecker({ mode: 'sometimes' as 'off' }),
      /revocation mode/,
    );
  });
});

describe("NCA's published test CRLs", {
  skip: existsSync(NCA) ? false : `${NCA} is absent`,
}, () => {
  const file = (name: string) => new Uint8Array(readFileSync(join(NCA, name)));
  const offline: FetchFunction = async (url) => {
    throw new Error(`no network in tests (${url})`);
  };

  it('refuses the revoked NCA RSA AUTH key with CERT_REVOKED', async () => {
    const opened = await openKeyFile(file('rsa_individual_auth_revoked_2022.p12'), 'Qwerty12');
    const key = opened.keys[0]!;
    const options = {
      signature: await signText(key, CHALLENGE),
      expectedContent: new TextEncoder().encode(CHALLENGE),
      trustAnchors: [file('nca_rsa_test.crt')],
      acceptTestIins: true,
      time: new Date('2022-06-01T00:00:00Z'),
    };
    const checker = (extra: Partial<RevocationOptions>) =>
      new RevocationChecker({ mode: 'crl', fetch: offline, crls: [file('nca_rsa_test.crl')], ...extra });
    await refused(
      verifyLoginSignature({ ...options, revocation: checker({ allowStaleCrl: true }) }),
      'CERT_REVOKED',
    );
    // Without the test-only setting the 2022 CRL is too old to rely on.
    await refused(
      verifyLoginSignature({
        ...options,
        time: new Date('2026-01-01T00:00:00Z'),
        revocation: checker({}),
      }),
      'CERT_EXPIRED',
    );
  });

  it('accepts the valid NCA GOST key against the GOST base and delta CRLs', async () => {
    const opened = await openKeyFile(file('gost2015_individual_valid.p12'), 'Qwerty12');
    const key = opened.keys[0]!;
    const options = {
      signature: await signText(key, CHALLENGE),
      expectedContent: new TextEncoder().encode(CHALLENGE),
      trustAnchors: [file('root_gost_2022_test.cer')],
      intermediates: [file('nca_gost_2022_test.cer')],
      acceptTestIins: true,
      time: new Date('2026-12-01T00:00:00Z'),
    };
    const crls = [file('nca_gost_2022_test.crl'), file('nca_gost_2022_test_delta.crl')];
    // The root's CRL is not among the test files: the signer only.
    const checker = (extra: Partial<RevocationOptions>) =>
      new RevocationChecker({ mode: 'crl', scope: 'leaf', fetch: offline, crls, ...extra });
    const user = await verifyLoginSignature({
      ...options,
      revocation: checker({ allowStaleCrl: true }),
    });
    assert.equal(user.iin, '123456789011');
    await refused(
      verifyLoginSignature({ ...options, revocation: checker({}) }),
      'REVOCATION_UNKNOWN',
      /stale/,
    );
    // Without the delta the CA's freshest-CRL pointer cannot be honoured.
    await refused(
      verifyLoginSignature({
        ...options,
        revocation: new RevocationChecker({
          mode: 'crl',
          scope: 'leaf',
          fetch: offline,
          crls: [crls[0]!],
          allowStaleCrl: true,
        }),
      }),
      'REVOCATION_UNKNOWN',
      /delta/,
    );
  });
});
