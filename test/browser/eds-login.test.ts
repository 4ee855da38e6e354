import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { EdsLogin } from '../../src/components/eds-login.js';
import type { KeyFileErrorCode } from '../../src/crypto/types.js';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import '../../src/define/index.js';
import {
  $,
  chooseFile,
  clickButton,
  deepActiveElement,
  maybe,
  text,
  typeInto,
  waitFor,
  waitForStatus,
} from './support/dom.js';
import { FakeBackend, PARENT } from './support/fake-backend.js';
import { certificate, FakeKeyFile, PASSWORD } from './support/fake-signer.js';

const KEY_BYTES = new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x03]);

let backend: FakeBackend;
let keys: FakeKeyFile;

async function mount(lang = 'en'): Promise<EdsLogin> {
  const el = await fixture<EdsLogin>(
    html`<eds-login lang=${lang} .keyRingLoader=${keys.loader}></eds-login>`,
  );
  await el.updateComplete;
  return el;
}

async function mountLoggedOut(lang = 'en'): Promise<EdsLogin> {
  const el = await mount(lang);
  await waitFor(el, 'form[part="key-form"]');
  return el;
}

/** File, password, "Refresh key list": the key list appears. */
async function openKeyFile(el: EdsLogin, password = PASSWORD) {
  await chooseFile(el, '#key-file', KEY_BYTES);
  await typeInto(el, '#password', password);
  await clickButton(el, 'Refresh key list');
}

/** Up to the signer's name with "Log in" and "Remove". */
async function signWithKey(el: EdsLogin): Promise<void> {
  await openKeyFile(el);
  await waitFor(el, '[part="key-list"]');
  await clickButton(el, 'Sign');
  await waitFor(el, '[part="signer"]');
}

/**
 * Logged in: a heading for the person's cabinet, and their name shown
 * once, on the menu button; the status naming them is only heard.
 */
function expectCabinetOf(el: EdsLogin, heading: string): void {
  expect(text($(el, 'h2'))).to.equal(heading);
  expect(maybe(el, '.subtitle')).to.equal(null);
  const status = $(el, '[role="status"]');
  if (text(status) !== '') {
    expect(status.getBoundingClientRect().width).to.be.at.most(1);
  }
  const shown = text($(el, '[part="panel"]')).replace(text(status), '');
  expect(shown.split(PARENT.fullName)).to.have.length(2);
  expect(text($(el, '[part="user"]'))).to.equal(PARENT.fullName);
}

/** Switches `el` to kk, then ru, and checks what each should show. */
async function inKazakhAndRussian(
  el: EdsLogin,
  expected: { kk: string; ru: string },
  check: (shown: string) => void,
): Promise<void> {
  for (const lang of ['kk', 'ru'] as const) {
    el.lang = lang;
    await el.updateComplete;
    check(expected[lang]);
  }
}

