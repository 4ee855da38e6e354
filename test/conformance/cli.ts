/**
 * npm run conformance -- --base-url https://portal.example.kz/api
 *   [--origin https://portal.example.kz] [--key-file KEY.p12 --password P]
 *   [--wait-for-expiry]
 *
 * Checks a backend, whatever it is written in, against the behaviour of
 * the reference server: typed 4xx with stable codes for every bad input,
 * the CSRF and origin guards, single-use challenges, the eGov mobile QR
 * routes. With a key file the backend trusts (a test key), also a login,
 * a race and a logout, by key file and by the eGov app. With
 * --wait-for-expiry, also an expired eGov session (it waits the session's
 * lifetime out, 5 minutes on the reference server). Prints
 * one TAP line per case and exits 1 when any case fails.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { runConformance } from './cases.js';

const USAGE =
  'Usage: npm run conformance -- --base-url URL [--origin ORIGIN]\n' +
  '  --base-url  the backend URL the elements are given (…/api)\n' +
  '  --origin    an origin the backend allows (default: the URL’s own)\n' +
  '  --key-file  a .p12 login key the backend trusts (optional)\n' +
  '  --password  its password\n' +
  '  --wait-for-expiry  wait out an eGov session to check its expiry';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'base-url': { type: 'string' },
        origin: { type: 'string' },
        'key-file': { type: 'string' },
        password: { type: 'string' },
        'wait-for-expiry': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const baseUrl = values['base-url'];
  if (values.help || !baseUrl) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const origin = values.origin ?? new URL(baseUrl).origin;
  const keyFile = values['key-file'];
  const trustedKey = keyFile
    ? (
        await openKeyFile(
          new Uint8Array(await readFile(keyFile)),
          values.password ?? '',
        )
      ).keys[0]
    : undefined;
  // The real clock: the backend's is assumed to agree within a second.
  const passTime = async (expiresAt: Date) => {
    const wait = expiresAt.getTime() - Date.now() + 2000;
    console.error(`# waiting ${Math.ceil(wait / 1000)} s for an expiry`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  };
  const results = await runConformance({
    baseUrl,
    origin,
    ...(trustedKey ? { trustedKey } : {}),
    ...(values['wait-for-expiry'] ? { passTime } : {}),
  });
  console.log('TAP version 13');
  console.log(`1..${results.length}`);
  results.forEach((result, i) => {
    if (result.skipped) {
      console.log(`ok ${i + 1} - ${result.name} # SKIP ${result.skipped}`);
      return;
    }
    if (!result.error) {
      console.log(`ok ${i + 1} - ${result.name}`);
      return;
    }
    console.log(`not ok ${i + 1} - ${result.name}`);
    for (const line of result.error.message.split('\n')) {
      console.log(`  # ${line}`);
    }
  });
  const failed = results.filter((r) => r.error).length;
  const skipped = results.filter((r) => r.skipped).length;
  const passed = results.length - failed - skipped;
  console.log(`# ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
