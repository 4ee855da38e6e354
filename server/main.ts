/**
 * Starts the reference backend: `tsx server/main.ts [options]` (npm start).
 * In demo mode (the default) it also makes the demo PKI and the demo
 * families on first start, and says where the demo key files are.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { RevocationChecker } from '../src/crypto/revocation/index.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type ServerConfig, USAGE } from './config.js';
import { seedDemoData } from './demo-seed.js';
import { ensureDemoPki, type DemoPki } from './pki/demo-pki.js';
import { DemoRegistry } from './registry/demo-registry.js';
import { openDatabase, SqliteStore } from './store/sqlite-store.js';
import { loadTrustAnchors } from './trust-anchors.js';

/**
 * The revocation checker the config asks for, with its CRL files and, in
 * demo mode, the demo CAs' CRLs.
 */
async function revocationChecker(
  config: ServerConfig,
  pki: DemoPki | undefined,
): Promise<RevocationChecker> {
  const { mode, crlDir, ocspUrl, timeoutMs } = config.revocation;
  const crls: Uint8Array[] = [];
  if (crlDir) {
    for (const name of (await readdir(crlDir)).sort()) {
      if (extname(name).toLowerCase() !== '.crl') continue;
      crls.push(new Uint8Array(await readFile(join(crlDir, name))));
    }
    console.log(`Using ${crls.length} CRL file(s) from ${crlDir}`);
  }
  if (pki && mode !== 'off') {
    // Handed over directly, so that the check does not depend on the
    // certificates' URL naming this very server (a PORT changed since
    // they were made). Once these run out, after a week, the checker
    // downloads fresh ones from that URL like any CRL.
    const demoCrls = await pki.currentCrls();
    crls.push(...demoCrls.map((crl) => crl.der));
    console.log(
      `Checking revocation of demo keys with the demo CRLs, published at ` +
        demoCrls.map((crl) => pki.crlBaseUrl + crl.name).join(' and '),
    );
  }
  if (mode === 'off') {
    console.warn(
      [
        '',
        '*** Revocation checking is OFF: revoked certificates can log in.',
        '*** Set QOLTANBA_REVOCATION=ocsp-then-crl (the default) and,',
        '*** if need be, QOLTANBA_CRL_DIR.',
        '',
      ].join('\n'),
    );
  }
  return new RevocationChecker({
    mode,
    crls,
    timeoutMs,
    ...(ocspUrl ? { ocspUrl } : {}),
  });
}

function readConfig(): ServerConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const help = error.message === USAGE;
    (help ? console.log : console.error)(error.message);
    process.exit(help ? 0 : 2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  await mkdir(config.dataDir, { recursive: true });

  let pki: DemoPki | undefined;
  if (config.demo) {
    console.log(`Preparing the demo PKI in ${join(config.dataDir, 'pki')}…`);
    pki = await ensureDemoPki(join(config.dataDir, 'pki'), {
      publicOrigin: config.publicOrigin,
      log: (line) => console.log(line),
    });
  }
  const trustAnchors = [...(pki?.trustAnchors ?? [])];
  if (config.trustAnchorsDir) {
    const extra = await loadTrustAnchors(config.trustAnchorsDir);
    console.log(
      `Trusting ${extra.length} CA certificate(s) from ${config.trustAnchorsDir}`,
    );
    trustAnchors.push(...extra);
  }
  if (trustAnchors.length === 0) {
    console.error(
      'No trust anchors: nobody could log in. Give --trust-anchors DIR ' +
        '(or QOLTANBA_TRUST_ANCHORS), or run in demo mode.',
    );
    process.exit(2);
  }

  const db = openDatabase(join(config.dataDir, 'qoltanba.sqlite'));
  const store = new SqliteStore(db);
  // TODO(server): a client for the real population registry; until then the
  // demo table answers kinship questions in every mode.
  const registry = new DemoRegistry(db);
  if (config.demo) await seedDemoData(store, registry);

  const app = await buildApp({
    store,
    registry,
    trustAnchors,
    publicOrigin: config.publicOrigin,
    allowedOrigins: config.allowedOrigins,
    acceptTestIins: config.demo,
    revocation: await revocationChecker(config, pki),
    acceptLegalEntityKeys: config.acceptLegalEntityKeys,
    clockSkewMs: config.clockSkewMs,
    challengeLifetimeMs: config.challengeLifetimeMs,
    sessionLifetimeMs: config.sessionLifetimeMs,
    cookieSameSite: config.cookieSameSite,
    cookieSecure: config.cookieSecure,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    rateLimitPerMinute: config.rateLimitPerMinute,
    logLevel: config.logLevel,
    ...(pki ? { demo: pki } : {}),
  });

  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    await store.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });

  const lines = [
    '',
    `Qoltanba demo portal: ${config.publicOrigin}/`,
    `Allowed origins: ${config.allowedOrigins.join(', ')}`,
  ];
  if (pki) {
    lines.push(
      `Demo key files (password ${pki.password}):`,
      ...pki.people.map((p) => `  ${p.kind.padEnd(12)} ${p.keyFile}`),
      config.revocation.mode === 'off'
        ? 'Revocation is off: the revoked-auth key logs in too.'
        : 'The revoked-auth key is on the demo CRL: refused (CERT_REVOKED).',
      'Demo mode: NCA test IINs are accepted. Not for production.',
    );
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