describe('<eds-login>', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
    keys = new FakeKeyFile();
  });
  afterEach(() => backend.uninstall());

  it('starts with the key form when nobody is logged in', async () => {
    const el = await mountLoggedOut();
    expect(backend.calls('GET /me')).to.have.length(1);
    expect(text($(el, 'h2'))).to.equal('Log in to your personal cabinet');
    const options = el.shadowRoot!.querySelectorAll('#storage option');
    // The key file in the page, NCALayer (its storages once chosen), the
    // eGov app.
    expect([...options].map((o) => text(o))).to.deep.equal([
      'Personal computer',
      'Through the NCALayer program',
      'eGov Mobile app',
    ]);
    const password = $<HTMLInputElement>(el, '#password');
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('off');
    expect($<HTMLInputElement>(el, '#key-file').accept).to.contain('.p12');
    await expect(el).to.be.accessible();
  });

  it('restores a logged-in session from GET /me', async () => {
    backend.loggedIn = true;
    const el = await mount();
    await waitFor(el, '[part="user"]');
    expect(text($(el, '[part="user"]'))).to.equal(PARENT.fullName);
    expect(maybe(el, '[part="key-form"]')).to.equal(null);
    expectCabinetOf(el, 'Your personal cabinet');
    await expect(el).to.be.accessible();

    await inKazakhAndRussian(
      el,
      { kk: 'Жеке кабинетіңіз', ru: 'Ваш личный кабинет' },
      (heading) => expectCabinetOf(el, heading),
    );
  });

  it('asks for the file and the password before opening anything', async () => {
    const el = await mountLoggedOut();
    await clickButton(el, 'Refresh key list');
    expect(text($(el, '#key-file-error'))).to.equal(
      'Error: Choose your key file',
    );
    expect(text($(el, '#password-error'))).to.equal(
      'Error: Enter the password of the key file',
    );
    const file = $(el, '#key-file');
    expect(file.getAttribute('aria-invalid')).to.equal('true');
    expect(file.getAttribute('aria-describedby')).to.equal(
      'key-file-hint key-file-error',
    );
    expect(deepActiveElement()).to.equal(file);
    expect(keys.opened).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('lists the keys with the data the original portal shows', async () => {
    const el = await mountLoggedOut();
    await openKeyFile(el);
    const list = await waitFor(el, '[part="key-list"]');
    await waitForStatus(el, 'The key list is updated. Choose a key and sign.');

    expect(keys.opened[0]!.password).to.equal(PASSWORD);
    expect([...keys.opened[0]!.bytes]).to.deep.equal([...KEY_BYTES]);
    // The password is gone from the field once used.
    expect($<HTMLInputElement>(el, '#password').value).to.equal('');

    const shown = text(list);
    expect(shown).to.contain('ТЕСТОВ ТЕСТ ТЕСТОВИЧ');
    expect(shown).to.contain('IIN 850115300011');
    expect(shown).to.contain(
      'Validity 20.10.2025 (13:00) - 20.10.2035 (13:00)',
    );
    expect(shown).to.contain('Serial number 3c7a1f0e5d2b9a4c');
    expect(shown).to.contain('Issuer ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)');
    expect(shown).to.contain('Algorithm RSA 2048');
    expect($<HTMLInputElement>(el, '#key-0').checked).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('signs the challenge, logs in and out, firing typed events', async () => {
    const el = await mountLoggedOut();
    await signWithKey(el);

    // The UTF-8 bytes of the challenge the backend issued were signed.
    const [challenge] = [...backend.challenges.keys()];
    expect(new TextDecoder().decode(keys.signed[0]!.content)).to.equal(
      challenge,
    );
    expect(keys.signed[0]!.id).to.equal('auth');
    expect(keys.disposed).to.equal(1);
    expect(text($(el, '[part="signer"] .person'))).to.equal(
      'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
    );
    expect(deepActiveElement()).to.equal($(el, '#login'));
    await expect(el).to.be.accessible();

    const login = oneEvent(document, 'qoltanba-login');
    await clickButton(el, 'Log in');
    const event = await login;
    expect(event.detail).to.deep.equal({ user: PARENT, needsEmail: false });
    expect(event.bubbles && event.composed).to.equal(true);

    await waitFor(el, '[part="user"]');
    await waitForStatus(el, `You are logged in: ${PARENT.fullName}`);
    expectCabinetOf(el, 'Your personal cabinet');
    const [request] = backend.calls('POST /auth/login');
    expect(request!.headers.get('X-Qoltanba')).to.equal('1');
    expect(request!.credentials).to.equal('include');
    // The flow ends on the user's name, which opens the menu.
    expect(deepActiveElement()).to.equal($(el, '#user'));
    expect($(el, '#user').getAttribute('aria-expanded')).to.equal('false');
    expect($(el, '[part="user-menu"]').hidden).to.equal(true);
    await expect(el).to.be.accessible();

    await clickButton(el, PARENT.fullName);
    expect($(el, '#user').getAttribute('aria-expanded')).to.equal('true');
    expect(deepActiveElement()).to.equal($(el, '#logout'));
    await expect(el).to.be.accessible();

    const logout = oneEvent(document, 'qoltanba-logout');
    await clickButton(el, 'Log out');
    await logout;
    await waitFor(el, '[part="key-form"]');
    expect(backend.loggedIn).to.equal(false);
    await waitForStatus(el, 'You have logged out.');
    expect(deepActiveElement()).to.equal($(el, '#key-file'));
  });

  it('closes the user menu with Escape, back on the name', async () => {
    backend.loggedIn = true;
    const el = await mount();
    await waitFor(el, '[part="user"]');
    $(el, '#user').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(deepActiveElement()).to.equal($(el, '#logout'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect($(el, '[part="user-menu"]').hidden).to.equal(true);
    expect(deepActiveElement()).to.equal($(el, '#user'));
    expect(backend.loggedIn).to.equal(true);
  });

  it('lets the page veto sending the signature', async () => {
    const el = await mountLoggedOut();
    await signWithKey(el);
    const veto = (event: Event) => event.preventDefault();
    document.addEventListener('qoltanba-before-login', veto);
    try {
      const before = oneEvent(document, 'qoltanba-before-login');
      await clickButton(el, 'Log in');
      const event = await before;
      expect(event.cancelable && event.bubbles && event.composed).to.equal(
        true,
      );
      expect(event.detail.source).to.equal('file');
      expect(event.detail.certificate?.iin).to.equal(PARENT.iin);
      expect(event.detail.user).to.equal(null);
    } finally {
      document.removeEventListener('qoltanba-before-login', veto);
    }
    await el.updateComplete;
    expect(backend.calls('POST /auth/login')).to.have.length(0);
    expect(maybe(el, '[part="signer"]')).not.to.equal(null);

    await clickButton(el, 'Log in');
    await waitFor(el, '[part="user"]');
    expect(backend.calls('POST /auth/login')).to.have.length(1);
  });

  it('forgets the signature with "Remove"', async () => {
    const el = await mountLoggedOut();
    await signWithKey(el);
    await clickButton(el, 'Remove');
    await waitFor(el, '[part="key-form"]');
    expect($<HTMLInputElement>(el, '#key-file').files).to.have.length(0);
    expect(deepActiveElement()).to.equal($(el, '#key-file'));
    expect(backend.calls('POST /auth/login')).to.have.length(0);
  });

  it('asks a first-time user for an email address', async () => {
    backend.needsEmail = true;
    const el = await mountLoggedOut();
    await signWithKey(el);
    const first = oneEvent(document, 'qoltanba-login');
    await clickButton(el, 'Log in');
    expect((await first).detail.needsEmail).to.equal(true);
    await waitFor(el, '[part="email-form"]');
    expect(deepActiveElement()).to.equal($(el, '#email'));

    // No error while typing; it appears once the field is left.
    await typeInto(el, '#email', 'parent@mail');
    expect(maybe(el, '#email-error')).to.equal(null);
    expect($(el, '#email').hasAttribute('aria-invalid')).to.equal(false);
    await clickButton(el, 'Save');
    expect(text($(el, '#email-error'))).to.equal(
      'Error: Enter an email address in the correct format, like ' +
        'name@example.kz',
    );
    expect($(el, '#email').getAttribute('aria-invalid')).to.equal('true');
    expect(backend.calls('PUT /me/email')).to.have.length(0);
    await expect(el).to.be.accessible();

    await typeInto(el, '#email', '.kz');
    expect(maybe(el, '#email-error')).to.equal(null);
    const second = oneEvent(document, 'qoltanba-login');
    await clickButton(el, 'Save');
    expect((await second).detail.needsEmail).to.equal(false);
    await waitFor(el, '[part="user"]');
    expect(backend.calls('PUT /me/email')[0]!.body).to.deep.equal({
      email: 'parent@mail.kz',
    });
  });

  it("names a GOST key's algorithm in the element's language", async () => {
    keys.choices = [
      {
        id: 'gost',
        info: certificate({ algorithmName: 'ГОСТ 34.10-2015 512' }),
      },
    ];
    const el = await mountLoggedOut();
    await openKeyFile(el);
    const list = await waitFor(el, '[part="key-list"]');
    expect(text(list)).to.contain('Algorithm GOST 34.10-2015 512');
    const gost = 'Алгоритм ГОСТ 34.10-2015 512';
    await inKazakhAndRussian(el, { kk: gost, ru: gost }, (shown) =>
      expect(text($(el, '[part="key-list"]'))).to.contain(shown),
    );
  });

  it('greys out expired, future and SIGN-only keys, saying why', async () => {
    keys.choices = [
      {
        id: 'old',
        info: certificate({
          fullName: 'ЕСКІ КІЛТ',
          // 13:00 in Almaty, which was UTC+6 until March 2024.
          notBefore: new Date('2018-10-20T13:00:00+06:00'),
          notAfter: new Date('2019-10-20T13:00:00+06:00'),
        }),
      },
      {
        id: 'future',
        info: certificate({
          fullName: 'БОЛАШАҚ КІЛТ',
          notBefore: new Date('2099-01-01T09:30:00+05:00'),
          notAfter: new Date('2100-01-01T09:30:00+05:00'),
        }),
      },
      { id: 'sign', info: certificate({ fullName: 'ҚОЛ', purpose: 'sign' }) },
      { id: 'auth', info: certificate() },
    ];
    const el = await mountLoggedOut();
    await openKeyFile(el);
    await waitFor(el, '[part="key-list"]');
    const radios = [
      ...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[name="key"]'),
    ];
    expect(radios.map((r) => r.disabled)).to.deep.equal([
      true,
      true,
      true,
      false,
    ]);
    expect(radios[3]!.checked).to.equal(true);
    expect(text($(el, '#key-0-reason'))).to.equal(
      'The certificate expired on 20.10.2019 (13:00). This key cannot be ' +
        'used to log in.',
    );
    expect(text($(el, '#key-1-reason'))).to.contain('01.01.2099 (09:30)');
    expect(text($(el, '#key-2-reason'))).to.contain('AUTH_RSA');
    expect(radios[0]!.getAttribute('aria-describedby')).to.equal(
      'key-0-details key-0-reason',
    );
    await expect(el).to.be.accessible();
  });

  it('warns before signing with a key that expires soon', async () => {
    const soon = new Date(Date.now() + 12 * 24 * 3600_000 + 3600_000);
    keys.choices = [
      { id: 'soon', info: certificate({ notAfter: soon }) },
    ];
    const el = await mountLoggedOut();
    await openKeyFile(el);
    await waitFor(el, '[part="key-list"]');
    const radio = $<HTMLInputElement>(el, '#key-0');
    // Still usable: a warning, not a refusal.
    expect(radio.disabled).to.equal(false);
    expect(radio.checked).to.equal(true);
    expect(text($(el, '[part="key-warning"]'))).to.match(
      /^Warning: The certificate expires on \d\d\.\d\d\.\d{4} \(\d\d:\d\d\) \(12 days left\)\. Get a new key/,
    );
    expect(radio.getAttribute('aria-describedby')).to.equal(
      'key-0-details key-0-warnings',
    );
    // The sign button names the warning of the chosen key.
    expect($(el, '[part="sign-button"]').getAttribute('aria-describedby')).to
      .equal('key-0-warnings');
    await expect(el).to.be.accessible();

    el.lang = 'ru';
    await el.updateComplete;
    expect(text($(el, '[part="key-warning"]'))).to.contain('осталось 12 дней');
  });

  it('counts the days left with the plural rules of each language', async () => {
    const cases: Array<[number, string, string]> = [
      [1, 'en', '(1 day left)'],
      [1, 'ru', '(остался 1 день)'],
      [3, 'ru', '(осталось 3 дня)'],
      [21, 'ru', '(остался 21 день)'],
      [3, 'kk', '(3 күн қалды)'],
    ];
    for (const [days, lang, expected] of cases) {
      const end = new Date(Date.now() + days * 24 * 3600_000 + 3600_000);
      keys = new FakeKeyFile();
      keys.choices = [{ id: 'soon', info: certificate({ notAfter: end }) }];
      const el = await mountLoggedOut(lang);
      await chooseFile(el, '#key-file', KEY_BYTES);
      await typeInto(el, '#password', PASSWORD);
      $<HTMLButtonElement>(el, '[part="refresh-button"]').click();
      await waitFor(el, '[part="key-warning"]');
      expect(text($(el, '[part="key-warning"]')), lang).to.contain(expected);
    }
  });

  it("warns about an organisation's key and refuses one without IIN", async () => {
    keys.choices = [
      {
        id: 'org',
        info: certificate({
          holder: 'legal-entity',
          organisation: 'ТОО «БАЛАПАН»',
          bin: '040540001230',
        }),
      },
      {
        id: 'system',
        info: certificate({ holder: 'system', iin: undefined }),
      },
      { id: 'auth', info: certificate() },
    ];
    const el = await mountLoggedOut();
    await openKeyFile(el);
    const list = await waitFor(el, '[part="key-list"]');
    expect(text(list)).to.contain('Organisation ТОО «БАЛАПАН»');
    expect(text(list)).to.contain('BIN 040540001230');
    expect(text($(el, '#key-0-warnings'))).to.contain(
      'This key belongs to an organisation',
    );
    expect($<HTMLInputElement>(el, '#key-0').disabled).to.equal(false);
    expect(text($(el, '#key-1-reason'))).to.contain('has no IIN');
    expect($<HTMLInputElement>(el, '#key-1').disabled).to.equal(true);
    // The personal key is chosen first; the organisation's stays possible.
    expect($<HTMLInputElement>(el, '#key-2').checked).to.equal(true);
    expect(
      $(el, '[part="sign-button"]').hasAttribute('aria-describedby'),
    ).to.equal(false);
    await expect(el).to.be.accessible();

    $<HTMLInputElement>(el, '#key-0').click();
    await el.updateComplete;
    expect($(el, '[part="sign-button"]').getAttribute('aria-describedby')).to
      .equal('key-0-warnings');
    await clickButton(el, 'Sign');
    await waitFor(el, '[part="signer"]');
    expect(keys.signed[0]!.id).to.equal('org');
  });

  it('cannot sign when no key in the file can log in', async () => {
    keys.choices = [
      { id: 'sign', info: certificate({ purpose: 'sign' }) },
    ];
    const el = await mountLoggedOut();
    await openKeyFile(el);
    await waitFor(el, '[part="key-list"]');
    expect($<HTMLButtonElement>(el, '[part="sign-button"]').disabled).to.equal(
      true,
    );
    await waitForStatus(
      el,
      'No key in this file can be used to log in: see why below.',
    );
  });

  it('says so in each language when the only key has expired', async () => {
    keys.choices = [
      {
        id: 'old',
        info: certificate({
          notBefore: new Date('2018-10-20T13:00:00+06:00'),
          notAfter: new Date('2019-10-20T13:00:00+06:00'),
        }),
      },
    ];
    for (const [lang, said] of [
      [
        'kk',
        'Бұл файлдағы ешбір кілтпен кіру мүмкін емес: себебі төменде ' +
          'көрсетілген.',
      ],
      [
        'ru',
        'Ни один ключ из этого файла не подходит для входа: причина ' +
          'указана ниже.',
      ],
    ] as const) {
      const el = await mountLoggedOut(lang);
      await chooseFile(el, '#key-file', KEY_BYTES);
      await typeInto(el, '#password', PASSWORD);
      $(el, '[part="refresh-button"]').click();
      await waitFor(el, '[part="key-list"]');
      await waitForStatus(el, said);
      await expect(el).to.be.accessible();
    }
  });

  it('explains each key file problem in its own words', async () => {
    const codes: KeyFileErrorCode[] = [
      'WRONG_PASSWORD',
      'NOT_A_KEY_FILE',
      'NO_KEYS',
      'UNSUPPORTED_ALGORITHM',
      'UNSUPPORTED_KEY',
      'CORRUPT_FILE',
    ];
    const seen = new Map<string, string>();
    for (const code of codes) {
      keys = new FakeKeyFile();
      keys.failWith = code;
      const el = await mountLoggedOut();
      const reported = oneEvent(el, 'qoltanba-error');
      await openKeyFile(el);
      const alert = await waitFor(el, '[role="alert"]');
      expect((await reported).detail).to.deep.equal({
        code,
        source: 'eds-login',
      });
      expect(alert.dataset.code).to.equal(code);
      expect(deepActiveElement()).to.equal(alert);
      expect($<HTMLInputElement>(el, '#password').value).to.equal('');
      seen.set(code, text(alert));
    }
    expect(seen.get('WRONG_PASSWORD')).to.equal(
      'Error: The password is wrong. Check the keyboard layout and Caps ' +
        'Lock, then type the password again.',
    );
    expect(new Set(seen.values()).size).to.equal(codes.length);
  });

  it('shows the real wrong-password message for a mistyped password', async () => {
    const el = await mountLoggedOut();
    await openKeyFile(el, 'qwerty12');
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('WRONG_PASSWORD');
    await expect(el).to.be.accessible();
  });

  it('never shows a stack trace for an unexpected failure', async () => {
    const el = await fixture<EdsLogin>(html`<eds-login
      lang="en"
      .keyRingLoader=${async () => {
        throw new Error('boom at openKeys (key-file-signer.js:42:7)');
      }}
    ></eds-login>`);
    await waitFor(el, '[part="key-form"]');
    await openKeyFile(el);
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('UNEXPECTED');
    expect(text(el.shadowRoot)).not.to.contain('boom');
  });

  it('renders every login refusal of the backend distinctly', async () => {
    const codes: ApiErrorCode[] = [
      'CHALLENGE_EXPIRED',
      'CHALLENGE_USED',
      'CHALLENGE_NOT_FOUND',
      'SIGNATURE_INVALID',
      'SIGNATURE_MALFORMED',
      'CONTENT_MISMATCH',
      'CERT_EXPIRED',
      'CERT_NOT_YET_VALID',
      'CERT_UNTRUSTED',
      'CERT_WRONG_PURPOSE',
      'CERT_NO_IIN',
      'ALGORITHM_UNSUPPORTED',
      'RATE_LIMITED',
    ];
    const seen = new Map<string, string>();
    for (const code of codes) {
      keys = new FakeKeyFile();
      const el = await mountLoggedOut();
      await signWithKey(el);
      backend.failNext('POST /auth/login', code);
      await clickButton(el, 'Log in');
      const alert = await waitFor(el, '[role="alert"]');
      expect(alert.dataset.code).to.equal(code);
      // A refused signature means starting again from the key file.
      expect(maybe(el, '[part="key-form"]')).not.to.equal(null);
      seen.set(code, text(alert));
    }
    expect(seen.get('CHALLENGE_EXPIRED')).to.equal(
      'Error: The login request has expired. Sign again.',
    );
    expect(seen.get('CERT_WRONG_PURPOSE')).to.contain('AUTH_RSA');
    expect(new Set(seen.values()).size).to.equal(codes.length);
  });

  it('keeps the signature when the network drops, so a retry works', async () => {
    const el = await mountLoggedOut();
    await signWithKey(el);
    backend.offline = true;
    await clickButton(el, 'Log in');
    const alert = await waitFor(el, '[role="alert"]');
    expect(text(alert)).to.equal(
      'Error: No connection to the portal. Check your internet connection ' +
        'and try again.',
    );
    expect(maybe(el, '#login')).not.to.equal(null);
    await expect(el).to.be.accessible();

    backend.offline = false;
    await clickButton(el, 'Log in');
    await waitFor(el, '[part="user"]');
  });

  it('reports a backend that cannot be reached on load', async () => {
    backend.offline = true;
    const el = await mount();
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('NETWORK');
    expect(maybe(el, '[part="key-form"]')).not.to.equal(null);
  });

  it('speaks Kazakh and switches to Russian when lang changes', async () => {
    const el = await mountLoggedOut('kk');
    expect(text($(el, 'h2'))).to.equal('Жеке кабинетке кіру');
    expect(text($(el, '.subtitle'))).to.equal('ЭЦҚ бойынша');
    expect(text($(el, '[part="refresh-button"]'))).to.equal(
      'Кілттер тізімін жаңарту',
    );
    await expect(el).to.be.accessible();

    el.lang = 'ru';
    await el.updateComplete;
    expect(text($(el, '[part="refresh-button"]'))).to.equal(
      'Обновить список ключей',
    );
    expect(text($(el, '#storage option'))).to.equal('Персональный компьютер');

    await chooseFile(el, '#key-file', KEY_BYTES);
    await typeInto(el, '#password', PASSWORD);
    await clickButton(el, 'Обновить список ключей');
    await waitFor(el, '[part="key-list"]');
    expect(text($(el, '[part="sign-button"]'))).to.equal('Подписать');
    await clickButton(el, 'Подписать');
    await waitFor(el, '[part="signer"]');
    expect(text($(el, '#login'))).to.equal('Логин');
    expect(text($(el, '[part="remove-button"]'))).to.equal('Удалить');

    el.lang = 'kz';
    await el.updateComplete;
    expect(text($(el, '#login'))).to.equal('Кіру');
    expect(text($(el, '[part="remove-button"]'))).to.equal('Жою');
  });

  it('answers a login request from another element', async () => {
    backend.loggedIn = true;
    const el = await mount();
    await waitFor(el, '[part="user"]');
    backend.loggedIn = false;
    const request = new (await import('../../src/events.js'))
      .QoltanbaLoginRequestEvent();
    document.body.dispatchEvent(request);
    expect(request.defaultPrevented).to.equal(true);
    await waitFor(el, '[part="key-form"]');
    expect(deepActiveElement()).to.equal($(el, '#key-file'));
  });
});

describe('<eds-login> with the real key-file signer', () => {
  const FILE = '/__nca-test-pki/rsa_individual_auth_revoked_2022.p12';

  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  async function realKeyFile(context: Mocha.Context): Promise<Uint8Array> {
    const response = await fetch(FILE);
    if (response.status === 404) {
      console.warn(`skipped: ${FILE} is not available`);
      context.skip();
    }
    try {
      await import('../../src/crypto/key-file-signer.js');
    } catch {
      console.warn('skipped: src/crypto/key-file-signer.ts is not there yet');
      context.skip();
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  it('opens an NCA AUTH_RSA file and shows its expired key', async function () {
    this.timeout(20000);
    const bytes = await realKeyFile(this);
    const el = await fixture<EdsLogin>(html`<eds-login lang="en"></eds-login>`);
    await waitFor(el, '[part="key-form"]');
    await chooseFile(el, '#key-file', bytes, 'AUTH_RSA256_test.p12');
    await typeInto(el, '#password', 'Qwerty12');
    await clickButton(el, 'Refresh key list');
    const list = await waitFor(el, '[part="key-list"]', 'no key list');

    const shown = text(list);
    expect(shown).to.contain('ТЕСТОВ ТЕСТ');
    expect(shown).to.contain('IIN 123456789011');
    expect(shown).to.match(
      /Validity 18\.01\.2022 \(\d\d:\d\d\) - 18\.01\.2023 \(\d\d:\d\d\)/,
    );
    expect(shown).to.contain('ҰКО 3.0 (RSA TEST)');
    expect(shown).to.contain('RSA');
    // Expired since 2023: greyed out with the reason, nothing to sign.
    expect(text($(el, '#key-0-reason'))).to.match(
      /^The certificate expired on 18\.01\.2023/,
    );
    expect($<HTMLButtonElement>(el, '[part="sign-button"]').disabled).to.equal(
      true,
    );
    expect($<HTMLInputElement>(el, '#password').value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('says the password is wrong for the real file', async function () {
    this.timeout(20000);
    const bytes = await realKeyFile(this);
    const el = await fixture<EdsLogin>(html`<eds-login lang="en"></eds-login>`);
    await waitFor(el, '[part="key-form"]');
    await chooseFile(el, '#key-file', bytes);
    await typeInto(el, '#password', 'Qwerty13');
    await clickButton(el, 'Refresh key list');
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('WRONG_PASSWORD');
  });
});
