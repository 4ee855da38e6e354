import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, findChromium } from './test/support/chromium.mjs';

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

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  middleware: [serveNcaTestPki],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
};
