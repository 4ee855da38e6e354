import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { basename, resolve } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, findChromium } from './test/support/chromium.mjs';
import { reactEsm } from './test/support/react-esm.mjs';

// NCA's test files live outside the repository; browser tests fetch them
// from /__nca-test-pki/<name> and skip when the folder is absent (404).
const NCA_TEST_PKI = resolve('../shared/nca-test-pki');

function serveNcaTestPki(context, next) {
  const prefix = '/__nca-test-pki/';
  if (!context.path.startsWith(prefix)) return next();
  const file = resolve(NCA_TEST_PKI, basename(context.path.slice(prefix.length)));
  if (!existsSync(file)) {
    context.status = 404;
    return undefined;
  }
  context.type = 'application/octet-stream';
  context.body = createReadStream(file);
  return undefined;
}

// Fake NCALayers for the NCALayer tests (test/support/fake-ncalayer.ts),
// in a child process because this config cannot load TypeScript. The
// browser trusts the certificate of `trusted` by its SPKI hash, as a user's
// browser trusts NCALayer's, and not that of `untrusted`.
async function startFakeNcaLayers() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/fake-ncalayer-main.ts'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.on('exit', () => child.kill());
  const [line] = await once(child.stdout, 'data');
  return JSON.parse(String(line));
}
const fakeNcaLayers = await startFakeNcaLayers();

function serveFakeNcaLayers(context, next) {
  if (context.path !== '/__fake-ncalayer.json') return next();
  context.type = 'application/json';
  context.body = JSON.stringify(fakeNcaLayers);
  return undefined;
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  middleware: [serveNcaTestPki, serveFakeNcaLayers],
  plugins: [
    // react and react-dom are CommonJS: served as ES modules for react.test.
    reactEsm(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChromium(),
        args: [
          ...CHROMIUM_ARGS,
          `--ignore-certificate-errors-spki-list=${fakeNcaLayers.spki}`,
        ],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
};
