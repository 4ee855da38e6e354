// GOST 34.10-2015 (512-bit, TC26 paramSetA) benchmarks, all in one run on
// one machine: this library beside @wavesenterprise/crypto-gost-js (pure
// JavaScript) in Node and in headless Chromium, beside the native GOST
// engine for OpenSSL when it is installed, and NCA key-file opening beside
// node-forge. Prints a table and the ratios; --json prints them as JSON.
//
//   node --import tsx bench/gost.mjs [--json] [--no-browser]
//
// Needs ../shared/nca-test-pki (NCA's test key files). For the native
// reference: apt-get install libengine-gost-openssl gcc libssl-dev.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';
import { runGostBench } from './gost-cases.ts';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const PKI = here('../../shared/nca-test-pki/');
const json = process.argv.includes('--json');
const withBrowser = !process.argv.includes('--no-browser');

if (!existsSync(PKI)) {
  console.error(`NCA test material not found at ${PKI}`);
  process.exit(1);
}
const files = {
  gostP12: new Uint8Array(readFileSync(PKI + 'gost2015_individual_valid.p12')),
  rsaP12: new Uint8Array(readFileSync(PKI + 'rsa_individual_auth_revoked_2022.p12')),
  password: 'Qwerty12',
};

/** The native engine's figures, or why there are none. */
function nativeBench() {
  const engine = spawnSync('openssl', ['engine', 'gost'], { encoding: 'utf8' });
  if (engine.status !== 0) {
    return { missing: 'libengine-gost-openssl is not installed' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'qoltanba-bench-'));
  try {
    const binary = join(dir, 'gost-openssl');
    const compiled = spawnSync(
      'gcc',
      ['-O2', '-o', binary, here('./native/gost-openssl.c'), '-lcrypto'],
      { encoding: 'utf8' },
    );
    if (compiled.status !== 0) {
      return { missing: `cannot compile the native bench: ${compiled.stderr || compiled.error}` };
    }
    const run = spawnSync(binary, ['2'], { encoding: 'utf8' });
    if (run.status !== 0) return { missing: run.stderr.trim() };
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function browserBench() {
  const bundle = await esbuild.build({
    entryPoints: [here('./gost-cases.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'gostBench',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    // WebCrypto needs a secure context: a localhost page, served from here.
    await page.route('http://localhost/bench', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
    );
    await page.goto('http://localhost/bench');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const version = browser.version();
    const results = await page.evaluate(
      async ({ gost, rsa, password }) =>
        // eslint-disable-next-line no-undef
        gostBench.runGostBench({
          gostP12: new Uint8Array(gost),
          rsaP12: new Uint8Array(rsa),
          password,
        }),
      { gost: [...files.gostP12], rsa: [...files.rsaP12], password: files.password },
    );
    return { version, results };
  } finally {
    await browser.close();
  }
}

const byName = (results) => Object.fromEntries(results.map((r) => [r.name, r]));

function ratios(results, native) {
  const r = byName(results);
  const out = {
    'sign vs crypto-gost-js': r['qoltanba sign'].opsPerSec / r['crypto-gost-js sign'].opsPerSec,
    'verify vs crypto-gost-js': r['qoltanba verify'].opsPerSec / r['crypto-gost-js verify'].opsPerSec,
    'open RSA .p12 vs node-forge': r['node-forge open RSA .p12'].msPerOp / r['qoltanba open RSA .p12'].msPerOp,
  };
  if (native && !native.missing) {
    out['native sign / qoltanba sign'] = native.sign / r['qoltanba sign'].opsPerSec;
    out['native verify / qoltanba verify'] = native.verify / r['qoltanba verify'].opsPerSec;
  }
  return out;
}

const report = {
  machine: `${process.platform} ${process.arch}, Node ${process.version}`,
  native: nativeBench(),
  node: await runGostBench(files),
};
if (withBrowser) report.chromium = await browserBench();
report.ratios = {
  node: ratios(report.node, report.native),
  ...(report.chromium ? { chromium: ratios(report.chromium.results, report.native) } : {}),
};

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const table = (results) =>
    results.map((r) => ({
      case: r.name,
      'ops/s': r.opsPerSec.toFixed(1),
      'ms/op': r.msPerOp.toFixed(2),
      runs: r.runs,
    }));
  console.log(report.machine);
  console.log('\nNode');
  console.table(table(report.node));
  if (report.chromium) {
    console.log(`\nheadless Chromium ${report.chromium.version}`);
    console.table(table(report.chromium.results));
  }
  console.log('\nNative OpenSSL GOST engine (ops/s):');
  console.log(report.native.missing ?? `sign ${report.native.sign}, verify ${report.native.verify}`);
  console.log('\nRatios (above 1: this library is faster, except native/…):');
  for (const [where, values] of Object.entries(report.ratios)) {
    for (const [name, value] of Object.entries(values)) {
      console.log(`  ${where.padEnd(8)} ${name.padEnd(34)} ${value.toFixed(2)}×`);
    }
  }
}
