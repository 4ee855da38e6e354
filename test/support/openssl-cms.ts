/**
 * OpenSSL as an independent check of CMS output: `openssl cms -verify`
 * on the signature alone (no chain: -noverify), giving back the content
 * it found attached.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why OpenSSL tests are skipped here, or false when it is installed. */
export const noOpenssl =
  spawnSync('openssl', ['version']).status === 0
    ? (false as const)
    : 'the openssl CLI is not installed';

/** Runs `openssl cms -verify` on a DER CMS; throws with its stderr. */
export function opensslCmsContent(der: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'qoltanba-cms-'));
  try {
    writeFileSync(join(dir, 'x.der'), der);
    const result = spawnSync('openssl', [
      'cms', '-verify', '-inform', 'DER', '-in', join(dir, 'x.der'),
      '-noverify', '-binary',
    ]);
    if (result.status !== 0) {
      throw new Error(`openssl cms -verify failed: ${result.stderr}`);
    }
    return new Uint8Array(result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
