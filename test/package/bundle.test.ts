// The script-tag bundle in real Chromium, on the demo portal served by the
// real server with its strict Content-Security-Policy: the three elements
// render, the crypto chunk is not fetched until a key file is opened, the
// flow reaches the key list, and the browser reports no CSP violation. A
// second copy of the bundle on the same page does not throw.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { startServer, type RunningServer } from '../support/server-process.js';

interface DemoInfo {
  password: string;
  keys: Array<{ kind: string; path: string }>;
}

const CRYPTO_CHUNK = /\/qoltanba\/chunks\/key-file-signer-[^/]+\.js$/;
// Issue #7's budget for what a page loads before anyone opens a key file.
const PAGE_BUDGET_BYTES = 25 * 1024;

let server: RunningServer;
let browser: Browser;
let info: DemoInfo;

before(async () => {
  server = await startServer();
  const response = await fetch(`${server.url}/api/demo/info`);
  info = (await response.json()) as DemoInfo;
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

interface Watched {
  page: Page;
  requests: string[];
  problems: string[];
  violations: () => Promise<string[]>;
}

/**
 * A page that records every request, every uncaught error, every console
 * line about the policy, and every `securitypolicyviolation` event (from
 * the first script on, before the page's own).
 */
async function watchedPage(): Promise<Watched> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy|Refused to/i.test(text)) {
      problems.push(`console: ${text}`);
    }
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const violations = () =>
    page.evaluate(
      () => (window as unknown as { __violations: string[] }).__violations,
    );
  return { page, requests, problems, violations };
}

/** True once each element has rendered its heading. */
async function waitForElements(page: Page): Promise<void> {
  for (const tag of ['eds-login', 'iin-link-form', 'kinship-status']) {
    await page.locator(`${tag} h2`).waitFor();
  }
}

describe('the script-tag bundle on the demo portal', () => {
  it('is served with a strict Content-Security-Policy', async () => {
    const response = await fetch(server.url);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'/);
    assert.match(policy, /style-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  });

  it('renders, loads crypto only for a key file, no violations', async () => {
    const { page, requests, problems, violations } = await watchedPage();
    await page.goto(server.url);
    await waitForElements(page);
    // Settled: the session check and the children list have answered.
    await page.locator('eds-login #key-file').waitFor();
    await page.locator('kinship-status [aria-busy="false"]').waitFor();
    assert.ok(
      requests.some((url) => url.endsWith('/qoltanba/qoltanba.js')),
      'the bundle was loaded',
    );
    assert.deepEqual(
      requests.filter((url) => CRYPTO_CHUNK.test(url)),
      [],
      'no crypto chunk before a key file is opened',
    );

    const key = info.keys.find((k) => k.kind === 'auth');
    assert.ok(key, 'the demo PKI has a login key');
    await page.locator('eds-login #key-file').setInputFiles(key.path);
    await page.locator('eds-login #password').fill(info.password);
    await page.locator('eds-login [part="refresh-button"]').click();
    await page.locator('eds-login [part="key"]').first().waitFor();

    assert.equal(
      requests.filter((url) => CRYPTO_CHUNK.test(url)).length,
      1,
      'the crypto chunk loads once the key file is opened',
    );
    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('loads at most 25 KB (min+gzip) before a key file, in kk and ru', async () => {
    for (const lang of ['kk', 'ru']) {
      const page = await browser.newPage();
      const scripts = new Map<string, number>();
      page.on('response', async (response) => {
        const url = response.url();
        if (!/\/qoltanba\/.*\.js$/.test(url)) return;
        const body = await response.body();
        scripts.set(url, gzipSync(body, { level: 9 }).length);
      });
      // The demo page in that language, as a portal would serve it (and as
      // the demo's own switch remembers it).
      await page.addInitScript((code) => {
        localStorage.setItem('qoltanba-demo-lang', code);
      }, lang);
      await page.route(`${server.url}/`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          '<html lang="kk">',
          `<html lang="${lang}">`,
        );
        await route.fulfill({ response, body: html });
      });
      await page.goto(`${server.url}/`);
      await waitForElements(page);
      await page.locator('kinship-status [aria-busy="false"]').waitFor();
      const names = () => [...scripts.keys()].map((u) => u.split('/').pop()!);
      const messages = new RegExp(`^${lang}-[\\w-]{8}\\.js$`);
      for (let i = 0; i < 100 && !names().some((n) => messages.test(n)); i++) {
        await page.waitForTimeout(50);
      }
      assert.ok(
        names().some((name) => messages.test(name)),
        `the ${lang} messages were loaded: ${names()}`,
      );
      const total = [...scripts.values()].reduce((sum, n) => sum + n, 0);
      assert.ok(
        total <= PAGE_BUDGET_BYTES,
        `${lang}: ${total} bytes gzip before a key file: ${names()}`,
      );
      await page.close();
    }
  });

  it('tolerates a second copy of the bundle on the same page', async () => {
    const { page, problems, violations } = await watchedPage();
    await page.goto(server.url);
    await waitForElements(page);
    // A query string makes it a second module instance, as a second
    // widget with its own copy would be; its define calls must not throw.
    const exports = await page.evaluate(async () => {
      const url = '/qoltanba/qoltanba.js?copy=2';
      const copy = (await import(url)) as Record<string, unknown>;
      return Object.keys(copy).length;
    });
    assert.ok(exports > 0);
    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
