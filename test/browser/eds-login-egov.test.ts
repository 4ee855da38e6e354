// <eds-login> with the eGov mobile app as the key source, against the fake
// backend: the QR code and what it holds, the countdown, logging in when
// the phone has signed, expiry and a new code, a refused signature, and
// choosing another way. The phone itself is in the end-to-end test.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { EdsLogin } from '../../src/components/eds-login.js';
import { edsLoginParts } from '../../src/components/eds-login-parts.js';
import '../../src/define/index.js';
import {
  $,
  chooseOption,
  clickButton,
  deepActiveElement,
  maybe,
  text,
  waitFor,
  waitForStatus,
} from './support/dom.js';
import { FakeBackend } from './support/fake-backend.js';

let backend: FakeBackend;

async function showQr(lang = 'en'): Promise<EdsLogin> {
  const el = await fixture<EdsLogin>(html`<eds-login
    lang=${lang}
    .egovPollMs=${50}
  ></eds-login>`);
  await waitFor(el, 'form[part="key-form"]');
  await chooseOption(el, '#storage', 'egov');
  $(el, '[part="egov-button"]').click();
  await waitFor(el, '[part="qr"]');
  return el;
}

describe('<eds-login> with eGov Mobile', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('shows the QR code, a countdown and the same-phone link', async () => {
    const el = await showQr();
    const qr = $(el, '[part="qr"]');
    expect(qr.dataset.payload).to.equal(
      'mobileSign:https://portal.example.kz/api/egov/fake-session',
    );
    const svg = qr.querySelector('svg')!;
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal('QR code for eGov Mobile');
    expect(svg.querySelector('path')!.getAttribute('d')).to.match(/^M\d/);
    expect(text($(el, '[part="countdown"]'))).to.match(
      /^The code is valid for (5:00|4:5\d) more\.$/,
    );
    const link = $<HTMLAnchorElement>(el, '[part="egov-link"]');
    expect(link.href).to.equal(
      'https://m.egov.kz/mobileSign?link=' +
        encodeURIComponent('https://portal.example.kz/api/egov/fake-session'),
    );
    // A desktop-wide screen scans the code; the link is for phones.
    expect(getComputedStyle(link).display).to.equal('none');
    expect(deepActiveElement()?.id).to.equal('qr-heading');
    await waitForStatus(
      el,
      'Scan the QR code with the eGov Mobile app and sign on the phone.',
    );
    await expect(el).to.be.accessible();
  });

  it('logs in as soon as the phone has signed', async () => {
    const el = await showQr();
    const login = oneEvent(el, 'qoltanba-login');
    backend.egovSigned = true;
    const event = await login;
    expect(event.detail.user.iin).to.equal(backend.user.iin);
    await waitFor(el, '[part="user"]');
    expect(maybe(el, '[part="qr"]')).to.equal(null);
  });

  it('counts down to expiry and offers a new code', async () => {
    backend.egovLifetimeMs = 1200;
    const el = await showQr();
    await waitFor(el, '#egov-restart');
    expect(maybe(el, '[part="qr"]')).to.equal(null);
    await waitForStatus(
      el,
      'The QR code has expired. Show a new one to try again.',
    );
    expect(deepActiveElement()?.id).to.equal('egov-restart');
    await expect(el).to.be.accessible();
    const polls = backend.calls('POST /auth/egov/status').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backend.calls('POST /auth/egov/status')).to.have.length(polls);

    backend.egovLifetimeMs = 60_000;
    await clickButton(el, 'Show a new QR code');
    await waitFor(el, '[part="qr"]');
    expect(backend.calls('POST /auth/egov')).to.have.length(2);
  });

  it('asks the portal before the session is used, and fires login', async () => {
    const el = await showQr();
    const order: string[] = [];
    const before = oneEvent(el, 'qoltanba-before-login');
    el.addEventListener('qoltanba-before-login', () => order.push('before'));
    el.addEventListener('qoltanba-login', () => order.push('login'));
    backend.egovSigned = true;
    const { detail } = await before;
    expect(detail.source).to.equal('egov');
    expect(detail.certificate).to.equal(null);
    expect(detail.user?.iin).to.equal(backend.user.iin);
    await waitFor(el, '[part="user"]');
    expect(order).to.deep.equal(['before', 'login']);
  });

  it('logs the new session out when the portal cancels', async () => {
    const el = await showQr();
    let loggedIn = false;
    el.addEventListener('qoltanba-before-login', (e) => e.preventDefault());
    el.addEventListener('qoltanba-login', () => (loggedIn = true));
    backend.egovSigned = true;
    await waitUntil(
      () => backend.calls('POST /auth/logout').length === 1,
      'the session the phone opened is closed',
    );
    await waitFor(el, 'form[part="key-form"]');
    expect(maybe(el, '[part="qr"]')).to.equal(null);
    expect(maybe(el, '[part="user"]')).to.equal(null);
    expect(maybe(el, '[role="alert"]')).to.equal(null);
    expect(loggedIn).to.equal(false);
    await waitUntil(() => deepActiveElement()?.id === 'storage');
  });

  it('says so when its code does not load; a next try loads', async () => {
    const load = edsLoginParts.egov;
    const lost = new TypeError('Failed to fetch dynamically imported module');
    edsLoginParts.egov = () => Promise.reject(lost);
    try {
      const el = await fixture<EdsLogin>(
        html`<eds-login lang="ru"></eds-login>`,
      );
      await waitFor(el, 'form[part="key-form"]');
      await chooseOption(el, '#storage', 'egov');
      const alert = await waitFor(el, '[role="alert"]');
      expect(alert.dataset.code).to.equal('LOAD_FAILED');
      expect(text(alert)).to.contain('не загрузилась');
      await waitUntil(() => deepActiveElement()?.id === 'error');
      await expect(el).to.be.accessible();

      edsLoginParts.egov = load;
      $(el, '[part="egov-button"]').click();
      await waitFor(el, '[part="qr"]');
      expect(maybe(el, '[role="alert"]')).to.equal(null);
    } finally {
      edsLoginParts.egov = load;
    }
  });

  it('says why when the phone sent a signature that does not log in', async () => {
    const el = await showQr();
    backend.egovFailWith = 'CERT_UNTRUSTED';
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('CERT_UNTRUSTED');
    expect(maybe(el, '[part="qr"]')).to.equal(null);
    expect(maybe(el, 'form[part="key-form"]')).not.to.equal(null);
  });

  it('goes back to the sources with "Choose another way"', async () => {
    const el = await showQr();
    await clickButton(el, 'Choose another way');
    expect(maybe(el, '[part="qr"]')).to.equal(null);
    expect(deepActiveElement()?.id).to.equal('storage');
    const polls = backend.calls('POST /auth/egov/status').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backend.calls('POST /auth/egov/status')).to.have.length(polls);
  });

  it('stops polling when removed from the page', async () => {
    const el = await showQr();
    el.remove();
    const polls = backend.calls('POST /auth/egov/status').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backend.calls('POST /auth/egov/status')).to.have.length(polls);
  });

  it('speaks Kazakh and Russian on the QR step', async () => {
    for (const [lang, phrase] of [
      ['kk', 'QR кодты eGov Mobile қосымшасымен'],
      ['ru', 'Отсканируйте QR-код приложением eGov Mobile'],
    ] as const) {
      const el = await showQr(lang);
      await waitUntil(() => text($(el, '[role="status"]')).includes(phrase));
      await expect(el).to.be.accessible();
    }
  });
});
