// NCA's current kind of key, end to end: real Chromium drives the demo
// portal, whose server trusts NCA's real GOST test chain (root and issuing
// CA, given with --trust-anchors). A person opens NCA's GOST 34.10-2015
// test key file, sees it in the key list named as users know it, signs the
// challenge in the browser and logs in, with no change to the clock.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { startServer, type RunningServer } from '../support/server-process.js';

const PKI = fileURLToPath(new URL('../../../shared/nca-test-pki/', import.meta.url));
const noPki = existsSync(PKI) ? false : `NCA test material not found at ${PKI}`;

describe('login with an NCA GOST 2015 key file', { skip: noPki }, () => {
  let anchors: string;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    // Copies at test time, outside the repository.
    anchors = mkdtempSync(join(tmpdir(), 'qoltanba-gost-anchors-'));
    for (const file of ['root_gost_2022_test.cer', 'nca_gost_2022_test.cer']) {
      copyFileSync(PKI + file, join(anchors, file));
    }
    // NCA's published test CRLs are out of date: no revocation check.
    server = await startServer({ QOLTANBA_REVOCATION: 'off' }, [
      '--trust-anchors',
      anchors,
    ]);
    browser = await chromium.launch({
      executablePath: findChromium(),
      args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (anchors) rmSync(anchors, { recursive: true, force: true });
  });

  it('shows the GOST key and logs in against NCA\'s test chain', async () => {
    assert.match(server.output(), /Trusting 2 CA certificate/);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);

    await page
      .locator('eds-login #key-file')
      .setInputFiles(PKI + 'gost2015_individual_valid.p12');
    await page.locator('eds-login #password').fill('Qwerty12');
    await page.locator('eds-login [part="refresh-button"]').click();

    const key = page.locator('eds-login [part="key"]').first();
    await key.waitFor();
    const shown = await key.innerText();
    assert.match(shown, /ТЕСТОВ ТЕСТ/);
    assert.match(shown, /123456789011/);
    assert.match(shown, /ГОСТ 34\.10-2015 512/);
    assert.match(shown, /ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) TEST 2022/);

    await key.locator('input[type="radio"]').check();
    await page.locator('eds-login [part="sign-button"]').click();
    await page.locator('eds-login [part="login-button"]').click();

    // First login: the portal asks for an email, then shows the person.
    await page.locator('eds-login #email').fill('testov@example.kz');
    await page.locator('eds-login [part="email-form"] button').click();
    const user = page.locator('eds-login [part="user"]');
    await user.waitFor();
    assert.match(await user.innerText(), /ТЕСТОВ ТЕСТ/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
