/**
 * The React wrappers (`qoltanba/react`) rendered by react-dom in Chromium:
 * each puts its custom element on the page with the props as attributes
 * and properties, and calls its `on…` props when the element fires the
 * library's events. No JSX: the test runner serves plain TypeScript.
 */
import { expect, waitUntil } from '@open-wc/testing';
import * as React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type {
  EdsLogin as EdsLoginElement,
  IinLinkForm as IinLinkFormElement,
  KinshipStatus as KinshipStatusElement,
} from '../../src/index.js';
import {
  QoltanbaBeforeLinkEvent,
  QoltanbaBeforeLoginEvent,
  QoltanbaChildLinkedEvent,
  QoltanbaErrorEvent,
  QoltanbaLoginEvent,
  QoltanbaLoginRequestEvent,
  QoltanbaLogoutEvent,
} from '../../src/events.js';
import { EdsLogin, IinLinkForm, KinshipStatus } from '../../src/react/index.js';
import { CHILD_AIGERIM, FakeBackend, PARENT } from './support/fake-backend.js';
import { certificate, FakeKeyFile } from './support/fake-signer.js';

/** Calls of a handler prop, each with the event it got. */
function spy<E extends Event>() {
  const calls: E[] = [];
  const handler = (event: E) => {
    calls.push(event);
  };
  return { calls, handler };
}

let backend: FakeBackend;
let container: HTMLElement;
let root: Root;

/** Renders `element` with react-dom, at once, and returns `tag`. */
async function render<T extends HTMLElement>(
  element: React.ReactElement,
  tag: string,
): Promise<T> {
  flushSync(() => root.render(element));
  const found = container.querySelector(tag) as
    | (T & { updateComplete: Promise<unknown> })
    | null;
  if (!found) throw new Error(`React rendered no <${tag}>.`);
  await found.updateComplete;
  return found;
}

