/**
 * Every visible state of every element, as a catalogue: each entry mounts a
 * fresh element in a language and drives it there the way a person would.
 * The per-language state tests run an accessibility check and a
 * missing-translation check on each.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import type { ApiErrorCode } from '../../../src/api/protocol.js';
import type { EdsLogin } from '../../../src/components/eds-login.js';
import type { IinLinkForm } from '../../../src/components/iin-link-form.js';
import type { KinshipStatus } from '../../../src/components/kinship-status.js';
import type { KeyRingLoader } from '../../../src/components/eds-login.js';
import {
  $,
  chooseFile,
  chooseOption,
  leave,
  maybe,
  text,
  typeInto,
  waitFor,
} from './dom.js';
import {
  CHILD_AIGERIM,
  CHILD_ALIKHAN,
  FakeBackend,
} from './fake-backend.js';
import { certificate, FakeKeyFile, PASSWORD } from './fake-signer.js';
import { NcaLayerError } from '../../../src/ncalayer/ncalayer-types.js';

export interface StateContext {
  backend: FakeBackend;
  keys: FakeKeyFile;
  lang: string;
  /** Runs after the checks: releases gates, removes raw mounts. */
  cleanup: Array<() => void>;
}

export interface State {
  name: string;
  /** Brings an element to the state; resolves to what is checked. */
  enter(context: StateContext): Promise<HTMLElement>;
}

const DAY = 24 * 3600_000;


/** A request gate: requests wait until `release()`. */
function gate(context: StateContext): void {
  let release!: () => void;
  context.backend.gate = new Promise((resolve) => (release = resolve));
  context.cleanup.push(() => {
    release();
    context.backend.gate = null;
  });
}

/**
 * Mounts without waiting for `updateComplete`, which would wait for the
 * gated load: for loading states.
 */
async function mountRaw<T extends HTMLElement>(
  context: StateContext,
  template: TemplateResult,
  selector: string,
): Promise<T> {
  const box = document.createElement('div');
  document.body.append(box);
  context.cleanup.push(() => box.remove());
  render(template, box);
  const el = box.querySelector<T>(selector)!;
  await waitUntil(() => el.shadowRoot?.querySelector('[role="status"]'));
  return el;
}

function login(context: StateContext): Promise<EdsLogin> {
  return fixture<EdsLogin>(html`<eds-login
    lang=${context.lang}
    .keyRingLoader=${context.keys.loader}
    .ncalayerTokens=${() => Promise.resolve(['AKKaztokenStore'])}
  ></eds-login>`);
}

async function keyList(context: StateContext): Promise<EdsLogin> {
  const el = await login(context);
  await waitFor(el, '[part="key-form"]');
  await chooseFile(el, '#key-file', new Uint8Array([0x30, 0x80]));
  await typeInto(el, '#password', PASSWORD);
  $(el, '[part="refresh-button"]').click();
  await waitFor(el, '[part="key-list"]');
  return el;
}

async function signed(context: StateContext): Promise<EdsLogin> {
  const el = await keyList(context);
  $(el, '[part="sign-button"]').click();
  await waitFor(el, '[part="signer"]');
  return el;
}

async function loggedIn(context: StateContext): Promise<EdsLogin> {
  context.backend.loggedIn = true;
  const el = await login(context);
  await waitFor(el, '[part="user"]');
  return el;
}

const EVERY_KIND_OF_KEY = () => [
  {
    id: 'expired',
    info: certificate({
      notBefore: new Date(2018, 9, 20, 13),
      notAfter: new Date(2019, 9, 20, 13),
    }),
  },
  {
    id: 'future',
    info: certificate({
      notBefore: new Date(2099, 0, 1),
      notAfter: new Date(2100, 0, 1),
    }),
  },
  { id: 'sign', info: certificate({ purpose: 'sign' }) },
  { id: 'system', info: certificate({ holder: 'system', iin: undefined }) },
  {
    id: 'org',
    info: certificate({
      holder: 'legal-entity',
      organisation: 'ТОО «БАЛАПАН»',
      bin: '040540001230',
    }),
  },
  {
    id: 'soon',
    info: certificate({ notAfter: new Date(Date.now() + 5 * DAY) }),
  },
  { id: 'auth', info: certificate() },
];

