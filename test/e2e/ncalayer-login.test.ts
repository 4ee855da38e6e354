// NCALayer end to end: the real demo server (strict CSP, real verifier) in
// real Chromium, with a fake NCALayer over TLS on 127.0.0.1 that signs with
// the server's demo key, as a token would. Chromium trusts the fake's
// certificate by its SPKI hash, as a user's browser trusts NCALayer's; a
// second browser that does not trust it meets the certificate failure.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { signCms } from '../../src/crypto/cms-sign.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import {
  closedPort,
  startFakeNcaLayer,
  startSilentServer,
  type FakeNcaLayer,
} from '../support/fake-ncalayer.js';
import { startServer, type RunningServer } from '../support/server-process.js';

interface DemoInfo {
  password: string;
  keys: Array<{ iin: string; kind: string; path: string; fullName: string }>;
}

const ARGS = CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless'));

let server: RunningServer;
let fake: FakeNcaLayer;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let trusting: Browser;
let distrusting: Browser;

before(async () => {
  server = await startServer();
  const info = (await (
    await fetch(`${server.url}/api/demo/info`)
  ).json()) as DemoInfo;
  const person = info.keys.find(
    (k) => k.iin === '850115300011' && k.kind === 'auth',
  );
  assert.ok(person, 'the demo PKI has an RSA login key for 850115300011');
  const opened = await openKeyFile(
    new Uint8Array(await readFile(person.path)),
    info.password,
  );
  fake = await startFakeNcaLayer((content) => signCms(content, opened.keys[0]!));
  silent = await startSilentServer();
  trusting = await chromium.launch({
    executablePath: findChromium(),
    args: [...ARGS, `--ignore-certificate-errors-spki-list=${fake.spki}`],
  });
  distrusting = await chromium.launch({
    executablePath: findChromium(),
    args: ARGS,
  });
});

after(async () => {
  await trusting?.close();
  await distrusting?.close();
  await fake?.close();
  await silent?.close();
  await server?.stop();
});

/**
 * Opens the portal with NCALayer at `url` (the fake reports a Kaztoken
 * plugged in), chooses the Kaztoken and presses "Sign with NCALayer".
 */
async function signWithNcaLayer(
  browser: Browser,
  url: string,
  lang?: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.locator('eds-login [part="key-form"]').waitFor();
  await page.evaluate(
    ([at, language]) => {
      const el = document.querySelector('eds-login')!;
      el.setAttribute('ncalayer-url', `${at}?tokens=AKKaztokenStore`);
      if (language) el.setAttribute('lang', language);
      (el as unknown as { ncalayerTimeoutMs: number }).ncalayerTimeoutMs =
        1500;
    },
    [url, lang] as const,
  );
  await page.locator('eds-login #storage').selectOption('ncalayer');
  // Listed by NCALayer, or an error at once when it cannot be reached.
  const listed = page.locator(
    'eds-login #ncalayer-storage option[value="AKKaztokenStore"]',
  );
  await listed.or(page.locator('eds-login #error')).first().waitFor({
    state: 'attached',
  });
  if ((await listed.count()) === 0) return { page, errors };
  await page
    .locator('eds-login #ncalayer-storage')
    .selectOption('AKKaztokenStore');
  await page.locator('eds-login [part="ncalayer-button"]').click();
  return { page, errors };
}

describe('NCALayer in the demo portal', () => {
  it('logs in with a signature from NCALayer', async () => {
    fake.requests.length = 0;
    const { page, errors } = await signWithNcaLayer(trusting, `${fake.url}/pem`);
    const signer = page.locator('eds-login [part="signer"]');
    await signer.waitFor();
    assert.match(await signer.innerText(), /ЖАНДОСОВ ЕРЛАН/);
    await page.locator('eds-login [part="login-button"]').click();
    await page.locator('eds-login #email').waitFor();

    // What NCALayer was asked: which tokens are plugged in, then to sign
    // in the page's language (kk) with the token.
    const methods = fake.requests.map((r) => r.request.method);
    assert.ok(methods.indexOf('getActiveTokens') >= 0);
    assert.ok(methods.indexOf('getActiveTokens') < methods.indexOf('sign'));
    const sign = fake.requests.find((r) => r.request.method === 'sign');
    const args = sign?.request.args as Record<string, unknown>;
    assert.equal(args.locale, 'kk');
    assert.deepEqual(args.allowedStorages, ['AKKaztokenStore']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const lang of ['ru', 'en']) {
    it(`asks NCALayer to speak the page's language (${lang})`, async () => {
      fake.requests.length = 0;
      const { page } = await signWithNcaLayer(
        trusting,
        `${fake.url}/pem`,
        lang,
      );
      await page.locator('eds-login [part="signer"]').waitFor();
      const sign = fake.requests.find((r) => r.request.method === 'sign');
      assert.equal((sign?.request.args as { locale: string }).locale, lang);
      await page.close();
    });
  }

  it('comes back to the start when the user cancels', async () => {
    const { page } = await signWithNcaLayer(trusting, `${fake.url}/cancel`);
    await page
      .locator('eds-login [part="ncalayer-button"]:not([disabled])')
      .waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('eds-login [role="alert"]').count(), 0);
    await page.close();
  });

  for (const [name, url, code] of [
    ['not running', async () => `wss://127.0.0.1:${await closedPort()}`, 'NCALAYER_UNREACHABLE'],
    ['silent', async () => `wss://127.0.0.1:${silent.port}`, 'NCALAYER_TIMEOUT'],
    ['without basics', async () => `${fake.url}/outdated`, 'NCALAYER_OUTDATED'],
  ] as const) {
    it(`explains an NCALayer that is ${name}`, async () => {
      const { page } = await signWithNcaLayer(trusting, await url());
      const error = page.locator('eds-login #error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-code'), code);
      assert.ok((await page.locator('eds-login [part="help"] li').count()) > 0);
      await page.close();
    });
  }

  it('explains a certificate the browser does not trust', async () => {
    const { page } = await signWithNcaLayer(distrusting, `${fake.url}/pem`);
    const error = page.locator('eds-login #error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'NCALAYER_UNREACHABLE');
    assert.match(await error.innerText(), /сертификат/);
    await page.close();
  });
});