describe('React wrappers', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    root.unmount();
    container.remove();
    backend.uninstall();
  });

  it('<EdsLogin> sets attributes and properties, maps events', async () => {
    const keys = new FakeKeyFile();
    const onLogin = spy<QoltanbaLoginEvent>();
    const onLogout = spy<QoltanbaLogoutEvent>();
    const onBeforeLogin = spy<QoltanbaBeforeLoginEvent>();
    const onError = spy<QoltanbaErrorEvent>();
    const el = await render<EdsLoginElement>(
      React.createElement(EdsLogin, {
        backendUrl: '/api',
        lang: 'ru',
        sources: 'file egov',
        keyRingLoader: keys.loader,
        onLogin: onLogin.handler,
        onLogout: onLogout.handler,
        onBeforeLogin: onBeforeLogin.handler,
        onError: onError.handler,
      }),
      'eds-login',
    );

    expect(el.localName).to.equal('eds-login');
    expect(el.getAttribute('lang')).to.equal('ru');
    expect(el.backendUrl).to.equal('/api');
    expect(el.sources).to.equal('file egov');
    expect(el.keyRingLoader).to.equal(keys.loader);
    // The element rendered in the language React gave it.
    await waitUntil(() => el.shadowRoot?.querySelector('h2'), 'heading');
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.contain(
      'Вход в личный кабинет',
    );

    const login = new QoltanbaLoginEvent({ user: PARENT, needsEmail: false });
    el.dispatchEvent(login);
    expect(onLogin.calls).to.deep.equal([login]);
    expect(onLogin.calls[0]!.detail.user.fullName).to.equal(PARENT.fullName);

    const before = new QoltanbaBeforeLoginEvent({
      source: 'file',
      certificate: certificate(),
      user: null,
    });
    el.dispatchEvent(before);
    expect(onBeforeLogin.calls).to.deep.equal([before]);

    el.dispatchEvent(new QoltanbaLogoutEvent());
    expect(onLogout.calls).to.have.length(1);
    el.dispatchEvent(
      new QoltanbaErrorEvent({ code: 'NETWORK', source: 'eds-login' }),
    );
    expect(onError.calls.map((e) => e.detail.code)).to.deep.equal(['NETWORK']);
  });

  it('<EdsLogin> follows new props and drops old handlers', async () => {
    const first = spy<QoltanbaLoginEvent>();
    const second = spy<QoltanbaLoginEvent>();
    const el = await render<EdsLoginElement>(
      React.createElement(EdsLogin, { lang: 'kk', onLogin: first.handler }),
      'eds-login',
    );
    await render(
      React.createElement(EdsLogin, { lang: 'en', onLogin: second.handler }),
      'eds-login',
    );
    expect(container.querySelector('eds-login')).to.equal(el);
    expect(el.getAttribute('lang')).to.equal('en');
    el.dispatchEvent(
      new QoltanbaLoginEvent({ user: PARENT, needsEmail: false }),
    );
    expect(first.calls).to.have.length(0);
    expect(second.calls).to.have.length(1);
  });

  it('<IinLinkForm> sets its form props and maps its events', async () => {
    const onChildLinked = spy<QoltanbaChildLinkedEvent>();
    const onBeforeLink = spy<QoltanbaBeforeLinkEvent>();
    const onLoginRequest = spy<QoltanbaLoginRequestEvent>();
    const onError = spy<QoltanbaErrorEvent>();
    // Required and logged out (no field to anchor the validation message
    // to): this used to throw from setValidity on every update.
    const el = await render<IinLinkFormElement>(
      React.createElement(IinLinkForm, {
        backendUrl: '/portal/api',
        lang: 'kk',
        name: 'childIin',
        required: true,
        onChildLinked: onChildLinked.handler,
        onBeforeLink: onBeforeLink.handler,
        onLoginRequest: onLoginRequest.handler,
        onError: onError.handler,
      }),
      'iin-link-form',
    );

    expect(el.backendUrl).to.equal('/portal/api');
    expect(el.getAttribute('lang')).to.equal('kk');
    expect(el.name).to.equal('childIin');
    expect(el.required).to.equal(true);

    const linked = new QoltanbaChildLinkedEvent({ child: CHILD_AIGERIM });
    el.dispatchEvent(linked);
    expect(onChildLinked.calls).to.deep.equal([linked]);
    expect(onChildLinked.calls[0]!.detail.child.iin).to.equal(
      CHILD_AIGERIM.iin,
    );

    const before = new QoltanbaBeforeLinkEvent({
      iin: CHILD_AIGERIM.iin,
      birthDate: CHILD_AIGERIM.birthDate,
    });
    el.dispatchEvent(before);
    expect(onBeforeLink.calls).to.deep.equal([before]);

    el.dispatchEvent(new QoltanbaLoginRequestEvent());
    expect(onLoginRequest.calls).to.have.length(1);
    el.dispatchEvent(
      new QoltanbaErrorEvent({ code: 'IIN_OWN', source: 'iin-link-form' }),
    );
    expect(onError.calls).to.have.length(1);
  });

  it('<KinshipStatus> sets its props and maps its events', async () => {
    const onLoginRequest = spy<QoltanbaLoginRequestEvent>();
    const onError = spy<QoltanbaErrorEvent>();
    const el = await render<KinshipStatusElement>(
      React.createElement(KinshipStatus, {
        backendUrl: '/api',
        lang: 'en',
        onLoginRequest: onLoginRequest.handler,
        onError: onError.handler,
      }),
      'kinship-status',
    );

    expect(el.backendUrl).to.equal('/api');
    expect(el.getAttribute('lang')).to.equal('en');
    el.dispatchEvent(new QoltanbaLoginRequestEvent());
    expect(onLoginRequest.calls).to.have.length(1);
    el.dispatchEvent(
      new QoltanbaErrorEvent({ code: 'NETWORK', source: 'kinship-status' }),
    );
    expect(onError.calls).to.have.length(1);
  });
});
