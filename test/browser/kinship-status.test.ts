import {
  expect,
  fixture,
  html,
  oneEvent,
  waitUntil,
} from '@open-wc/testing';
import type { IinLinkForm } from '../../src/components/iin-link-form.js';
import type { KinshipStatus } from '../../src/components/kinship-status.js';
import {
  QoltanbaChildLinkedEvent,
  QoltanbaLoginEvent,
  QoltanbaLogoutEvent,
} from '../../src/events.js';
import '../../src/define/index.js';
import {
  $,
  clickButton,
  deepActiveElement,
  maybe,
  text,
  typeInto,
  waitFor,
  waitForStatus,
} from './support/dom.js';
import {
  CHILD_AIGERIM,
  CHILD_ALIKHAN,
  FakeBackend,
  PARENT,
} from './support/fake-backend.js';

let backend: FakeBackend;

function mount(lang = 'en'): Promise<KinshipStatus> {
  return fixture<KinshipStatus>(
    html`<kinship-status lang=${lang}></kinship-status>`,
  );
}

function cards(el: KinshipStatus): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part="child"]')].map(text);
}

describe('<kinship-status>', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
    backend.loggedIn = true;
  });
  afterEach(() => backend.uninstall());

  it('asks a logged-out visitor to log in', async () => {
    backend.loggedIn = false;
    const el = await mount();
    expect(text($(el, 'section'))).to.contain(
      'Log in with your electronic signature to see your children',
    );
    const request = oneEvent(el, 'qoltanba-login-request');
    await clickButton(el, 'Log in with signature');
    await request;
    await expect(el).to.be.accessible();
  });

  it('lists the children with masked IINs and their applications', async () => {
    backend.linked = [CHILD_AIGERIM, CHILD_ALIKHAN];
    const el = await mount();
    const [first, second] = cards(el);
    expect(first).to.contain('ТЕСТОВА АЙГЕРІМ');
    expect(first).to.contain('IIN: 2012••••0031');
    expect(first).not.to.contain(CHILD_AIGERIM.iin);
    expect(first).to.contain('Date of birth: 5 December 2020');
    expect(first).to.contain('Application number AL-2023-004512');
    expect(first).to.contain('№ 12 «Балапан» бөбекжайы');
    expect(first).to.contain('Place in the queue 17');
    expect(first).to.contain('Status In the queue');
    expect(first).to.contain('Filed on 14 January 2021');
    expect(second).to.contain('Status Place offered');
    const kindergartens = el.shadowRoot!.querySelectorAll(
      '[part="application"] ol li',
    );
    expect(kindergartens).to.have.length(3);
    await expect(el).to.be.accessible();
  });

  it('says when no child is linked yet', async () => {
    const el = await mount();
    expect(text($(el, '[part="empty"]'))).to.equal(
      'No children are linked yet. Link a child by IIN to see the queue ' +
        'application here.',
    );
    await expect(el).to.be.accessible();
  });

  it('announces loading in its live region', async () => {
    const el = await mount();
    let release!: () => void;
    backend.gate = new Promise((resolve) => (release = resolve));
    backend.linked = [CHILD_AIGERIM];
    document.dispatchEvent(new QoltanbaLogoutEvent());
    await waitForStatus(el, 'Loading…');
    expect($(el, 'section').getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    release();
    backend.gate = null;
    await waitFor(el, '[part="child"]');
    expect(text($(el, '[role="status"]'))).to.equal('');
  });

  it('shows an error with a retry that works', async () => {
    backend.offline = true;
    const el = await mount();
    const alert = $(el, '[role="alert"] p');
    expect(text(alert)).to.equal(
      'Error: No connection to the portal. Check your internet connection ' +
        'and try again.',
    );
    await expect(el).to.be.accessible();

    backend.offline = false;
    backend.linked = [CHILD_AIGERIM];
    await clickButton(el, 'Try again');
    await el.updateComplete;
    expect(cards(el)).to.have.length(1);
    expect(maybe(el, '[role="alert"]')).to.equal(null);
  });

  it('keeps focus on the error when a retry fails again', async () => {
    backend.failNext('GET /children', 'RATE_LIMITED');
    backend.failNext('GET /children', 'RATE_LIMITED');
    const el = await mount();
    await clickButton(el, 'Try again');
    await waitFor(el, '[role="alert"]');
    await el.updateComplete;
    expect(deepActiveElement()).to.equal($(el, '#error'));
    expect(text($(el, '#error'))).to.contain('Too many attempts');
  });

  it('reloads when a child is linked, or a user logs in or out', async () => {
    backend.loggedIn = false;
    const el = await mount();
    expect(maybe(el, '[part="empty"]')).to.equal(null);

    backend.loggedIn = true;
    document.dispatchEvent(
      new QoltanbaLoginEvent({ user: PARENT, needsEmail: false }),
    );
    await el.updateComplete;
    expect(maybe(el, '[part="empty"]')).not.to.equal(null);

    backend.linked = [CHILD_AIGERIM];
    document.body.dispatchEvent(
      new QoltanbaChildLinkedEvent({ child: CHILD_AIGERIM }),
    );
    await el.updateComplete;
    expect(cards(el)).to.have.length(1);

    backend.loggedIn = false;
    document.dispatchEvent(new QoltanbaLogoutEvent());
    await el.updateComplete;
    expect(cards(el)).to.have.length(0);
    expect(text($(el, 'section'))).to.contain('Log in with your');
    expect(backend.calls('GET /children')).to.have.length(4);
  });

  it('shows a child linked by <iin-link-form> on the same page', async () => {
    const page = await fixture<HTMLDivElement>(html`<div lang="kk">
      <iin-link-form></iin-link-form>
      <kinship-status></kinship-status>
    </div>`);
    const form = page.querySelector<IinLinkForm>('iin-link-form')!;
    const status = page.querySelector<KinshipStatus>('kinship-status')!;
    await form.updateComplete;
    await status.updateComplete;
    expect(text($(status, '[part="empty"]'))).to.contain(
      'Әзірге байластырылған бала жоқ',
    );

    await typeInto(form, '#iin', CHILD_ALIKHAN.iin);
    await clickButton(form, 'Қосу');
    await waitForStatus(form, 'Туыстық расталды, деректер сәтті жаңартылды');
    await waitFor(status, '[part="child"]');
    const [card] = cards(status);
    expect(card).to.contain('ТЕСТОВ ӘЛИХАН');
    expect(card).to.contain('ЖСН: 2309••••1012');
    expect(card).to.contain('Мәртебесі Орын ұсынылды');
    await expect(page).to.be.accessible();
  });

  it('counts the children with the plural rules of each language', async () => {
    const many = [1, 2, 3, 4, 5].map((n) => ({
      ...CHILD_AIGERIM,
      iin: `20120550003${n}`,
    }));
    const cases: Array<[string, number, string]> = [
      ['en', 1, '1 child linked'],
      ['en', 2, '2 children linked'],
      ['ru', 1, 'Привязан 1 ребёнок'],
      ['ru', 2, 'Привязано 2 ребёнка'],
      ['ru', 5, 'Привязано 5 детей'],
      ['kk', 2, '2 бала байластырылған'],
    ];
    for (const [lang, count, expected] of cases) {
      backend.linked = many.slice(0, count);
      const el = await mount(lang);
      expect(text($(el, '[part="count"]')), `${lang} ${count}`).to.equal(
        expected,
      );
    }
  });

  it('writes dates in the words of each language', async () => {
    backend.linked = [CHILD_AIGERIM];
    const el = await mount('ru');
    expect(cards(el)[0]).to.contain('Дата рождения: 5 декабря 2020 г.');
    expect(cards(el)[0]).to.contain('Дата подачи 14 января 2021 г.');
    el.lang = 'kk';
    await el.updateComplete;
    expect(cards(el)[0]).to.contain('Туған күні: 2020 ж. 5 желтоқсан');
  });

  it('offers to log in again when the session has expired', async () => {
    backend.failNext('GET /children', 'SESSION_EXPIRED');
    const el = await mount();
    expect(text($(el, 'section'))).to.contain(
      'Your session has expired. Log in again to see your children',
    );
    const request = oneEvent(el, 'qoltanba-login-request');
    await clickButton(el, 'Log in again');
    await request;
    await expect(el).to.be.accessible();
  });

  it('reloads on demand with refresh()', async () => {
    const el = await mount();
    expect(maybe(el, '[part="empty"]')).not.to.equal(null);
    backend.linked = [CHILD_ALIKHAN];
    await el.refresh();
    expect(cards(el)).to.have.length(1);
    expect(backend.calls('GET /children')).to.have.length(2);
  });

  it('after a retry that works, focus goes to the heading', async () => {
    backend.offline = true;
    const el = await mount();
    backend.offline = false;
    await clickButton(el, 'Try again');
    await el.updateComplete;
    expect(deepActiveElement()).to.equal($(el, '#heading'));
  });

  it("asks the backend in the element's language, and again on a switch", async () => {
    backend.linked = [CHILD_AIGERIM];
    const el = await mount('ru');
    const languages = () =>
      backend
        .calls('GET /children')
        .map((r) => r.headers.get('Accept-Language'));
    expect(languages()).to.deep.equal(['ru']);
    el.lang = 'kk';
    await waitUntil(() => languages().length === 2, 'no second request');
    await el.updateComplete;
    expect(languages()).to.deep.equal(['ru', 'kk']);
    expect(text($(el, '#heading'))).to.equal('Менің балаларым');
  });
});
