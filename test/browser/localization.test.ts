import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  DEFAULT_LOCALE,
  resolveLocale,
  toLocaleCode,
} from '../../src/localization.js';
import { localePartLoaders } from '../../src/generated/locale-parts.js';
import { templates as kkFirst } from '../../src/generated/locales/kk.js';
import { templates as ruFirst } from '../../src/generated/locales/ru.js';

/** A locale's messages: the first module and every part's, merged. */
async function allTemplates(
  first: object,
  parts: Record<string, () => Promise<{ templates: object }>>,
): Promise<object> {
  const modules = await Promise.all(Object.values(parts).map((p) => p()));
  return Object.assign({}, first, ...modules.map((m) => m.templates));
}

async function units(locale: string): Promise<Map<string, Element>> {
  const response = await fetch(`/locales/${locale}.xlf`);
  expect(response.ok, `/locales/${locale}.xlf`).to.equal(true);
  const xml = new DOMParser().parseFromString(
    await response.text(),
    'application/xml',
  );
  return new Map(
    [...xml.querySelectorAll('trans-unit')].map((u) => [u.id, u]),
  );
}

const placeholders = (node: Element | null) =>
  [...(node?.querySelectorAll('x') ?? [])].map((x) => x.id).sort();

describe('localization', () => {
  it('maps language tags to the locales we ship', () => {
    expect(toLocaleCode('kk')).to.equal('kk');
    expect(toLocaleCode('kz')).to.equal('kk');
    expect(toLocaleCode('kk-KZ')).to.equal('kk');
    expect(toLocaleCode('ru-RU')).to.equal('ru');
    expect(toLocaleCode('EN_us')).to.equal('en');
    expect(toLocaleCode('de')).to.equal(null);
    expect(toLocaleCode('')).to.equal(null);
    expect(DEFAULT_LOCALE).to.equal('kk');
  });

  it('takes the element, then an ancestor, across shadow roots', async () => {
    const page = await fixture<HTMLDivElement>(html`<div lang="ru-RU">
      <p lang="de"><span id="inner"></span></p>
      <span id="own" lang="kz"></span>
      <div id="host"></div>
    </div>`);
    expect(resolveLocale(page.querySelector('#own')!)).to.equal('kk');
    // "de" is not shipped: the next declared language wins.
    expect(resolveLocale(page.querySelector('#inner')!)).to.equal('ru');
    const root = page.querySelector('#host')!.attachShadow({ mode: 'open' });
    const deep = document.createElement('b');
    root.append(deep);
    expect(resolveLocale(deep)).to.equal('ru');
  });

  it('has every message translated in kk and ru, placeholders kept', async () => {
    const [kkUnits, ruUnits] = await Promise.all([units('kk'), units('ru')]);
    expect([...kkUnits.keys()].sort()).to.deep.equal(
      [...ruUnits.keys()].sort(),
    );
    for (const table of [kkUnits, ruUnits]) {
      for (const [id, unit] of table) {
        const source = unit.querySelector('source');
        const target = unit.querySelector('target');
        expect(target, `${id} has no target`).not.to.equal(null);
        expect(text(target), id).not.to.equal('');
        expect(placeholders(target), id).to.deep.equal(placeholders(source));
      }
    }
    // Both files were extracted from the same sources.
    for (const [id, unit] of kkUnits) {
      const other = ruUnits.get(id)!.querySelector('source');
      expect(unit.querySelector('source')?.innerHTML, id).to.equal(
        other?.innerHTML,
      );
    }
    // Counted phrases exist in every plural form any shipped language uses.
    for (const base of ['children-linked', 'days-left']) {
      for (const form of ['one', 'few', 'many', 'other']) {
        expect(kkUnits.has(`${base}-${form}`), `${base}-${form}`).to.equal(
          true,
        );
      }
    }
    // The generated runtime modules carry the same ids.
    const kk = await allTemplates(kkFirst, localePartLoaders.kk);
    const ru = await allTemplates(ruFirst, localePartLoaders.ru);
    expect(Object.keys(kk).sort()).to.deep.equal([...kkUnits.keys()].sort());
    expect(Object.keys(ru).sort()).to.deep.equal([...ruUnits.keys()].sort());
  });
});

