// The npm package as a consumer sees it: every `exports` entry resolves to
// a built file with its types listed first, the package's entries import in
// plain Node (server-side rendering setups) without throwing, only the
// define entries register tags, and defining twice is harmless. Needs
// `npm run build` first (the test:package script does it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Conditional {
  types: string;
  default: string;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  types: string;
  main: string;
  customElements: string;
  exports: Record<string, string | Conditional>;
  sideEffects: string[];
  peerDependenciesMeta: Record<string, { optional: boolean }>;
};

const TAGS = ['eds-login', 'iin-link-form', 'kinship-status'];

/**
 * Runs an ES module in a fresh Node process (no tsx, no DOM shim of ours),
 * from the package root so that `import 'qoltanba/…'` resolves through the
 * package's own `exports`; returns what it printed as JSON.
 */
function runInNode(source: string): unknown {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '--eval', source],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const registered = `
  const tags = ${JSON.stringify(TAGS)};
  const defined = () =>
    tags.filter((t) => globalThis.customElements?.get(t) !== undefined);
`;

describe('package.json', () => {
  it('lists types first in each conditional export; the files exist', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') {
        assert.ok(existsSync(target), `${entry}: ${target} exists`);
        continue;
      }
      assert.equal(Object.keys(target)[0], 'types', `${entry}: types first`);
      assert.ok(existsSync(target.types), `${entry}: ${target.types} exists`);
      assert.ok(existsSync(target.default), `${entry}: ${target.default}`);
    }
    assert.ok(existsSync(pkg.types));
    assert.ok(existsSync(pkg.main));
  });

  it('has an entry per element and a define entry per element', () => {
    for (const tag of TAGS) {
      assert.ok(pkg.exports[`./${tag}`], `./${tag}`);
      assert.ok(pkg.exports[`./define/${tag}`], `./define/${tag}`);
    }
    assert.ok(pkg.exports['./define']);
    assert.ok(pkg.exports['./react']);
    assert.equal(pkg.peerDependenciesMeta.react?.optional, true);
  });

  it('names a custom elements manifest that describes the three tags', () => {
    const manifest = JSON.parse(readFileSync(pkg.customElements, 'utf8')) as {
      modules: Array<{
        declarations?: Array<{
          tagName?: string;
          attributes?: Array<{ name: string }>;
          events?: Array<{ name: string }>;
          cssParts?: unknown[];
        }>;
      }>;
    };
    const elements = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .filter((d) => d.tagName);
    assert.deepEqual(elements.map((e) => e.tagName).sort(), TAGS);
    for (const element of elements) {
      const attributes = element.attributes?.map((a) => a.name) ?? [];
      assert.ok(attributes.includes('backend-url'), element.tagName);
      assert.ok(
        element.events?.some((e) => e.name === 'qoltanba-error'),
        `${element.tagName} documents qoltanba-error`,
      );
      assert.ok((element.cssParts?.length ?? 0) > 0, element.tagName);
    }
  });

  it('declares the tag and event maps in the emitted types', () => {
    const types = (path: string) => readFileSync(`dist/types/${path}`, 'utf8');
    assert.match(types('components/eds-login.d.ts'), /'eds-login': EdsLogin/);
    assert.match(
      types('components/iin-link-form.d.ts'),
      /'iin-link-form': IinLinkForm/,
    );
    assert.match(
      types('components/kinship-status.d.ts'),
      /'kinship-status': KinshipStatus/,
    );
    assert.match(types('events.d.ts'), /interface HTMLElementEventMap/);
  });
});

describe('importing in Node', () => {
  it('the main entry and the element entries define nothing', () => {
    const result = runInNode(`
      ${registered}
      const main = await import('${pkg.name}');
      for (const tag of tags) await import('${pkg.name}/' + tag);
      console.log(JSON.stringify({
        defined: defined(),
        classes: [main.EdsLogin, main.IinLinkForm, main.KinshipStatus]
          .map((c) => c.name),
      }));
    `);
    assert.deepEqual(result, {
      defined: [],
      classes: ['EdsLogin', 'IinLinkForm', 'KinshipStatus'],
    });
  });

  for (const tag of TAGS) {
    it(`${pkg.name}/define/${tag} defines <${tag}> only`, () => {
      const result = runInNode(`
        ${registered}
        await import('${pkg.name}/define/${tag}');
        console.log(JSON.stringify(defined()));
      `);
      assert.deepEqual(result, [tag]);
    });
  }

  it(`${pkg.name}/define defines all three; again is harmless`, () => {
    const result = runInNode(`
      ${registered}
      // Lit's Node build brings a DOM shim with a registry. Another copy
      // of the library gets there first with its own class.
      const { LitElement } = await import('lit');
      customElements.define('eds-login', class extends LitElement {});
      const { defineQoltanbaElements, defineElement } =
        await import('${pkg.name}/define');
      defineQoltanbaElements();
      defineQoltanbaElements();
      console.log(JSON.stringify({
        defined: defined(),
        again: defineElement('kinship-status'),
      }));
    `);
    assert.deepEqual(result, { defined: TAGS, again: false });
  });

  it('defining without any registry does nothing and does not throw', () => {
    const result = runInNode(`
      const { defineQoltanbaElements } = await import('${pkg.name}');
      const saved = globalThis.customElements;
      delete globalThis.customElements;
      defineQoltanbaElements();
      globalThis.customElements = saved;
      console.log(JSON.stringify(saved.get('eds-login') ?? null));
    `);
    assert.equal(result, null);
  });

  it('the React wrappers import and make React elements', () => {
    const result = runInNode(`
      const React = await import('react');
      const wrappers = await import('${pkg.name}/react');
      const names = ['EdsLogin', 'IinLinkForm', 'KinshipStatus'];
      console.log(JSON.stringify(names.map((name) => {
        const element = React.createElement(wrappers[name], { lang: 'ru' });
        return [wrappers[name].displayName, typeof element.type];
      })));
    `);
    assert.deepEqual(result, [
      ['EdsLogin', 'object'],
      ['IinLinkForm', 'object'],
      ['KinshipStatus', 'object'],
    ]);
  });
});
