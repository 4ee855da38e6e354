/**
 * The conformance suite (test/conformance) against the reference server:
 * what a portal's own backend is measured by, the reference must pass.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureDemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import {
  CONFORMANCE_CASES,
  EGOV_CASES,
  EXPIRY_CASES,
  strangerKey,
  TRUSTED_KEY_CASES,
  type Target,
} from '../conformance/cases.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import { startServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer;
let target: Target;
let stranger: KeyEntry;
/** How far the server's clock is ahead of the real one. */
let offset = 0;

before(async () => {
  const pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    allowedOrigins: ['http://localhost:8080'],
    // The suite compares expiresAt with the real clock; only the expiry
    // case, run last, moves the server's clock ahead.
    testing: { now: () => new Date(Date.now() + offset) },
  });
  const person = pki.people.find((p) => p.kind === 'auth')!;
  const opened = await openKeyFile(
    new Uint8Array(await readFile(person.keyFile)),
    pki.password,
  );
  target = {
    baseUrl: `${server.base}/api`,
    origin: 'http://localhost:8080',
    trustedKey: opened.keys[0]!,
    // The server names its public origin in the QR; it listens here.
    reach: (url) => url.replace(server.origin, server.base),
    passTime: async (expiresAt) => {
      offset = expiresAt.getTime() - Date.now() + 1000;
    },
  };
  stranger = await strangerKey();
});

after(async () => {
  await server?.close();
});

test('the suite has a case for every bad input of the issue', () => {
  assert.ok(CONFORMANCE_CASES.length >= 25, String(CONFORMANCE_CASES.length));
});

const ALL = [
  ...CONFORMANCE_CASES,
  ...EGOV_CASES,
  ...TRUSTED_KEY_CASES,
  ...EXPIRY_CASES,
];
for (const item of ALL) {
  test(item.name, () => item.run(target, stranger));
}
