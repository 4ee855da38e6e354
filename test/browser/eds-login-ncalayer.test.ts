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

async function mount(url: string, lang = 'en'): Promise<EdsLogin> {
  const el = await fixture<EdsLogin>(html`<eds-login
    lang=${lang}
    ncalayer-url=${url}
    ncalayer-storages="AKKaztokenStore AKKZIDCardStore"
    .ncalayerTimeoutMs=${700}
  ></eds-login>`);
  await waitFor(el, 'form[part="key-form"]');
  return el;
}

async function signThrough(path: string, port = ports.trusted) {
  const el = await mount(`wss://127.0.0.1:${port}/${path}`);
  await chooseOption(el, '#storage', 'ncalayer:AKKaztokenStore');
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

  it('offers the storages its attributes list, and none when told', async () => {
    const el = await mount('wss://127.0.0.1:1');
    const options = [...el.shadowRoot!.querySelectorAll('#storage option')];
    expect(options.map((o) => text(o))).to.deep.equal([
      'Personal computer',
      'Kaztoken',
      'ID card',
      'eGov Mobile app',
    ]);
    await chooseOption(el, '#storage', 'ncalayer:AKKZIDCardStore');
    expect(maybe(el, '#key-file')).to.equal(null);
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

  for (const shape of ['pem', 'base64', 'array', 'object']) {
    it(`signs the challenge and logs in (${shape} reply)`, async () => {
      const el = await signThrough(shape);
      await waitFor(el, '[part="signer"]');
      expect(text($(el, '[part="signer"] .person'))).to.equal(SIGNER);
      expect(deepActiveElement()?.id).to.equal('login');
      const login = oneEvent(el, 'qoltanba-login');
      await clickButton(el, 'Log in');
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
    expect($<HTMLSelectElement>(el, '#storage').value).to.equal(
      'ncalayer:AKKaztokenStore',
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
    expect(deepActiveElement()?.id).to.equal('storage');
  });

  it('says NCALayer is not reachable when nothing listens', async () => {
    const el = await signThrough('', ports.closed);
    const { code, shown } = await errorOf(el);
    expect(code).to.equal('NCALAYER_UNREACHABLE');
    expect(shown).to.contain('cannot connect to NCALayer');
    // Help for this computer's system (the tests run on Linux).
    expect(text($(el, '[part="help"]'))).to.contain('ncalayer.sh');
    await expect(el).to.be.accessible();
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
      text($(el, '[part="help"]')));
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
      await chooseOption(el, '#storage', 'ncalayer:AKKaztokenStore');
      $<HTMLButtonElement>(el, '[part="ncalayer-button"]').click();
      const { shown } = await errorOf(el);
      expect(shown).to.contain(phrase);
      await expect(el).to.be.accessible();
    }
  });
});
