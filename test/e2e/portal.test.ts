// The main job end to end, in Kazakh: a parent opens the demo portal served
// by the real server (real SQLite file, generated demo PKI), chooses their
// NCA-style key file, types the password, refreshes the key list, signs the
// server's challenge in the browser, logs in, gives an email, links a child
// by IIN and sees the application appear.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { startServer, type RunningServer } from '../support/server-process.js';

interface DemoInfo {
  password: string;
  keys: Array<{ iin: string; fullName: string; kind: string; path: string }>;
}

const KINSHIP_CONFIRMED_KK = 'Туыстық расталды, деректер сәтті жаңартылды';

let server: RunningServer;
let browser: Browser;
let info: DemoInfo;

before(async () => {
  server = await startServer();
  info = (await (await fetch(`${server.url}/api/demo/info`)).json()) as DemoInfo;
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function keyOf(iin: string, kind = 'auth') {
  const key = info.keys.find((k) => k.iin === iin && k.kind === kind);
  assert.ok(key, `the demo PKI has a ${kind} key for ${iin}`);
  return key;
}

/** Collects errors a page throws, so a silent failure fails the test. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function openKeyFile(page: Page, path: string, password: string) {
  await page.locator('eds-login #key-file').setInputFiles(path);
  await page.locator('eds-login #password').fill(password);
  await page.locator('eds-login [part="refresh-button"]').click();
}

describe('demo portal, in Kazakh', () => {
  it('logs a parent in with a key file and links a child', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    assert.equal(await page.locator('html').getAttribute('lang'), 'kk');

    const parent = keyOf('900625400121');
    await openKeyFile(page, parent.path, info.password);

    // The key list shows what the original portal showed.
    const key = page.locator('eds-login [part="key"]').first();
    await key.waitFor();
    const shown = await key.innerText();
    assert.match(shown, /САДЫҚОВА АЙГЕРІМ/);
    assert.match(shown, /900625400121/);
    // Айгерім holds a GOST 2015 key, the kind NCA issues today.
    assert.match(shown, /ГОСТ 34\.10-2015 512/);
    assert.match(shown, /\d\d\.\d\d\.\d{4} \(\d\d:\d\d\) - \d\d\.\d\d\.\d{4}/);
    assert.match(shown, /ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ/);

    await key.locator('input[type="radio"]').check();
    await page.locator('eds-login [part="sign-button"]').click();
    await page.locator('eds-login [part="login-button"]').click();

    // First login: an email is required, and validated.
    await page.locator('eds-login #email').fill('not an email');
    await page.locator('eds-login [part="email-form"] button').click();
    await page.locator('eds-login #email-error').waitFor();
    await page.locator('eds-login #email').fill('aigerim@example.kz');
    await page.locator('eds-login [part="email-form"] button').click();
    await page.locator('eds-login [part="user"]').waitFor();
    assert.match(
      await page.locator('eds-login [part="user"]').innerText(),
      /САДЫҚОВА АЙГЕРІМ/,
    );

    // Link the child; the status list updates without a reload.
    await page.locator('iin-link-form #iin').fill('2012 0550 0031');
    await page.locator('iin-link-form [part="submit-button"]').click();
    await page
      .locator('iin-link-form', { hasText: KINSHIP_CONFIRMED_KK })
      .waitFor();
    const child = page.locator('kinship-status [part="child"]').first();
    await child.waitFor();
    assert.match(await child.innerText(), /2012/);
    assert.equal(
      await page.locator('kinship-status [part="application"]').count() > 0,
      true,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says "wrong password" for a wrong password, and keeps the file', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await openKeyFile(page, keyOf('850115300011').path, 'Wrong123');
    const error = page.locator('eds-login #error');
    await error.waitFor();
    assert.match(await error.innerText(), /Құпиясөз қате/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
