// Weight: min+gzip of what a page loads before any key file is opened (the
// script-tag bundle, its static imports and the Kazakh messages), and of
// the crypto chunk loaded on the first key file; beside the peers a portal
// would use instead: ncalayer-js-client (talks to NCALayer), and
// node-forge (PKCS#12 and CMS in the page, what a hand-written page needs
// to do the same job without NCALayer).
//
//   npm run build:bundle && node --import tsx bench/weight.ts [--json]
//
// ncalayer-js-client is fetched with `npm pack` into a temporary folder
// outside the repository (it is no dependency of ours).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { localePartLoaders } from '../src/generated/locale-parts.js';

const DIST = resolve('dist');
const TARGET_PAGE = 25 * 1024;
const TARGET_CRYPTO = 100 * 1024;

interface Weight {
  name: string;
  files: string[];
  min: number;
  gzip: number;
}

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Static imports of a built chunk, as files under dist/. */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const pattern = /(?:^|[;}])\s*import\s*[^("']*?["']([^"']+)["']/g;
  const found = [...code.matchAll(pattern)];
  return found.map((m) => resolve(dirname(file), m[1]!));
}

function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const next of staticImports(entry)) closure(next, seen);
  return seen;
}

function weigh(name: string, files: Iterable<string>): Weight {
  const list = [...files];
  let min = 0;
  let zipped = 0;
  for (const file of list) {
    const bytes = readFileSync(file);
    min += bytes.length;
    zipped += gzip(bytes);
  }
  const names = list.map((f) => f.slice(DIST.length + 1));
  return { name, files: names, min, gzip: zipped };
}

/** A locale's first messages chunk, not one of its parts' (kk-egov-…). */
function localeChunk(locale: string): string {
  const parts = Object.keys(localePartLoaders.kk);
  const name = readdirSync(join(DIST, 'chunks')).find(
    (f) =>
      f.startsWith(`${locale}-`) &&
      f.endsWith('.js') &&
      !parts.some((part) => f.startsWith(`${locale}-${part}-`)),
  );
  if (!name) throw new Error(`No ${locale} chunk: npm run build:bundle`);
  return join(DIST, 'chunks', name);
}

function chunk(prefix: string): string {
  const name = readdirSync(join(DIST, 'chunks')).find(
    (f) => f.startsWith(prefix) && f.endsWith('.js'),
  );
  if (!name) throw new Error(`No ${prefix} chunk: npm run build:bundle`);
  return join(DIST, 'chunks', name);
}

/** One minified ES module of `source`, bundled for the browser. */
async function bundle(name: string, source: string, dir: string) {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // forge reaches for Node's crypto when present; a browser has none.
    external: ['crypto'],
  });
  const bytes = result.outputFiles[0]!.contents;
  return { name, files: [], min: bytes.length, gzip: gzip(bytes) };
}

async function peers(): Promise<Weight[]> {
  const out: Weight[] = [];
  const temp = mkdtempSync(join(tmpdir(), 'qoltanba-weight-'));
  try {
    execFileSync('npm', ['pack', 'ncalayer-js-client', '--silent'], {
      cwd: temp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = readdirSync(temp).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', tarball], { cwd: temp });
    const pkgDir = join(temp, 'package');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const entry = pkg.module ?? pkg.main ?? 'index.js';
    out.push(
      await bundle(
        `ncalayer-js-client ${pkg.version} (whole package)`,
        `export * from './${entry}';`,
        pkgDir,
      ),
    );
  } catch (error) {
    console.error(`ncalayer-js-client not measured: ${String(error)}`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const forgeVersion = JSON.parse(
    readFileSync('node_modules/node-forge/package.json', 'utf8'),
  ).version;
  out.push(
    await bundle(
      `node-forge ${forgeVersion} (whole library)`,
      "export { default } from 'node-forge';",
      resolve('.'),
    ),
  );
  out.push(
    await bundle(
      `node-forge ${forgeVersion} (PKCS#12 + PKCS#7 modules only)`,
      [
        "import forge from 'node-forge/lib/forge.js';",
        "import 'node-forge/lib/pkcs12.js';",
        "import 'node-forge/lib/pkcs7.js';",
        'export default forge;',
      ].join('\n'),
      resolve('.'),
    ),
  );
  return out;
}

const entry = join(DIST, 'qoltanba.js');
const pageFiles = closure(entry);
const page = weigh('page before a key file (qoltanba.js + kk messages)', [
  ...pageFiles,
  localeChunk('kk'),
]);
const entryOnly = weigh(
  'qoltanba.js alone (English, no messages chunk)',
  pageFiles,
);
const cryptoFiles = [...closure(chunk('key-file-signer-'))].filter(
  (f) => !pageFiles.has(f),
);
const crypto = weigh('crypto chunk (on the first key file)', cryptoFiles);

// What loads later, on demand, each with its Kazakh messages.
const onDemand = [
  ['keys', 'eds-login-keys-', 'key list (with the crypto chunk)'],
  ['ncalayer', 'eds-login-ncalayer-', 'NCALayer source, when chosen'],
  ['egov', 'eds-login-egov-', 'eGov QR source (with the QR library)'],
  ['email', 'eds-login-email-', 'first-login email step'],
  ['errors', 'error-details-', 'error sentences, on the first error'],
].map(([part, prefix, what]) =>
  weigh(`${what}: ${prefix}*.js + kk-${part}`, [
    ...[...closure(chunk(prefix!))].filter(
      (f) => !pageFiles.has(f) && !cryptoFiles.includes(f),
    ),
    chunk(`kk-${part}-`),
  ]),
);
const others = await peers();

const kb = (n: number) => (n / 1024).toFixed(1);
if (process.argv.includes('--json')) {
  const all = { page, entryOnly, crypto, onDemand, peers: others };
  console.log(JSON.stringify(all, null, 2));
} else {
  console.log('| script | min KB | min+gzip KB |');
  console.log('|---|---:|---:|');
  for (const w of [page, entryOnly, crypto, ...onDemand, ...others]) {
    console.log(`| ${w.name} | ${kb(w.min)} | ${kb(w.gzip)} |`);
  }
  console.log('');
  console.log(
    `page: ${kb(page.gzip)} KB of ${kb(TARGET_PAGE)} KB target ` +
      `(${((page.gzip / TARGET_PAGE) * 100).toFixed(0)} %); crypto: ` +
      `${kb(crypto.gzip)} KB of ${kb(TARGET_CRYPTO)} KB ` +
      `(${((crypto.gzip / TARGET_CRYPTO) * 100).toFixed(0)} %)`,
  );
  for (const peer of others) {
    console.log(
      `page / ${peer.name}: ${(page.gzip / peer.gzip).toFixed(2)}; ` +
        `page + crypto / it: ${(
          (page.gzip + crypto.gzip) / peer.gzip
        ).toFixed(2)}`,
    );
  }
}
