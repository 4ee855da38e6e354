/**
 * Settings from flags and environment, and trust anchors from a folder.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { toPem } from '../../src/crypto/pem.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { ensureDemoPki } from '../../server/pki/demo-pki.js';
import { loadTrustAnchors } from '../../server/trust-anchors.js';
import { tempDir } from './helpers.js';

test('defaults: demo mode on localhost:8080', () => {
  const config = loadConfig([], {});
  assert.equal(config.port, 8080);
  assert.equal(config.host, 'localhost');
  assert.equal(config.publicOrigin, 'http://localhost:8080');
  assert.deepEqual(config.allowedOrigins, [
    'http://localhost:8080',
    'http://127.0.0.1:8080',
  ]);
  assert.equal(config.demo, true);
  assert.equal(config.challengeLifetimeMs, 300_000);
  assert.equal(config.cookieSameSite, 'lax');
  assert.equal(config.cookieSecure, false);
  assert.equal(config.trustAnchorsDir, null);
  assert.match(config.dataDir, /demo-data$/);
});

test('a flag wins over its environment variable', () => {
  const config = loadConfig(
    ['--port', '9000', '--no-demo', '--trust-anchors', '/etc/nca'],
    {
      PORT: '7000',
      QOLTANBA_DEMO: '1',
      QOLTANBA_ALLOWED_ORIGINS: 'https://portal.example.kz/, https://a.kz',
      QOLTANBA_COOKIE_SAMESITE: 'Strict',
      QOLTANBA_CHALLENGE_TTL_SECONDS: '60',
    },
  );
  assert.equal(config.port, 9000);
  assert.equal(config.demo, false);
  assert.equal(config.trustAnchorsDir, '/etc/nca');
  assert.deepEqual(config.allowedOrigins, [
    'https://portal.example.kz',
    'https://a.kz',
  ]);
  assert.equal(config.cookieSameSite, 'strict');
  assert.equal(config.challengeLifetimeMs, 60_000);
});

test('bad settings stop the start with the setting named', () => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--port', 'x'], {}, /PORT/],
    [[], { QOLTANBA_ALLOWED_ORIGINS: 'https://a.kz/path' }, /origin only/],
    [[], { QOLTANBA_ALLOWED_ORIGINS: 'ftp://a.kz' }, /not http/],
    [[], { QOLTANBA_COOKIE_SAMESITE: 'none' }, /SECURE/],
    [[], { QOLTANBA_DEMO: 'maybe' }, /QOLTANBA_DEMO/],
    [[], { QOLTANBA_LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [['--unknown'], {}, /unknown/i],
  ];
  for (const [argv, env, message] of cases) {
    assert.throws(() => loadConfig(argv, env), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('trust anchors: DER and PEM files, several per PEM', async () => {
  const dir = await tempDir('anchors');
  const pki = await ensureDemoPki(join(dir, 'pki'));
  await writeFile(join(dir, 'root.der'), pki.rootCertificate);
  await writeFile(
    join(dir, 'bundle.pem'),
    toPem('CERTIFICATE', pki.issuingCertificate) +
      toPem('CERTIFICATE', pki.rootCertificate),
  );
  await writeFile(join(dir, 'notes.txt'), 'not a certificate');
  const anchors = await loadTrustAnchors(dir);
  assert.equal(anchors.length, 3);
  assert.deepEqual(anchors[0], pki.issuingCertificate);

  await writeFile(join(dir, 'broken.crt'), 'hello');
  await assert.rejects(loadTrustAnchors(dir), /broken\.crt/);
});

test('revocation: checked by default, in demo mode too', () => {
  // The demo CAs publish CRLs, so demo mode checks as production does.
  assert.equal(loadConfig([], {}).revocation.mode, 'ocsp-then-crl');
  assert.equal(
    loadConfig(['--revocation', 'off'], {}).revocation.mode,
    'off',
  );
  const production = loadConfig(['--no-demo'], {});
  assert.equal(production.revocation.mode, 'ocsp-then-crl');
  assert.equal(production.revocation.timeoutMs, 5000);
  const configured = loadConfig(['--revocation', 'crl'], {
    QOLTANBA_CRL_DIR: '/srv/crl',
    QOLTANBA_OCSP_URL: 'http://ocsp.example.kz/',
    QOLTANBA_REVOCATION_TIMEOUT_MS: '2000',
  });
  assert.deepEqual(configured.revocation, {
    mode: 'crl',
    crlDir: '/srv/crl',
    ocspUrl: 'http://ocsp.example.kz/',
    timeoutMs: 2000,
  });
  assert.equal(
    loadConfig([], { QOLTANBA_REVOCATION: 'ocsp' }).revocation.mode,
    'ocsp',
  );
  assert.throws(
    () => loadConfig(['--revocation', 'sometimes'], {}),
    (e: unknown) => e instanceof ConfigError && /QOLTANBA_REVOCATION/.test(e.message),
  );
  assert.throws(
    () => loadConfig([], { QOLTANBA_OCSP_URL: 'ldap://x' }),
    ConfigError,
  );
});

test('legal entity keys refused and 60 s clock skew by default', () => {
  const config = loadConfig([], {});
  assert.equal(config.acceptLegalEntityKeys, false);
  assert.equal(config.clockSkewMs, 60_000);
  const set = loadConfig([], {
    QOLTANBA_LEGAL_ENTITY_KEYS: '1',
    QOLTANBA_CLOCK_SKEW_SECONDS: '0',
  });
  assert.equal(set.acceptLegalEntityKeys, true);
  assert.equal(set.clockSkewMs, 0);
  assert.throws(
    () => loadConfig([], { QOLTANBA_CLOCK_SKEW_SECONDS: '3600' }),
    ConfigError,
  );
});
