/**
 * Runs the fake NCALayers the browser tests need, as a child process of
 * the test runner (whose config cannot load TypeScript): one with a
 * certificate the test browser trusts (by SPKI), one with a certificate it
 * does not, a server that never answers, and a port where nothing listens.
 * Prints one JSON line with their ports, then serves until killed. It
 * signs with the demo PKI's RSA login key of ЖАНДОСОВ ЕРЛАН (850115300011).
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoPki } from '../../server/pki/demo-pki.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import {
  closedPort,
  startFakeNcaLayer,
  startSilentServer,
} from './fake-ncalayer.js';

const dir = join(tmpdir(), 'qoltanba-fake-ncalayer-pki');
mkdirSync(dir, { recursive: true });
const pki = await ensureDemoPki(dir);
const person = pki.people.find(
  (p) => p.kind === 'auth' && p.algorithm === 'rsa',
)!;
const opened = await openKeyFile(
  new Uint8Array(await readFile(person.keyFile)),
  pki.password,
);
const key = opened.keys[0]!;
const sign = (content: Uint8Array) => signCms(content, key);

const trusted = await startFakeNcaLayer(sign);
const untrusted = await startFakeNcaLayer(sign);
const silent = await startSilentServer();
const closed = await closedPort();

process.stdout.write(
  JSON.stringify({
    trusted: trusted.port,
    untrusted: untrusted.port,
    silent: silent.port,
    closed,
    spki: trusted.spki,
  }) + '\n',
);
process.on('SIGTERM', () => process.exit(0));