export const EDS_LOGIN_STATES: State[] = [
  {
    name: 'checking the session',
    enter: async (c) => {
      gate(c);
      return mountRaw(
        c,
        html`<eds-login lang=${c.lang}></eds-login>`,
        'eds-login',
      );
    },
  },
  {
    name: 'key form',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      return el;
    },
  },
  {
    name: 'key form with missing file and password',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      $(el, '[part="refresh-button"]').click();
      await waitFor(el, '#key-file-error');
      return el;
    },
  },
  {
    name: 'opening the key file',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      const never: KeyRingLoader = () => new Promise(() => undefined);
      el.keyRingLoader = never;
      await chooseFile(el, '#key-file', new Uint8Array([0x30]));
      await typeInto(el, '#password', PASSWORD);
      $(el, '[part="refresh-button"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'wrong password',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      await chooseFile(el, '#key-file', new Uint8Array([0x30]));
      await typeInto(el, '#password', 'wrong');
      $(el, '[part="refresh-button"]').click();
      await waitFor(el, '[role="alert"]');
      return el;
    },
  },
  {
    name: 'key list with every kind of key',
    enter: async (c) => {
      c.keys.choices = EVERY_KIND_OF_KEY();
      return keyList(c);
    },
  },
  {
    name: 'signing',
    enter: async (c) => {
      const el = await keyList(c);
      gate(c);
      $(el, '[part="sign-button"]').click();
      await el.updateComplete;
      return el;
    },
  },
  { name: 'signed', enter: signed },
  {
    name: 'logging in',
    enter: async (c) => {
      const el = await signed(c);
      gate(c);
      $(el, '[part="login-button"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'login refused',
    enter: async (c) => {
      const el = await signed(c);
      c.backend.failNext('POST /auth/login', 'CERT_WRONG_PURPOSE');
      $(el, '[part="login-button"]').click();
      await waitFor(el, '[role="alert"]');
      return el;
    },
  },
  {
    name: 'network down after signing',
    enter: async (c) => {
      const el = await signed(c);
      c.backend.offline = true;
      $(el, '[part="login-button"]').click();
      await waitFor(el, '[role="alert"]');
      return el;
    },
  },
  {
    name: 'email form',
    enter: async (c) => {
      c.backend.needsEmail = true;
      const el = await signed(c);
      $(el, '[part="login-button"]').click();
      await waitFor(el, '[part="email-form"]');
      return el;
    },
  },
  {
    name: 'email error',
    enter: async (c) => {
      c.backend.needsEmail = true;
      c.backend.loggedIn = true;
      const el = await login(c);
      await waitFor(el, '[part="email-form"]');
      await typeInto(el, '#email', 'parent@mail');
      $(el, '[part="email-form"] button').click();
      await waitFor(el, '#email-error');
      return el;
    },
  },
  { name: 'logged in', enter: loggedIn },
  {
    name: 'user menu open',
    enter: async (c) => {
      const el = await loggedIn(c);
      $(el, '#user').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'logged out',
    enter: async (c) => {
      const el = await loggedIn(c);
      $(el, '#logout').click();
      await waitFor(el, '[part="key-form"]');
      return el;
    },
  },
  {
    name: 'eGov Mobile chosen as the key source',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      await chooseOption(el, '#storage', 'egov');
      return el;
    },
  },
  {
    name: 'NCALayer chosen as the key source',
    enter: async (c) => {
      const el = await login(c);
      await waitFor(el, '[part="key-form"]');
      await chooseOption(el, '#storage', 'ncalayer');
      return el;
    },
  },
  {
    name: 'waiting for NCALayer',
    enter: async (c) => {
      const el = await login(c);
      el.ncalayerSigner = () => new Promise(() => undefined);
      await waitFor(el, '[part="key-form"]');
      await chooseOption(el, '#storage', 'ncalayer');
      $(el, '[part="ncalayer-button"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'eGov QR code shown',
    enter: async (c) => {
      const el = await login(c);
      el.egovPollMs = 60_000;
      await waitFor(el, '[part="key-form"]');
      await chooseOption(el, '#storage', 'egov');
      $(el, '[part="egov-button"]').click();
      await waitFor(el, '[part="qr"]');
      return el;
    },
  },
  {
    name: 'eGov QR code expired',
    enter: async (c) => {
      c.backend.egovLifetimeMs = 500;
      const el = await login(c);
      el.egovPollMs = 60_000;
      await waitFor(el, '[part="key-form"]');
      await chooseOption(el, '#storage', 'egov');
      $(el, '[part="egov-button"]').click();
      await waitFor(el, '#egov-restart');
      return el;
    },
  },
  ...(
    [
      'NCALAYER_UNREACHABLE',
      'NCALAYER_TIMEOUT',
      'NCALAYER_OUTDATED',
      'NCALAYER_FAILED',
    ] as const
  ).map(
    (code): State => ({
      name: `NCALayer error ${code} with help`,
      enter: async (c) => {
        const el = await login(c);
        el.ncalayerSigner = () =>
          Promise.reject(new NcaLayerError(code, 'fake'));
        await waitFor(el, '[part="key-form"]');
        await chooseOption(el, '#storage', 'ncalayer');
        $(el, '[part="ncalayer-button"]').click();
        await waitFor(el, '[part="help"]');
        return el;
      },
    }),
  ),
];

function linkForm(context: StateContext): Promise<IinLinkForm> {
  return fixture<IinLinkForm>(
    html`<iin-link-form lang=${context.lang}></iin-link-form>`,
  );
}

async function linkRefused(
  context: StateContext,
  code: ApiErrorCode | 'NETWORK',
): Promise<IinLinkForm> {
  context.backend.loggedIn = true;
  const el = await linkForm(context);
  await typeInto(el, '#iin', CHILD_AIGERIM.iin);
  if (code === 'NETWORK') context.backend.offline = true;
  else context.backend.failNext('POST /children', code);
  $(el, '[part="submit-button"]').click();
  await waitFor(el, '[role="alert"]');
  return el;
}

const LINK_REFUSALS: Array<ApiErrorCode | 'NETWORK'> = [
  'CHILD_NOT_FOUND',
  'ALREADY_LINKED',
  'LINKED_TO_OTHER',
  'KINSHIP_NOT_CONFIRMED',
  'EMAIL_REQUIRED',
  'SESSION_EXPIRED',
  'NETWORK',
];

async function loggedInForm(c: StateContext): Promise<IinLinkForm> {
  c.backend.loggedIn = true;
  return linkForm(c);
}

export const IIN_LINK_FORM_STATES: State[] = [
  {
    name: 'logged out',
    enter: (c) => linkForm(c),
  },
  { name: 'empty form', enter: loggedInForm },
  {
    name: 'field error',
    enter: async (c) => {
      const el = await loggedInForm(c);
      await typeInto(el, '#iin', '201205500032');
      await leave(el);
      await waitFor(el, '#iin-error');
      return el;
    },
  },
  {
    name: 'birth date shown',
    enter: async (c) => {
      const el = await loggedInForm(c);
      await typeInto(el, '#iin', CHILD_ALIKHAN.iin);
      await waitFor(el, '[part="birth-date"]');
      return el;
    },
  },
  {
    name: 'checking kinship',
    enter: async (c) => {
      const el = await loggedInForm(c);
      await typeInto(el, '#iin', CHILD_AIGERIM.iin);
      gate(c);
      $(el, '[part="submit-button"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'kinship confirmed',
    enter: async (c) => {
      const el = await loggedInForm(c);
      await typeInto(el, '#iin', CHILD_AIGERIM.iin);
      $(el, '[part="submit-button"]').click();
      await waitUntil(() => maybe(el, '.success'));
      return el;
    },
  },
  ...LINK_REFUSALS.map((code) => ({
    name: `refused: ${code}`,
    enter: (c: StateContext) => linkRefused(c, code),
  })),
  {
    name: 'field in a host form, refused submit',
    enter: async (c) => {
      const form = await fixture<HTMLFormElement>(html`<form lang=${c.lang}>
        <iin-link-form name="iin" required></iin-link-form>
      </form>`);
      const el = form.querySelector<IinLinkForm>('iin-link-form')!;
      await el.updateComplete;
      form.requestSubmit();
      await waitFor(el, '#iin-error');
      return form;
    },
  },
];

function statusList(context: StateContext): Promise<KinshipStatus> {
  return fixture<KinshipStatus>(
    html`<kinship-status lang=${context.lang}></kinship-status>`,
  );
}

export const KINSHIP_STATUS_STATES: State[] = [
  {
    name: 'loading',
    enter: async (c) => {
      c.backend.loggedIn = true;
      gate(c);
      return mountRaw(
        c,
        html`<kinship-status lang=${c.lang}></kinship-status>`,
        'kinship-status',
      );
    },
  },
  { name: 'logged out', enter: statusList },
  {
    name: 'session expired',
    enter: async (c) => {
      c.backend.failNext('GET /children', 'SESSION_EXPIRED');
      return statusList(c);
    },
  },
  {
    name: 'empty',
    enter: async (c) => {
      c.backend.loggedIn = true;
      return statusList(c);
    },
  },
  {
    name: 'children with applications',
    enter: async (c) => {
      c.backend.loggedIn = true;
      c.backend.linked = [CHILD_AIGERIM, CHILD_ALIKHAN];
      return statusList(c);
    },
  },
  {
    name: 'error with retry',
    enter: async (c) => {
      c.backend.offline = true;
      return statusList(c);
    },
  },
];

export const ALL_STATES: Array<[string, State[]]> = [
  ['eds-login', EDS_LOGIN_STATES],
  ['iin-link-form', IIN_LINK_FORM_STATES],
  ['kinship-status', KINSHIP_STATUS_STATES],
];

/** The text a person sees or hears in a mounted element, shadow included. */
export function visibleText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return text({ textContent: parts.join(' ') } as Node);
}

/** Leftover Latin words that are real names, not untranslated text. */
const LATIN_ALLOWED =
  /AUTH_RSA\S*|\.p12|\.jks|Caps Lock|name@example\.kz|\bRSA\b|\bSIGN\b|\bBIN\b|\bIIN\b|\bPIN\b|NCALayer|ncalayer\.sh|ncl\.pki\.gov\.kz|Kaztoken|eToken|JaCarta|aKey|eGov Mobile/g;

async function englishSources(): Promise<string[]> {
  const response = await fetch('/locales/kk.xlf');
  const xml = new DOMParser().parseFromString(
    await response.text(),
    'application/xml',
  );
  // Each run of text between placeholders, long enough to be telling.
  return [...xml.querySelectorAll('trans-unit > source')]
    .flatMap((source) =>
      [...source.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()),
    )
    .filter((run) => run.length >= 8);
}

/**
 * Every state of every element in one language: an axe check, and in kk
 * and ru no English left over (a message missing from a locale falls back
 * to its English source, which this catches).
 */
export function describeStates(lang: 'en' | 'kk' | 'ru'): void {
  for (const [tag, states] of ALL_STATES) {
    describe(`<${tag}> in every state, ${lang}`, () => {
      let context: StateContext;
      let english: string[] = [];

      beforeEach(async () => {
        context = {
          backend: new FakeBackend().install(),
          keys: new FakeKeyFile(),
          lang,
          cleanup: [],
        };
        if (lang !== 'en' && english.length === 0) {
          english = await englishSources();
        }
      });
      afterEach(() => {
        for (const step of context.cleanup) step();
        context.backend.uninstall();
      });

      for (const state of states) {
        it(state.name, async () => {
          const el = await state.enter(context);
          await expect(el).to.be.accessible();
          if (lang === 'en') return;
          const shown = visibleText(el);
          for (const run of english) {
            expect(shown, `${state.name}: "${run}"`).not.to.contain(run);
          }
          const latin = shown.replace(LATIN_ALLOWED, '');
          expect(latin, state.name).not.to.match(/[A-Za-z]{4,}/);
        });
      }
    });
  }
}
