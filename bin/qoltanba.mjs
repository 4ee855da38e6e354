#!/usr/bin/env node
// The `qoltanba` command (src/cli/main.ts). The CLI is not part of the
// built library (tsconfig.build.json leaves it out), so it runs from its
// TypeScript source through tsx's loader, scoped to this one import.
let tsImport;
try {
  ({ tsImport } = await import('tsx/esm/api'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error(
    'qoltanba: the CLI runs its TypeScript source through tsx, which is ' +
      'not installed here. Install it beside qoltanba (npm install tsx).',
  );
  process.exit(70);
}

const { main, processIo } = await tsImport(
  '../src/cli/main.ts',
  import.meta.url,
);
process.exitCode = await main(process.argv.slice(2), processIo());
