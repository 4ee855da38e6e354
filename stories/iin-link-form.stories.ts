/**
 * `<iin-link-form>` in each state: logged out, a first login waiting for
 * the email address, no connection on load, the empty form, a valid IIN
 * with its birth date, each IIN the form refuses before sending, linking,
 * linked, and every refusal from the backend; then as a form-associated
 * control in a host page's `<form>`: its validation, submit and reset.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ApiErrorCode } from '../src/api/protocol.js';
import {
  FIRST_LOGIN,
  LOGGED_IN,
  PARENT,
  withBackend,
} from './support/backend.js';
import { elementIn, press, type } from './support/play.js';
import {
  elementArgs,
  elementArgTypes,
  type ElementArgs,
} from './support/story.js';
import type { IinLinkForm } from '../src/components/iin-link-form.js';

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

/** A first login: the form waits for the email address. */
export const EmailFirst: Story = {
  parameters: withBackend({ me: FIRST_LOGIN }),
};

/** `GET /me` got no answer: the error and "Try again" instead of the form. */
export const NoConnectionOnLoad: Story = {
  parameters: withBackend({ me: 'NETWORK' }),
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

// In a host page's <form>: the element shows only the field, takes part in
// the form's validation, submits its IIN under its name and empties on
// reset. The host page's own words, in the story's language:
const HOST_PAGE = {
  kk: {
    legend: 'Бала',
    submit: 'Жіберу',
    reset: 'Тазалау',
    sent: 'Форма жіберген деректер:',
  },
  ru: {
    legend: 'Ребёнок',
    submit: 'Отправить',
    reset: 'Очистить',
    sent: 'Данные, отправленные формой:',
  },
  en: {
    legend: 'Child',
    submit: 'Send',
    reset: 'Clear',
    sent: 'Data the form sent:',
  },
};

/**
 * The host page's form. It shows what it would send instead of leaving
 * the page; the element itself sends nothing to the backend here.
 */
function hostForm(args: ElementArgs, disabled = false) {
  const words = HOST_PAGE[args.lang];
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const sent = [...new FormData(form)].map(([k, v]) => `${k}=${v}`);
    form.querySelector('output')!.value = sent.join('&');
  };
  const onReset = (event: Event) => {
    (event.target as HTMLFormElement).querySelector('output')!.value = '';
  };
  return html`<form lang=${args.lang} @submit=${onSubmit} @reset=${onReset}>
    <fieldset ?disabled=${disabled}>
      <legend>${words.legend}</legend>
      <iin-link-form
        lang=${args.lang}
        backend-url=${args['backend-url']}
        name="childIin"
        required
      ></iin-link-form>
    </fieldset>
    <p>
      <button type="submit">${words.submit}</button>
      <button type="reset">${words.reset}</button>
    </p>
    <p>${words.sent} <output></output></p>
  </form>`;
}

/** Types an IIN (if any), then presses the host form's button `button`. */
function inHostForm(iin: string, button?: 'submit' | 'reset'): Story['play'] {
  return async ({ canvasElement }) => {
    const field = await elementIn(canvasElement, 'iin-link-form');
    if (iin) await type(field, '#iin', iin);
    if (!button) return;
    canvasElement
      .querySelector<HTMLButtonElement>(`button[type="${button}"]`)!
      .click();
    await (field as IinLinkForm).updateComplete;
  };
}

/** In a host form: the field alone, required, named "childIin". */
export const InHostForm: Story = { render: (args) => hostForm(args) };

export const InHostFormInRussian: Story = {
  ...InHostForm,
  args: { lang: 'ru' },
};

export const InHostFormInEnglish: Story = {
  ...InHostForm,
  args: { lang: 'en' },
};

/** The host form refuses to submit an empty required field, and says why. */
export const InHostFormEmptySubmitted: Story = {
  ...InHostForm,
  play: inHostForm('', 'submit'),
};

/** ... and an IIN with a wrong check digit. */
export const InHostFormInvalidSubmitted: Story = {
  ...InHostForm,
  play: inHostForm('201205500032', 'submit'),
};

/** A valid IIN: the host form submits it, cleaned, as childIin. */
export const InHostFormSubmitted: Story = {
  ...InHostForm,
  play: inHostForm('2012 0550-0031', 'submit'),
};

/** The host form's reset empties the field. */
export const InHostFormReset: Story = {
  ...InHostForm,
  play: inHostForm('2012', 'reset'),
};

/** A disabled fieldset around it disables the field. */
export const InHostFormDisabled: Story = {
  render: (args) => hostForm(args, true),
};
