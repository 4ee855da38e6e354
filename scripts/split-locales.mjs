// Splits each locale's generated messages (src/generated/locales/kk.ts,
// ru.ts, written by `lit-localize build`) into the messages the page needs
// at once and one module per lazily loaded part (of <eds-login>, and the
// error sentences of src/messages/error-details.ts), so that a
// Kazakh or Russian page does not download the translations of NCALayer's
// help or the eGov QR step before anyone chooses them (#7).
//
// A message moves to a part only when every msg() call with its id is in
// that part's files; a message shared with anything else stays in the
// first module. Idempotent: it reads the part modules back before
// splitting again, so running it twice changes nothing.
//
//   node scripts/split-locales.mjs          (run by `npm run localize:build`)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';
// lit-localize's own extractor, by deep import: it has no public API for
// "which file uses which message". Checked with @lit/localize-tools 0.8;
// run only by `npm run localize:build`, never by the tests or the build.
import { extractMessagesFromProgram } from '@lit/localize-tools/lib/program-analysis.js';
import { readTsConfig } from '@lit/localize-tools/lib/typescript.js';

// The TypeScript that lit-localize's extractor was built with: its syntax
// trees must come from the same compiler (the project's own is 7.x).
const ts = createRequire(
  createRequire(import.meta.url).resolve('@lit/localize-tools/package.json'),
)('typescript');

const root = resolve(import.meta.dirname, '..');
const localesDir = resolve(root, 'src/generated/locales');
const config = JSON.parse(readFileSync(resolve(root, 'lit-localize.json')));

/** Each part's source files: what its import() brings and nothing else. */
const PARTS = {
  keys: ['eds-login-keys.ts', 'key-check.ts'],
  ncalayer: ['eds-login-ncalayer.ts'],
  egov: ['eds-login-egov.ts', 'egov-qr.ts'],
  email: ['eds-login-email.ts'],
  errors: ['error-details.ts'],
};

/** Which files use each message id. */
function filesById() {
  const { fileNames, options } = readTsConfig(
    resolve(root, config.tsConfig),
  );
  const program = ts.createProgram(fileNames, options);
  const checker = program.getTypeChecker();
  const files = new Map();
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile) continue;
    if (!source.fileName.startsWith(resolve(root, 'src'))) continue;
    // One file at a time: the extractor keeps only the first place of a
    // message that several files share, and that is what we need to know.
    const oneFile = {
      getSourceFiles: () => [source],
      getTypeChecker: () => checker,
    };
    for (const message of extractMessagesFromProgram(oneFile).messages) {
      const seen = files.get(message.name) ?? new Set();
      seen.add(basename(source.fileName));
      files.set(message.name, seen);
    }
  }
  return files;
}

/** The part a message belongs to, or null for the first module. */
function partOf(usedIn) {
  for (const [part, partFiles] of Object.entries(PARTS)) {
    if ([...usedIn].every((file) => partFiles.includes(file))) return part;
  }
  return null;
}

const ENTRY = /^\s*'([^']+)': /;

/** The entries of a generated module, by id. */
function readModule(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const open = lines.findIndex((line) => line.includes('export const templates = {'));
  const close = lines.findLastIndex((line) => line.trim() === '};');
  const entries = new Map();
  let id = null;
  for (const line of lines.slice(open + 1, close)) {
    const start = ENTRY.exec(line);
    if (start) {
      id = start[1];
      entries.set(id, line.trimStart());
    } else if (id) {
      // A translation that spans lines.
      entries.set(id, `${entries.get(id)}\n${line}`);
    }
  }
  return entries;
}

function writeModule(path, entries) {
  const body = [...entries.values()].join('\n');
  // Import only the tags this module's messages use (an unused import
  // fails the type check).
  const imports = [
    /: str`/.test(body) && "import { str } from '@lit/localize';",
    /: html`/.test(body) && "import { html } from 'lit';",
  ].filter(Boolean);
  writeFileSync(
    path,
    [
      '// Do not modify this file by hand! Re-generate it with',
      '// `npm run localize:build` (lit-localize, then split-locales.mjs).',
      ...imports,
      '',
      '/* eslint-disable no-irregular-whitespace */',
      'export const templates = {',
      body,
      '};',
      '',
    ].join('\n'),
  );
}

const usage = filesById();
const partNames = Object.keys(PARTS);
for (const locale of config.targetLocales) {
  const main = resolve(localesDir, `${locale}.ts`);
  const entries = readModule(main);
  for (const part of partNames) {
    const path = resolve(localesDir, `${locale}-${part}.ts`);
    if (existsSync(path)) {
      for (const [id, entry] of readModule(path)) entries.set(id, entry);
    }
  }
  const split = { main: new Map() };
  for (const part of partNames) split[part] = new Map();
  for (const [id, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    const used = usage.get(id);
    const part = used ? partOf(used) : null;
    split[part ?? 'main'].set(id, entry);
  }
  writeModule(main, split.main);
  for (const part of partNames) {
    writeModule(resolve(localesDir, `${locale}-${part}.ts`), split[part]);
  }
  const moved = partNames.map((part) => `${part} ${split[part].size}`);
  console.log(`${locale}: ${split.main.size} at once; ${moved.join(', ')}`);
}

// Left-over modules of a part that no longer exists would still be bundled.
for (const file of readdirSync(localesDir)) {
  const match = /^[a-z]+-([a-z]+)\.ts$/.exec(file);
  if (match && !partNames.includes(match[1])) {
    console.warn(`warning: ${file} belongs to no part; remove it`);
  }
}

// The loaders, one static import() each, for rollup to see.
const loaders = config.targetLocales.map((locale) => {
  const parts = partNames.map(
    (part) => `    ${part}: () => import('./locales/${locale}-${part}.js'),`,
  );
  return `  ${locale}: {\n${parts.join('\n')}\n  },`;
});
writeFileSync(
  resolve(root, 'src/generated/locale-parts.ts'),
  `// Do not modify this file by hand!
// Re-generate it with \`npm run localize:build\` (scripts/split-locales.mjs).

/** The messages of each lazily loaded part, per locale. */
export const localePartLoaders = {
${loaders.join('\n')}
};

export type LocalePart = keyof (typeof localePartLoaders)['${config.targetLocales[0]}'];
`,
);
