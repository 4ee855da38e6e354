// eGov mobile QR login end to end: the real demo server and real Chromium.
// A simulated phone reads the QR code from the page's pixels (jsQR), as a
// camera would, follows API-1 and API-2, signs with the server's demo key
// and PUTs the document; the page logs in as soon as it polls.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { signCms } from '../../src/crypto/cms-sign.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { phoneSigns } from '../support/egov-phone.js';
import { startServer, type RunningServer } from '../support/server-process.js';

interface DemoInfo {
  password: string;
  keys: Array<{ iin: string; kind: string; path: string }>;
}

let server: RunningServer;
let browser: Browser;
let sign: (content: Uint8Array) => Promise<Uint8Array>;

before(async () => {
  server = await startServer();
  const info = (await (
    await fetch(`${server.url}/api/demo/info`)
  ).json()) as DemoInfo;
  const key = info.keys.find((k) => k.iin === '900625400121' && k.kind === 'auth');
  assert.ok(key, 'the demo PKI has a login key for 900625400121');
  const opened = await openKeyFile(
    new Uint8Array(await readFile(key.path)),
    info.password,
  );
  sign = (content) => signCms(content, opened.keys[0]!);
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function showQr(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.locator('eds-login #storage').selectOption('egov');
  await page.locator('eds-login [part="egov-button"]').click();
  await page.locator('eds-login [part="qr"] svg').waitFor();
}

/** What a camera would read: the QR's pixels, decoded by jsQR. */
async function scanQr(page: Page): Promise<string> {
  const { width, height, pixels } = await page.evaluate(async () => {
    const host = document.querySelector('eds-login')!.shadowRoot!;
    const svg = host.querySelector('[part="qr"] svg')!;
    const image = new Image();
    image.src =
      'data:image/svg+xml;charset=utf-8,' +
      encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const context = canvas.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0, 400, 400);
    const data = context.getImageData(0, 0, 400, 400).data;
    return { width: 400, height: 400, pixels: Array.from(data) };
  });
  const code = jsQR(Uint8ClampedArray.from(pixels), width, height);
  assert.ok(code, 'the QR code on the page decodes');
  return code.data;
}

describe('eGov mobile QR in the demo portal', () => {
  it('logs in when the phone has signed what the QR code points to', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await showQr(page);
    const scanned = await scanQr(page);
    assert.match(scanned, /^mobileSign:http:\/\/localhost:\d+\/api\/egov\//);
    assert.equal(
      await page.locator('eds-login [part="qr"]').getAttribute('data-payload'),
      scanned,
    );

    const result = await phoneSigns(scanned, { sign });
    assert.equal(result.status, 200);
    assert.equal(result.api1.organisation.nameKz, 'Qoltanba демо порталы');

    // First login: the page asks for an email address, as with a key file.
    await page.locator('eds-login #email').waitFor();
    assert.match(
      await page.locator('eds-login [part="email-form"]').innerText(),
      /САДЫҚОВА АЙГЕРІМ/,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows why a tampered document did not log in', async () => {
    const page = await browser.newPage();
    await showQr(page);
    const tamper = (content: Uint8Array) =>
      Uint8Array.of(...content, 0x20);
    const result = await phoneSigns(await scanQr(page), { sign, tamper });
    assert.equal(result.status, 403);
    assert.equal(result.code, 'CONTENT_MISMATCH');
    const error = page.locator('eds-login #error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'CONTENT_MISMATCH');
    await page.close();
  });

  it('says so when its chunk does not load, and loads after a reload', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The QR part of the built bundle, as a dropped connection loses it.
    const chunk = /\/chunks\/eds-login-egov-[^/]*\.js$/;
    await page.route(chunk, (route) => route.abort('internetdisconnected'));
    await page.goto(server.url);
    await page.locator('eds-login #storage').selectOption('egov');
    const error = page.locator('eds-login #error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'LOAD_FAILED');
    assert.match(await error.innerText(), /жүктелмеді.*қайта жүктеңіз/s);

    // Chromium keeps a failed import() failed, hence "reload the page".
    await page.unroute(chunk);
    await page.reload();
    await page.locator('eds-login #storage').selectOption('egov');
    await page.locator('eds-login [part="egov-button"]').click();
    await page.locator('eds-login [part="qr"] svg').waitFor();
    assert.equal(await error.count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('offers the same-phone link on a phone-sized screen', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
    });
    await showQr(page);
    const link = page.locator('eds-login [part="egov-link"]');
    assert.ok(await link.isVisible());
    const href = await link.getAttribute('href');
    const payload = await page
      .locator('eds-login [part="qr"]')
      .getAttribute('data-payload');
    assert.equal(
      href,
      `https://m.egov.kz/mobileSign?link=${encodeURIComponent(payload!.slice('mobileSign:'.length))}`,
    );
    await page.close();
  });
});
