// The whole flow with the keyboard alone, in each language, in real
// Chromium against the demo server: choose the language, the key file
// (Space on the file input opens the chooser), type the password, refresh
// the key list, sign, log in, give an email, link a child by IIN, see the
// application, log out. Only Tab, Shift+Tab, Space, Enter and typing; no
// clicks. Focus is checked wherever the elements promise to move it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { startServer, type RunningServer } from '../support/server-process.js';

interface DemoInfo {
  password: string;
  keys: Array<{ iin: string; kind: string; path: string }>;
}

const PARENT_IIN = '900625400121';
const CHILD_IIN = '201205500031';

const WORDS = {
  kk: {
    heading: 'Жеке кабинетке кіру',
    linked: 'Туыстық расталды, деректер сәтті жаңартылды',
    count: '1 бала байластырылған',
  },
  ru: {
    heading: 'Вход в личный кабинет',
    linked: 'Родство подтверждено, данные успешно обновлены',
    count: 'Привязан 1 ребёнок',
  },
  en: {
    heading: 'Log in to your personal cabinet',
    linked: 'Kinship confirmed, data updated successfully',
    count: '1 child linked',
  },
} as const;

let browser: Browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
});

after(async () => {
  await browser?.close();
});

/**
 * The focused element, looking into shadow roots, described as
 * "host-tag tag#id[part]" (host-tag is "page" outside the elements).
 */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let host: Element | null = null;
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) {
      host = active;
      active = active.shadowRoot.activeElement;
    }
    if (!active) return 'nothing';
    const part = active.getAttribute('part');
    const lang = active.getAttribute('data-lang');
    return (
      `${host ? host.localName : 'page'} ${active.localName}` +
      (active.id ? `#${active.id}` : '') +
      (part ? `[${part}]` : '') +
      (lang ? `[lang=${lang}]` : '')
    );
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches. */
async function tabTo(page: Page, wanted: string, back = false) {
  const seen: string[] = [];
  for (let i = 0; i < 80; i += 1) {
    const now = await focused(page);
    if (now.includes(wanted)) return;
    seen.push(now);
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`Tab never reached ${wanted}; went through:\n${seen.join('\n')}`);
}

async function expectFocus(page: Page, wanted: string) {
  // Focus moves after a render; give it a moment, then insist.
  for (let i = 0; i < 40; i += 1) {
    if ((await focused(page)).includes(wanted)) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`focus should be on ${wanted}, is on ${await focused(page)}`);
}

for (const lang of ['kk', 'ru', 'en'] as const) {
  describe(`keyboard only, ${lang}`, () => {
    let server: RunningServer;
    let info: DemoInfo;

    before(async () => {
      server = await startServer();
      const response = await fetch(`${server.url}/api/demo/info`);
      info = (await response.json()) as DemoInfo;
    });

    after(async () => {
      await server?.stop();
    });

    it('logs in, links a child and logs out without a mouse', async () => {
      const words = WORDS[lang];
      const key = info.keys.find(
        (k) => k.iin === PARENT_IIN && k.kind === 'auth',
      );
      assert.ok(key, 'the demo has an auth key for the parent');
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.url);
      await page.locator('eds-login [part="key-form"]').waitFor();

      if (lang !== 'kk') {
        await tabTo(page, `[lang=${lang}]`);
        await page.keyboard.press('Enter');
      }
      await page
        .locator('eds-login h2', { hasText: words.heading })
        .waitFor();

      await tabTo(page, 'eds-login input#key-file');
      const chooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Space');
      await (await chooser).setFiles(key.path);
      await page.keyboard.press('Tab');
      await expectFocus(page, 'eds-login input#password');
      await page.keyboard.type(info.password);
      await page.keyboard.press('Enter');
      await page.locator('eds-login [part="key-list"]').waitFor();

      // Tab passes the chosen key on the way to "Sign".
      await tabTo(page, '[sign-button]');
      await page.keyboard.press('Enter');
      await expectFocus(page, 'eds-login button#login');
      await page.keyboard.press('Enter');

      await expectFocus(page, 'eds-login input#email');
      await page.keyboard.type('aigerim@example.kz');
      await page.keyboard.press('Enter');
      await expectFocus(page, 'eds-login button#user');

      await tabTo(page, 'iin-link-form input#iin');
      await page.keyboard.type(CHILD_IIN);
      await page.keyboard.press('Enter');
      await page.locator('iin-link-form', { hasText: words.linked }).waitFor();
      await expectFocus(page, 'iin-link-form button[submit-button]');
      await page
        .locator('kinship-status [part="count"]', { hasText: words.count })
        .waitFor();
      assert.equal(
        await page.locator('kinship-status [part="application"]').count() >
          0,
        true,
      );

      await tabTo(page, 'eds-login button#user', true);
      await page.keyboard.press('Enter');
      await expectFocus(page, 'eds-login button#logout');
      await page.keyboard.press('Enter');
      await page.locator('eds-login [part="key-form"]').waitFor();
      await expectFocus(page, 'eds-login input#key-file');
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
