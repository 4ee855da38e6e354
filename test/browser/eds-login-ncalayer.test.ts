// <eds-login> with NCALayer as the key source, against the fake NCALayer
// (test/support/fake-ncalayer.ts) over real TLS on 127.0.0.1: the test
// browser trusts the certificate of one fake and not of the other. The
// fakes sign with the demo PKI's RSA login key of ЖАНДОСОВ ЕРЛАН.
import {
  expect,
  fixture,
  html,
  oneEvent,
  waitUntil,
} from '@open-wc/testing';
import type { EdsLogin } from '../../src/components/eds-login.js';
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

interface FakePorts {
  trusted: number;
  untrusted: number;
  silent: number;
  closed: number;
}

const SIGNER = 'ЖАНДОСОВ ЕРЛАН САҒАТҰЛЫ';

let backend: FakeBackend;
let ports: FakePorts;

async function mount(
  url: string,
  lang = 'en',
  storages = 'AKKaztokenStore AKKZIDCardStore',
): Promise<EdsLogin> {
  const el = await fixture<EdsLogin>(html`<eds-login
    lang=${lang}
    ncalayer-url=${url}
    ncalayer-storages=${storages}
    .ncalayerTimeoutMs=${700}
  ></eds-login>`);
  await waitFor(el, 'form[part="key-form"]');
  return el;
}

/** Chooses NCALayer; `updateComplete` waits until it listed storages. */
async function chooseNcaLayer(el: EdsLogin): Promise<string[]> {
  await chooseOption(el, '#storage', 'ncalayer');
  const options = el.shadowRoot!.querySelectorAll('#ncalayer-storage option');
  return [...options].map((o) => text(o));
}

/**
 * Lists the storages through the trusted fake, then signs through `port`:
 * an NCALayer that stops or hangs after it listed its storages.
 */
async function signThrough(path: string, port = ports.trusted) {
  const el = await mount(
    `wss://127.0.0.1:${ports.trusted}/?tokens=AKKaztokenStore`,
  );
  await chooseNcaLayer(el);
  await chooseOption(el, '#ncalayer-storage', 'AKKaztokenStore');
  el.ncalayerUrl = `wss://127.0.0.1:${port}/${path}?tokens=AKKaztokenStore`;
  await clickButton(el, 'Sign with NCALayer');
  return el;
}

async function errorOf(el: EdsLogin): Promise<{ code: string; shown: string }> {
  const alert = await waitFor(el, '[role="alert"]');
  return { code: alert.dataset.code ?? '', shown: text(alert) };
}

