/**
 * npm run conformance -- --base-url https://portal.example.kz/api
 *   [--origin https://portal.example.kz]
 *
 * Checks a backend, whatever it is written in, against the behaviour of
 * the reference server: typed 4xx with stable codes for every bad input,
 * the CSRF and origin guards, single-use challenges. Prints one TAP line
 * per case and exits 1 when any case fails.
 */
import { parseArgs } from 'node:util';
import { runConformance } from './cases.js';

const USAGE =
  'Usage: npm run conformance -- --base-url URL [--origin ORIGIN]\n' +
  '  --base-url  the backend URL the elements are given (…/api)\n' +
  '  --origin    an origin the backend allows (default: the URL’s own)';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'base-url': { type: 'string' },
        origin: { type: 'string' },
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
  const results = await runConformance({ baseUrl, origin });
  console.log('TAP version 13');
  console.log(`1..${results.length}`);
  results.forEach((result, i) => {
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
  console.log(`# ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
