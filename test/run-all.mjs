// `npm test`: every suite in order, stopping at the first that fails. The
// browser is looked for first, so a machine without one stops at once with
// the command that installs it.
import { spawnSync } from 'node:child_process';
import { findChromium } from './support/chromium.mjs';

try {
  findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const suites = [
  'test:unit',
  'test:server',
  'test:browser',
  'test:e2e',
  'test:package',
];
for (const suite of suites) {
  console.log(`\n=== npm run ${suite}`);
  const { status } = spawnSync('npm', ['run', '--silent', suite], {
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`\n${suite} failed (exit ${status}).`);
    process.exit(status ?? 1);
  }
}
