/**
 * `<iin-link-form>` in each state: logged out, the empty form, a valid IIN
 * with its birth date, each IIN the form refuses before sending, linking,
 * linked, and every refusal from the backend.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ApiErrorCode } from '../src/api/protocol.js';
import { LOGGED_IN, PARENT, withBackend } from './support/backend.js';
import { elementIn, press, type } from './support/play.js';
import {
  elementArgs,
  elementArgTypes,
  type ElementArgs,
} from './support/story.js';

const meta = {
  title: 'Elements/iin-link-form',
  component: 'iin-link-form',
  args: elementArgs,
  argTypes: elementArgTypes,
  parameters: withBackend({ me: LOGGED_IN }),
  render: (args) =>
    html`<iin-link-form
      lang=${args.lang}
      backend-url=${args['backend-url']}
    ></iin-link-form>`,
} satisfies Meta<ElementArgs>;

export default meta;
type Story = StoryObj<ElementArgs>;

const VALID_IIN = '201205500031';

/** Types an IIN and leaves the field, or submits it. */
function typed(iin: string, submit: boolean): Story['play'] {
  return async ({ canvasElement }) => {
    const form = await elementIn(canvasElement, 'iin-link-form');
    await type(form, '#iin', iin);
    if (submit) await press(form, '[part="submit-button"]');
  };
}

/** A story where the backend answers the link request with `link`. */
function linkStory(
  link: ApiErrorCode | 'NETWORK' | 'UNEXPECTED' | 'PENDING',
): Story {
  return {
    parameters: withBackend({ me: LOGGED_IN, link }),
    play: typed(VALID_IIN, true),
  };
}

/** Nobody is logged in: a button asks `<eds-login>` for a login. */
export const LoggedOut: Story = {
  parameters: withBackend({ me: 'NOT_AUTHENTICATED' }),
};

export const EmptyForm: Story = {};

export const EmptyFormInRussian: Story = { args: { lang: 'ru' } };

export const EmptyFormInEnglish: Story = { args: { lang: 'en' } };

/** A valid IIN: the birth date it encodes is shown. */
export const ValidIin: Story = { play: typed('2012 0550 0031', false) };

// IINs the form refuses before anything is sent.
export const EmptySubmitted: Story = { play: typed('', true) };
export const TooShort: Story = { play: typed('20120550', false) };
export const NotDigits: Story = { play: typed('2012055OOO31', false) };
export const UnknownCentury: Story = { play: typed('201205000031', false) };
export const ImpossibleDate: Story = { play: typed('201345500031', false) };
export const WrongCheckDigit: Story = { play: typed('201205500032', false) };
export const ChildTooOld: Story = { play: typed('150101500011', false) };
export const OwnIin: Story = { play: typed(PARENT.iin, false) };

export const Linking = linkStory('PENDING');

/** Kinship confirmed: "Туыстық расталды, деректер сәтті жаңартылды". */
export const Linked: Story = {
  parameters: withBackend({ me: LOGGED_IN }),
  play: typed(VALID_IIN, true),
};

export const LinkedInRussian: Story = { ...Linked, args: { lang: 'ru' } };

export const LinkedInEnglish: Story = { ...Linked, args: { lang: 'en' } };

// Every refusal from the backend.
export const KinshipNotConfirmed = linkStory('KINSHIP_NOT_CONFIRMED');
export const ChildNotFound = linkStory('CHILD_NOT_FOUND');
export const AlreadyLinked = linkStory('ALREADY_LINKED');
export const LinkedToOther = linkStory('LINKED_TO_OTHER');
export const RefusedAsTooOld = linkStory('CHILD_TOO_OLD');
export const RefusedAsOwnIin = linkStory('IIN_OWN');
export const RefusedAsInvalid = linkStory('IIN_INVALID');
export const EmailRequired = linkStory('EMAIL_REQUIRED');
export const SessionExpired = linkStory('SESSION_EXPIRED');
export const RateLimited = linkStory('RATE_LIMITED');
export const NetworkDown = linkStory('NETWORK');
export const ServerBroken = linkStory('UNEXPECTED');