describe('<eds-login> with NCALayer', () => {
  beforeEach(async () => {
    ports ??= (await (await fetch('/__fake-ncalayer.json')).json()) as FakePorts;
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('offers the key file and the tokens NCALayer sees, in its list', async () => {
    const tokens = 'AKKaztokenStore,AKEToken72KStore';
    const el = await mount(
      `wss://127.0.0.1:${ports.trusted}/?tokens=${tokens}`,
      'en',
      'PKCS12 AKKaztokenStore AKKZIDCardStore',
    );
    const sources = el.shadowRoot!.querySelectorAll('#storage option');
    expect([...sources].map((o) => text(o))).to.deep.equal([
      'Personal computer',
      'Through the NCALayer program',
      'eGov Mobile app',
    ]);
    // eToken is plugged in but not in the list; no ID card is plugged in.
    expect(await chooseNcaLayer(el)).to.deep.equal([
      'Key file (.p12)',
      'Kaztoken',
    ]);
    expect(maybe(el, '#key-file')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal(
      'The storage list is updated. Choose where your key is.',
    );
    expect(text($(el, '[part="ncalayer-button"]'))).to.equal(
      'Sign with NCALayer',
    );
    await expect(el).to.be.accessible();

    el.setAttribute('sources', 'file');
    await el.updateComplete;
    const left = el.shadowRoot!.querySelectorAll('#storage option');
    expect([...left].map((o) => text(o))).to.deep.equal(['Personal computer']);
    expect(maybe(el, '#key-file')).not.to.equal(null);
  });

  it('offers every plugged-in token when no list is set', async () => {
    const el = await mount(
      `wss://127.0.0.1:${ports.trusted}/?tokens=AKKZIDCardStore`,
      'en',
      '',
    );
    expect(await chooseNcaLayer(el)).to.deep.equal([
      'Key file (.p12)',
      'ID card',
    ]);
  });

  it('lists the storages at once when NCALayer is the one source', async () => {
    const el = await fixture<EdsLogin>(html`<eds-login
      lang="en"
      sources="ncalayer"
      ncalayer-url="wss://127.0.0.1:${ports.trusted}/?tokens=AKKaztokenStore"
      .ncalayerTimeoutMs=${700}
    ></eds-login>`);
    await waitFor(el, '#ncalayer-storage');
    const options = el.shadowRoot!.querySelectorAll('#ncalayer-storage option');
    expect([...options].map((o) => text(o))).to.deep.equal([
      'Key file (.p12)',
      'Kaztoken',
    ]);
    await clickButton(el, 'Sign with NCALayer');
    await waitFor(el, '[part="signer"]');
  });

  it('asks NCALayer again when the user refreshes the list', async () => {
    const el = await mount(`wss://127.0.0.1:${ports.trusted}/`, 'en', '');
    expect(await chooseNcaLayer(el)).to.deep.equal(['Key file (.p12)']);
    // The fake answers by URL: this is the user plugging a Kaztoken in.
    el.ncalayerUrl = `wss://127.0.0.1:${ports.trusted}/?tokens=AKKaztokenStore`;
    await clickButton(el, 'Refresh the storage list');
    await waitUntil(
      () => maybe(el, '#ncalayer-storage option[value="AKKaztokenStore"]'),
      'the plugged-in token is offered',
    );
  });

  it('says so when no storage is left to offer', async () => {
    const el = await mount(
      `wss://127.0.0.1:${ports.trusted}/`,
      'en',
      'AKKaztokenStore',
    );
    expect(await chooseNcaLayer(el)).to.deep.equal([]);
    expect(text($(el, '#ncalayer-none'))).to.contain('sees no token');
    expect($<HTMLButtonElement>(el, '[part="ncalayer-button"]').disabled).to
      .be.true;
    await expect(el).to.be.accessible();
  });

  it('offers its list when a running NCALayer cannot say', async () => {
    const el = await mount(`wss://127.0.0.1:${ports.trusted}/?tokens=fail`);
    expect(await chooseNcaLayer(el)).to.deep.equal(['Kaztoken', 'ID card']);
    expect(maybe(el, '[role="alert"]')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal(
      'NCALayer did not say which storages are connected. Choose where your key is.',
    );
  });

  it('says at once that NCALayer is not reachable, with help', async () => {
    const el = await mount(`wss://127.0.0.1:${ports.closed}/`);
    expect(await chooseNcaLayer(el)).to.deep.equal([]);
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_UNREACHABLE');
    expect(shown).to.contain('cannot connect to NCALayer');
    expect(text($(el, '[role="status"]'))).to.equal('');
    expect(text($(el, '[part="help"]'))).to.contain('ncalayer.sh');
    const link = $<HTMLAnchorElement>(el, '[part="ncalayer-check-link"]');
    expect(link.href).to.equal(`https://127.0.0.1:${ports.closed}/`);
    expect($<HTMLButtonElement>(el, '[part="ncalayer-button"]').disabled).to
      .be.true;
    await waitUntil(
      () => deepActiveElement()?.id === 'error',
      'focus goes to the error',
    );
    await expect(el).to.be.accessible();

    // "Try again" once NCALayer runs lists its storages.
    el.ncalayerUrl = `wss://127.0.0.1:${ports.trusted}/?tokens=AKKaztokenStore`;
    await clickButton(el, 'Try again');
    await waitFor(el, '#ncalayer-storage option[value="AKKaztokenStore"]');
    expect(maybe(el, '[role="alert"]')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal(
      'The storage list is updated. Choose where your key is.',
    );
  });

  it('says so when NCALayer is gone on "Refresh the storage list"', async () => {
    const el = await mount(
      `wss://127.0.0.1:${ports.trusted}/?tokens=AKKaztokenStore`,
    );
    expect(await chooseNcaLayer(el)).to.deep.equal(['Kaztoken']);
    el.ncalayerUrl = `wss://127.0.0.1:${ports.silent}/`;
    await clickButton(el, 'Refresh the storage list');
    const { code } = await errorOf(el);
    expect(code).to.equal('NCALAYER_TIMEOUT');
    expect(text($(el, '[role="status"]'))).to.equal('');
    expect(maybe(el, '#ncalayer-storage')).to.equal(null);
  });

  for (const shape of ['pem', 'base64', 'array', 'object']) {
    it(`signs the challenge and logs in (${shape} reply)`, async () => {
      const el = await signThrough(shape);
      await waitFor(el, '[part="signer"]');
      expect(text($(el, '[part="signer"] .person'))).to.equal(SIGNER);
      expect(deepActiveElement()?.id).to.equal('login');
      const before = oneEvent(el, 'qoltanba-before-login');
      const login = oneEvent(el, 'qoltanba-login');
      await clickButton(el, 'Log in');
      const { detail } = await before;
      expect(detail.source).to.equal('ncalayer');
      expect(detail.certificate?.fullName).to.equal(SIGNER);
      await login;
      expect(backend.calls('POST /auth/login')).to.have.length(1);
      await waitForStatus(el, /You are logged in/);
    });
  }

  it('goes back to the source list with "Remove"', async () => {
    const el = await signThrough('pem');
    await waitFor(el, '[part="signer"]');
    await clickButton(el, 'Remove');
    expect(maybe(el, '[part="signer"]')).to.equal(null);
    await waitUntil(
      () => deepActiveElement()?.id === 'storage',
      'focus goes to the source list',
    );
    expect($<HTMLSelectElement>(el, '#storage').value).to.equal('ncalayer');
    expect($<HTMLSelectElement>(el, '#ncalayer-storage').value).to.equal(
      'AKKaztokenStore',
    );
  });

  it('returns quietly to the start when the user cancels', async () => {
    let reported = false;
    const el = await signThrough('cancel');
    el.addEventListener('qoltanba-error', () => (reported = true));
    await waitFor(el, '[part="ncalayer-button"]:not([disabled])');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await el.updateComplete;
    expect(maybe(el, '[role="alert"]')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal('');
    expect(reported).to.equal(false);
    expect(maybe(el, '[part="signer"]')).to.equal(null);
    expect(deepActiveElement()?.id).to.equal('ncalayer-storage');
  });

  it('says NCALayer is not reachable when nothing listens', async () => {
    const el = await signThrough('', ports.closed);
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_UNREACHABLE');
    expect(shown).to.contain('cannot connect to NCALayer');
    // Help for this computer's system (the tests run on Linux).
    expect(text($(el, '[part="help"]'))).to.contain('ncalayer.sh');
    // The user can see which case it is in a tab of NCALayer's address.
    const link = $<HTMLAnchorElement>(el, '[part="ncalayer-check-link"]');
    expect(link.href).to.equal(`https://127.0.0.1:${ports.closed}/`);
    expect(link.target).to.equal('_blank');
    expect(text($(el, '[part="help"]'))).to.contain('certificate warning');
    await expect(el).to.be.accessible();
  });

  it('tries again from the error, e.g. once NCALayer runs', async () => {
    const el = await signThrough('', ports.closed);
    await waitFor(el, '[part="retry-button"]');
    el.ncalayerUrl = `wss://127.0.0.1:${ports.trusted}/pem`;
    await clickButton(el, 'Try again');
    await waitFor(el, '[part="signer"]');
    expect(maybe(el, '[role="alert"]')).to.equal(null);
  });

  it('says the same when its certificate is not trusted', async () => {
    const el = await signThrough('', ports.untrusted);
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_UNREACHABLE');
    expect(shown).to.contain('does not trust its certificate');
  });

  it('times out on a server that accepts and never answers', async () => {
    const el = await signThrough('', ports.silent);
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_TIMEOUT');
    expect(shown).to.equal('Error: NCALayer does not answer. ' +
      text($(el, '[part="help"]')) + ' Try again');
  });

  it('times out when NCALayer greets and then says nothing', async () => {
    const el = await signThrough('mute');
    expect((await errorOf(el)).code).to.equal('NCALAYER_TIMEOUT');
  });

  it('asks for a newer NCALayer when it has no basics module', async () => {
    const el = await signThrough('outdated');
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_OUTDATED');
    expect(shown).to.contain('too old');
    expect(text($(el, '[part="help"]'))).to.contain('ncl.pki.gov.kz');
  });

  it('reports a signing failure from NCALayer', async () => {
    const el = await signThrough('error');
    expect((await errorOf(el)).code).to.equal('NCALAYER_FAILED');
    expect(deepActiveElement()?.id).to.equal('error');
  });

  it('speaks Kazakh and Russian in its messages and help', async () => {
    for (const [lang, phrase] of [
      ['kk', 'NCALayer бағдарламасына қосыла алмайды'],
      ['ru', 'не может подключиться к NCALayer'],
    ] as const) {
      const el = await mount(`wss://127.0.0.1:${ports.closed}`, lang);
      await chooseNcaLayer(el);
      const { shown } = await errorOf(el);
      expect(shown).to.contain(phrase);
      await expect(el).to.be.accessible();
    }
  });
});
