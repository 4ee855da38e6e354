/**
 * React wrappers (`qoltanba/react`), made with @lit/react: properties are
 * set as properties, and the library's events are props named `on…`.
 * Importing this entry defines the three tags (guarded), as a React user
 * expects a component to work once imported.
 *
 * ```tsx
 * import { EdsLogin } from 'qoltanba/react';
 * <EdsLogin backendUrl="/api" lang="ru" onLogin={(e) => go(e.detail.user)} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { EdsLogin as EdsLoginElement } from '../components/eds-login.js';
import {
  IinLinkForm as IinLinkFormElement,
} from '../components/iin-link-form.js';
import {
  KinshipStatus as KinshipStatusElement,
} from '../components/kinship-status.js';
import { defineQoltanbaElements } from '../define.js';
import type {
  QoltanbaBeforeLinkEvent,
  QoltanbaBeforeLoginEvent,
  QoltanbaChildLinkedEvent,
  QoltanbaErrorEvent,
  QoltanbaLoginEvent,
  QoltanbaLoginRequestEvent,
  QoltanbaLogoutEvent,
} from '../events.js';

defineQoltanbaElements();

const onError = 'qoltanba-error' as EventName<QoltanbaErrorEvent>;
const onLoginRequest =
  'qoltanba-login-request' as EventName<QoltanbaLoginRequestEvent>;

/** `<eds-login>`: log in with an NCA key file. */
export const EdsLogin = createComponent({
  react: React,
  tagName: 'eds-login',
  elementClass: EdsLoginElement,
  displayName: 'EdsLogin',
  events: {
    onBeforeLogin:
      'qoltanba-before-login' as EventName<QoltanbaBeforeLoginEvent>,
    onLogin: 'qoltanba-login' as EventName<QoltanbaLoginEvent>,
    onLogout: 'qoltanba-logout' as EventName<QoltanbaLogoutEvent>,
    onError,
  },
});

/** `<iin-link-form>`: link a child by IIN. */
export const IinLinkForm = createComponent({
  react: React,
  tagName: 'iin-link-form',
  elementClass: IinLinkFormElement,
  displayName: 'IinLinkForm',
  events: {
    onBeforeLink: 'qoltanba-before-link' as EventName<QoltanbaBeforeLinkEvent>,
    onChildLinked:
      'qoltanba-child-linked' as EventName<QoltanbaChildLinkedEvent>,
    onLoginRequest,
    onError,
  },
});

/** `<kinship-status>`: the linked children and their applications. */
export const KinshipStatus = createComponent({
  react: React,
  tagName: 'kinship-status',
  elementClass: KinshipStatusElement,
  displayName: 'KinshipStatus',
  events: { onLoginRequest, onError },
});
