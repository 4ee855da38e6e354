// Time from script start to first render of all three elements, in
// headless Chromium: a page with the three tags and the script-tag bundle,
// served from loopback with a backend that answers "not logged in". Each
// run is a fresh browser context (cold cache). "Script start" is when the
// bundle's request starts (Resource Timing); "rendered" is when every
// element's shadow root shows its heading.
//
//   npm run build:bundle && node --import tsx bench/render.ts [runs]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const DIST = resolve('dist');

const PAGE = `<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><title>render bench</title>
<script type="module" src="/qoltanba/qoltanba.js"></script></head>
<body>
<eds-login></eds-login>
<iin-link-form></iin-link-form>
<kinship-status></kinship-status>
</body></html>`;

// Checks from inside the page every few milliseconds (setTimeout's floor),
// so the moment is not late by a round trip to the test.
const WATCH = `
const tags = ['eds-login', 'iin-link-form', 'kinship-status'];
const check = () => {
  const done = tags.every(
    (tag) => document.querySelector(tag)?.shadowRoot?.querySelector('h2'),
  );
  if (done) window.renderedAt = performance.now();
  else setTimeout(check, 0);
};
check();
`;

const server = createServer(async (request, response) => {
  const path = normalize(new URL(request.url ?? '/', 'http://x').pathname);
  if (path === '/') {
    response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  } else if (path.startsWith('/api/')) {
    response
      .writeHead(401, { 'content-type': 'application/json' })
      .end('{"code":"NOT_AUTHENTICATED","message":"Log in first."}');
  } else if (path.startsWith('/qoltanba/')) {
    try {
      const body = await readFile(join(DIST, path.slice('/qoltanba/'.length)));
      const type = extname(path) === '.js' ? 'text/javascript' : 'text/plain';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  } else {
    response.writeHead(404).end();
  }
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({
  executablePath: findChromium(),
  args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
});

const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript({ content: WATCH });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => 'renderedAt' in window);
  const rendered = await page.evaluate(
    () => (window as unknown as { renderedAt: number }).renderedAt,
  );
  const start = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/qoltanba/qoltanba.js'))?.startTime ?? 0,
  );
  times.push(rendered - start);
  await context.close();
}
await browser.close();
server.close();

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const p90 = times[Math.floor(times.length * 0.9)]!;
console.log(
  `script start to first render of all three: median ${median.toFixed(0)} ms,` +
    ` p90 ${p90.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms (${RUNS} runs)`,
);
