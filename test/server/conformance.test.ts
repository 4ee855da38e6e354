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
  strangerKey,
  TRUSTED_KEY_CASES,
  type Target,
} from '../conformance/cases.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import { startServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer;
let target: Target;
let stranger: KeyEntry;

before(async () => {
  const pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  server = await startServer({
    trustAnchors: pki.trustAnchors,
    allowedOrigins: ['http://localhost:8080'],
    // The suite compares expiresAt with the real clock.
    testing: { now: () => new Date() },
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
  };
  stranger = await strangerKey();
});

after(async () => {
  await server?.close();
});

test('the suite has a case for every bad input of the issue', () => {
  assert.ok(CONFORMANCE_CASES.length >= 25, String(CONFORMANCE_CASES.length));
});

for (const item of [...CONFORMANCE_CASES, ...TRUSTED_KEY_CASES]) {
  test(item.name, () => item.run(target, stranger));
}
