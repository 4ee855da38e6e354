/**
 * What the page loads for the key-file path, checked on every test run:
 * nothing the page imports, statically or through import(), may reach
 * pkijs (the server's verifier alone uses it), and opening a key file
 * must stay within issue #7's budget of 100 KB min+gzip.
 *
 * esbuild stands in for the rollup build here because it takes a second
 * instead of fifteen; both split at the same import() calls, and their
 * minified chunks differ by a few per cent.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type OutputFile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE_ENTRY = 'src/define/index.ts';
const KEY_FILE_ENTRY = 'src/crypto/key-file-signer.ts';
const BUDGET_BYTES = 100_000;
const SERVER_ONLY = /node_modules\/(pkijs|bytestreamjs)\//;

interface PageBuild {
  metafile: Metafile;
  /** The outputs by file name (metafile paths are relative, these not). */
  files: Map<string, OutputFile>;
}

async function buildPage(): Promise<PageBuild> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir: 'page-build', // nothing is written: write is false
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map<string, OutputFile>();
  for (const file of result.outputFiles) {
    files.set(basename(file.path), file);
  }
  return { metafile: result.metafile, files };
}

/** An output and every chunk it imports statically, transitively. */
function withStaticImports(metafile: Metafile, output: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(output);
  return seen;
}

describe('the page bundle', () => {
  let page: PageBuild;
  before(async () => {
    page = await buildPage();
  });

  it('reaches pkijs from nowhere, statically or through import()', () => {
    const offenders = Object.entries(page.metafile.outputs).flatMap(
      ([output, { inputs }]) =>
        Object.keys(inputs)
          .filter((input) => SERVER_ONLY.test(input))
          .map((input) => `${output} <- ${input}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('opens a key file within 100 KB min+gzip', () => {
    const outputs = Object.entries(page.metafile.outputs);
    const entry = outputs.find(([, o]) => o.entryPoint === PAGE_ENTRY);
    const keyFile = outputs.find(([, o]) => o.entryPoint === KEY_FILE_ENTRY);
    assert.ok(entry && keyFile, 'entry or key-file chunk not found');
    const loadedAlready = withStaticImports(page.metafile, entry[0]);
    const loadedOnOpen = [...withStaticImports(page.metafile, keyFile[0])]
      .filter((path) => !loadedAlready.has(path));
    const gzipped = loadedOnOpen.map((path) => {
      const file = page.files.get(basename(path));
      assert.ok(file, `no output ${path}`);
      return gzipSync(file.contents, { level: 9 }).length;
    });
    const total = gzipped.reduce((sum, n) => sum + n, 0);
    assert.ok(
      total <= BUDGET_BYTES,
      `opening a key file loads ${total} bytes gzip: ${loadedOnOpen}`,
    );
  });
});
