/**
 * `<kinship-status>` in each state: loading, logged out, no children yet,
 * one child, several children with every application status, and each
 * failure to load.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { Child } from '../src/api/protocol.js';
import {
  CHILD,
  SIBLINGS,
  withBackend,
  type Outcome,
} from './support/backend.js';
import {
  elementArgs,
  elementArgTypes,
  type ElementArgs,
} from './support/story.js';

const meta = {
  title: 'Elements/kinship-status',
  component: 'kinship-status',
  args: elementArgs,
  argTypes: elementArgTypes,
  render: (args) =>
    html`<kinship-status
      lang=${args.lang}
      backend-url=${args['backend-url']}
    ></kinship-status>`,
} satisfies Meta<ElementArgs>;

export default meta;
type Story = StoryObj<ElementArgs>;

const answering = (children: Outcome<Child[]>): Story => ({
  parameters: withBackend({ children }),
});

export const Loading = answering('PENDING');

/** Nobody is logged in: a button asks `<eds-login>` for a login. */
export const LoggedOut = answering('NOT_AUTHENTICATED');

export const SessionExpired = answering('SESSION_EXPIRED');

export const NoChildrenYet = answering([]);

export const OneChild = answering([CHILD]);

/**
 * Three children: queued, offered and cancelled applications, and a child
 * without an application.
 */
export const SeveralChildren = answering(SIBLINGS);

export const SeveralChildrenInRussian: Story = {
  ...SeveralChildren,
  args: { lang: 'ru' },
};

export const SeveralChildrenInEnglish: Story = {
  ...SeveralChildren,
  args: { lang: 'en' },
};

export const Enrolled = answering([
  {
    ...CHILD,
    applications: [{ ...CHILD.applications[0]!, status: 'enrolled' }],
  },
]);

// Each failure to load; "Try again" asks again.
export const NetworkDown = answering('NETWORK');
export const ServerBroken = answering('UNEXPECTED');
export const RateLimited = answering('RATE_LIMITED');