describe('language at run time', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
  });

  it("follows the page's lang when the element has none", async () => {
    await import('../../src/define/index.js');
    document.documentElement.lang = 'ru';
    const el = await fixture<HTMLElement & { updateComplete: Promise<boolean> }>(
      html`<kinship-status backend-url="/nowhere"></kinship-status>`,
    );
    const heading = () => text(el.shadowRoot!.querySelector('h2'));
    expect(heading()).to.equal('Мои дети');
    document.documentElement.lang = 'kk';
    await waitUntil(() => heading() === 'Менің балаларым', heading());
    document.documentElement.lang = 'en';
    await waitUntil(() => heading() === 'My children', heading());
  });

  it('lets two elements on one page speak two languages', async () => {
    await import('../../src/define/index.js');
    document.documentElement.lang = 'kk';
    const page = await fixture<HTMLDivElement>(html`<div>
      <kinship-status backend-url="/nowhere"></kinship-status>
      <div lang="ru">
        <kinship-status backend-url="/nowhere"></kinship-status>
      </div>
      <kinship-status lang="en" backend-url="/nowhere"></kinship-status>
    </div>`);
    const elements = [...page.querySelectorAll('kinship-status')];
    await Promise.all(elements.map((el) => (el as Updating).updateComplete));
    const headings = () =>
      elements.map((el) => text(el.shadowRoot!.querySelector('h2')));
    expect(headings()).to.deep.equal([
      'Менің балаларым',
      'Мои дети',
      'My children',
    ]);
    // Only the element without a language of its own follows the page.
    document.documentElement.lang = 'ru';
    await waitUntil(() => headings()[0] === 'Мои дети', headings().join());
    expect(headings().slice(1)).to.deep.equal(['Мои дети', 'My children']);
    elements[2]!.setAttribute('lang', 'kk');
    await (elements[2] as Updating).updateComplete;
    expect(headings()[2]).to.equal('Менің балаларым');
    expect((elements[2] as Updating & { locale: string }).locale).to.equal(
      'kk',
    );
  });

  it('lets a portal choose the page language with setLocale()', async () => {
    const { setLocale, getLocale } = await import(
      '../../src/localization.js'
    );
    await import('../../src/define/index.js');
    document.documentElement.lang = 'en';
    const page = await fixture<HTMLDivElement>(html`<div>
      <kinship-status backend-url="/nowhere"></kinship-status>
      <kinship-status lang="kk" backend-url="/nowhere"></kinship-status>
    </div>`);
    const [first, second] = [...page.querySelectorAll('kinship-status')];
    try {
      await setLocale('ru');
      expect(getLocale()).to.equal('ru');
      expect(text(first!.shadowRoot!.querySelector('h2'))).to.equal(
        'Мои дети',
      );
      // An element's own lang still wins over the page's.
      expect(text(second!.shadowRoot!.querySelector('h2'))).to.equal(
        'Менің балаларым',
      );
    } finally {
      await setLocale(null);
    }
    expect(getLocale()).to.equal('en');
  });

  it('gives a form-associated field its message in its own language', async () => {
    await import('../../src/define/index.js');
    document.documentElement.lang = 'en';
    const form = await fixture<HTMLFormElement>(html`<form>
      <iin-link-form lang="ru" name="iin" required></iin-link-form>
    </form>`);
    const field = form.querySelector('iin-link-form') as Updating & {
      validationMessage: string;
    };
    await field.updateComplete;
    expect(field.validationMessage).to.equal('Введите ИИН ребёнка');
  });
});

type Updating = Element & { updateComplete: Promise<boolean> };

function text(node: Element | null): string {
  return (node?.textContent ?? '').trim();
}
