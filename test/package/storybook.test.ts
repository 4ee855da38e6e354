// Builds the static Storybook (`npm run build-storybook`), serves it on
// loopback, and in Chromium opens every story in each language, lets its
// play function finish, and runs axe on what it shows. Set
// QOLTANBA_STORYBOOK_DIR to test an existing build instead, and
// QOLTANBA_STORY_FILTER (a regular expression on story ids) to check only
// some stories while working on them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';

interface IndexEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

const LANGUAGES = ['kk', 'ru', 'en'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

let root: string;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let stories: IndexEntry[];
const pageErrors: string[] = [];

/** A static file server for the built site, on 127.0.0.1 only. */
function serve(dir: string): Promise<Server> {
  const files = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) =>
    files.listen(0, '127.0.0.1', () => done(files)),
  );
}

/**
 * Shows a story through Storybook's own channel (no page reload), resolves
 * when its play function has finished (or with the error it threw), and
 * then sets the language arg. Plain JavaScript, injected into the
 * page as is (tsx would add helpers the page lacks to a function passed to
 * page.evaluate).
 */
const SHOW_STORY = `
window.qoltanbaShowStory = (id, lang) => new Promise((resolve) => {
  const channel = window.__STORYBOOK_ADDONS_CHANNEL__;
  const failures = [
    'storyThrewException',
    'playFunctionThrewException',
    'storyErrored',
    'storyMissing',
  ];
  const finish = (outcome) => {
    clearTimeout(timer);
    channel.off('storyRendered', onRendered);
    for (const event of failures) channel.off(event, onFailure);
    resolve(outcome);
  };
  // Once the story (and its play function) is done, switch the language;
  // the caller waits for the element to follow.
  const onRendered = (storyId) => {
    if (storyId !== id) return;
    channel.emit('updateStoryArgs', { storyId: id, updatedArgs: { lang } });
    finish(null);
  };
  const onFailure = (error) => {
    finish(id + ': ' + (error?.message ?? JSON.stringify(error)));
  };
  const timer = setTimeout(() => finish(id + ': no render in 10 s'), 10000);
  channel.on('storyRendered', onRendered);
  for (const event of failures) channel.on(event, onFailure);
  channel.emit('setCurrentStory', { storyId: id, viewMode: 'story' });
});
`;

function showStory(id: string, lang: string): Promise<string | null> {
  return page.evaluate(
    ([id, lang]) =>
      (
        window as unknown as {
          qoltanbaShowStory(id: string, lang: string): Promise<string | null>;
        }
      ).qoltanbaShowStory(id!, lang!),
    [id, lang],
  );
}

/** Waits until the story's element speaks `lang` and has settled. */
async function settled(lang: string): Promise<void> {
  await page.waitForFunction((lang) => {
    const element = document.querySelector('#storybook-root [backend-url]');
    return element?.getAttribute('lang') === lang;
  }, lang);
  // A story whose backend never answers never completes its update:
  // wait a second at most.
  await page.evaluate(async () => {
    const element = document.querySelector(
      '#storybook-root [backend-url]',
    ) as (Element & { updateComplete?: Promise<unknown> }) | null;
    await Promise.race([
      element?.updateComplete,
      new Promise((done) => setTimeout(done, 1000)),
    ]);
    await new Promise((done) => setTimeout(done, 30));
  });
}

async function axe(): Promise<AxeViolation[]> {
  return page.evaluate(async () => {
    const runner = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await runner.run(
      { include: ['#storybook-root'] },
      {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
        },
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

before(async () => {
  if (process.env.QOLTANBA_STORYBOOK_DIR) {
    root = resolve(process.env.QOLTANBA_STORYBOOK_DIR);
  } else {
    const build = spawnSync('npm', ['run', '--silent', 'build-storybook'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    assert.equal(build.status, 0, 'npm run build-storybook');
    root = resolve('storybook-static');
  }
  const index = JSON.parse(
    await readFile(join(root, 'index.json'), 'utf8'),
  ) as { entries: Record<string, IndexEntry> };
  stories = Object.values(index.entries).filter((e) => e.type === 'story');
  const filter = process.env.QOLTANBA_STORY_FILTER;
  if (filter) stories = stories.filter((s) => new RegExp(filter).test(s.id));
  server = await serve(root);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Start on no story: showing the story already on screen would not
  // render it again, and leaving a story whose play function still runs
  // makes Storybook reload the page (and lose the scripts added below).
  await page.goto(`${base}/iframe.html?id=qoltanba--none&viewMode=story`);
  // msw's first start in a fresh profile reloads the page once its service
  // worker is installed; scripts added before that reload are lost. After
  // it, the worker controls the page.
  await page.waitForFunction(
    () =>
      navigator.serviceWorker?.controller &&
      '__STORYBOOK_ADDONS_CHANNEL__' in window,
  );
  const axeSource = await readFile(
    resolve('node_modules/axe-core/axe.min.js'),
    'utf8',
  );
  await page.addScriptTag({ content: axeSource });
  await page.addScriptTag({ content: SHOW_STORY });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

describe('Storybook', () => {
  it('has stories for the three elements', (t) => {
    if (process.env.QOLTANBA_STORY_FILTER) {
      t.skip('QOLTANBA_STORY_FILTER is set');
      return;
    }
    for (const tag of ['eds-login', 'iin-link-form', 'kinship-status']) {
      const count = stories.filter((s) => s.title === `Elements/${tag}`);
      assert.ok(count.length >= 8, `${tag} has stories`);
    }
  });

  for (const lang of LANGUAGES) {
    it(`every story renders in "${lang}" and passes axe`, async () => {
      const problems: string[] = [];
      for (const story of stories) {
        const failure = await showStory(story.id, lang);
        if (failure) {
          problems.push(failure);
          continue;
        }
        await settled(lang);
        for (const violation of await axe()) {
          problems.push(
            `${story.id} [${lang}]: ${violation.id} (${violation.impact}) ` +
              `${violation.help} at ${JSON.stringify(
                violation.nodes.map((n) => n.target),
              )}`,
          );
        }
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(pageErrors, []);
    });
  }
});
