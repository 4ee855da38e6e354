/**
 * `<eds-login>` in each state it can show: checking the session, the key
 * form, the key list (usable, warned and refused keys), every key-file
 * failure, signed, every way the backend can refuse a login, the first
 * login's email form, and logged in. The key file is a stand-in
 * (support/key-file.ts); the backend is mocked with msw.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ApiErrorCode } from '../src/api/protocol.js';
import type { CertificateInfo, KeyFileErrorCode } from '../src/crypto/types.js';
import {
  FIRST_LOGIN,
  LOGGED_IN,
  withBackend,
  type MockBackend,
} from './support/backend.js';
import {
  certificate,
  fakeKeyFile,
  REFUSED_KEYS,
  WARNED_KEYS,
} from './support/key-file.js';
import {
  elementIn,
  openKeyFile,
  press,
  signIn,
  type,
} from './support/play.js';
import {
  elementArgs,
  elementArgTypes,
  type ElementArgs,
} from './support/story.js';

interface KeyFileParameters {
  keys?: CertificateInfo[];
  fails?: KeyFileErrorCode | 'never';
}

const meta = {
  title: 'Elements/eds-login',
  component: 'eds-login',
  args: elementArgs,
  argTypes: elementArgTypes,
  parameters: withBackend(),
  render: (args, { parameters }) => {
    const keyFile = (parameters.keyFile ?? {}) as KeyFileParameters;
    return html`<eds-login
      lang=${args.lang}
      backend-url=${args['backend-url']}
      .keyRingLoader=${fakeKeyFile(keyFile.keys, keyFile.fails ?? null)}
    ></eds-login>`;
  },
} satisfies Meta<ElementArgs>;

export default meta;
type Story = StoryObj<ElementArgs>;

const login = (canvas: HTMLElement) => elementIn(canvas, 'eds-login');

/** What the element shows once the backend has answered a login. */
const SETTLED = '#error, [part="user"], #email';

/** A story that opens the key file with the given keys or failure. */
function keyFileStory(keyFile: KeyFileParameters): Story {
  return {
    parameters: { keyFile },
    play: async ({ canvasElement }) => openKeyFile(await login(canvasElement)),
  };
}

/** A story that signs with a good key, then the backend answers `mock`. */
function signedStory(mock: MockBackend, logIn: boolean): Story {
  return {
    parameters: withBackend(mock),
    play: async ({ canvasElement }) => {
      const element = await login(canvasElement);
      if (logIn) {
        await signIn(element);
        // Wait for the answer, unless the backend never gives one.
        const answered = mock.login === 'PENDING' ? undefined : SETTLED;
        await press(element, '[part="login-button"]', answered);
      } else {
        await openKeyFile(element);
        await press(element, '[part="sign-button"]');
      }
    },
  };
}

const refusedLogin = (code: ApiErrorCode | 'NETWORK' | 'UNEXPECTED') =>
  signedStory({ login: code }, true);

/** Asking the backend whether someone is logged in. */
export const CheckingSession: Story = {
  parameters: withBackend({ me: 'PENDING' }),
};

/** Nobody is logged in: choose the key file and type its password. */
export const KeyForm: Story = {};

export const KeyFormInRussian: Story = { args: { lang: 'ru' } };

export const KeyFormInEnglish: Story = { args: { lang: 'en' } };

/** The session check failed: the form stays usable, with the error. */
export const SessionCheckFailed: Story = {
  parameters: withBackend({ me: 'NETWORK' }),
};

/** "Refresh key list" with no file and no password. */
export const FileAndPasswordMissing: Story = {
  play: async ({ canvasElement }) => {
    await press(await login(canvasElement), '[part="refresh-button"]');
  },
};

export const OpeningKeyFile = keyFileStory({ fails: 'never' });

/** The file opened: one usable key, preselected. */
export const KeysListed = keyFileStory({});

export const KeysListedInRussian: Story = {
  ...KeysListed,
  args: { lang: 'ru' },
};

export const KeysListedInEnglish: Story = {
  ...KeysListed,
  args: { lang: 'en' },
};

/** Keys that log in, with a warning: expires soon, an organisation's. */
export const KeysWithWarnings = keyFileStory({ keys: WARNED_KEYS });

/**
 * Keys that cannot log in, each with its reason: expired, not yet valid,
 * a signing (SIGN) key, no IIN.
 */
export const KeysRefused = keyFileStory({ keys: REFUSED_KEYS });

/** A usable key beside refused ones. */
export const MixedKeys = keyFileStory({
  keys: [REFUSED_KEYS[2]!, certificate(), REFUSED_KEYS[0]!],
});

export const WrongPassword: Story = {
  play: async ({ canvasElement }) =>
    openKeyFile(await login(canvasElement), 'wrong password'),
};

export const NotAKeyFile = keyFileStory({ fails: 'NOT_A_KEY_FILE' });
export const NoKeysInFile = keyFileStory({ fails: 'NO_KEYS' });
export const UnsupportedProtection = keyFileStory({
  fails: 'UNSUPPORTED_ALGORITHM',
});
export const UnsupportedKey = keyFileStory({ fails: 'UNSUPPORTED_KEY' });
export const CorruptFile = keyFileStory({ fails: 'CORRUPT_FILE' });

/** Signed: the signer's name, "Log in" and "Remove". */
export const Signed = signedStory({}, false);

/** The backend would not give a challenge to sign. */
export const ChallengeRateLimited = signedStory(
  { challenge: 'RATE_LIMITED' },
  false,
);
export const ChallengeNetworkDown = signedStory(
  { challenge: 'NETWORK' },
  false,
);

export const LoggingIn = signedStory({ login: 'PENDING' }, true);

// Every way the backend can refuse a signed login.
export const SignatureInvalid = refusedLogin('SIGNATURE_INVALID');
export const SignatureMalformed = refusedLogin('SIGNATURE_MALFORMED');
export const ContentMismatch = refusedLogin('CONTENT_MISMATCH');
export const CertificateUntrusted = refusedLogin('CERT_UNTRUSTED');
export const CertificateExpired = refusedLogin('CERT_EXPIRED');
export const CertificateNotYetValid = refusedLogin('CERT_NOT_YET_VALID');
export const CertificateWithoutIin = refusedLogin('CERT_NO_IIN');
export const CertificateWrongPurpose = refusedLogin('CERT_WRONG_PURPOSE');
export const AlgorithmUnsupported = refusedLogin('ALGORITHM_UNSUPPORTED');
export const ChallengeExpired = refusedLogin('CHALLENGE_EXPIRED');
export const ChallengeUsed = refusedLogin('CHALLENGE_USED');
export const ChallengeUnknown = refusedLogin('CHALLENGE_NOT_FOUND');
export const LoginRateLimited = refusedLogin('RATE_LIMITED');
export const LoginRefusedByOrigin = refusedLogin('ORIGIN_NOT_ALLOWED');
export const LoginNetworkDown = refusedLogin('NETWORK');
export const LoginServerBroken = refusedLogin('UNEXPECTED');

/** First login: the portal asks for an email address. */
export const EmailRequired: Story = {
  parameters: withBackend({ me: FIRST_LOGIN }),
};

export const EmailInvalid: Story = {
  parameters: withBackend({ me: FIRST_LOGIN }),
  play: async ({ canvasElement }) => {
    const element = await login(canvasElement);
    await type(element, '#email', 'aigerim@');
    await press(element, '[part="email-form"] button[type="submit"]');
  },
};

export const EmailRefusedByBackend: Story = {
  parameters: withBackend({ me: FIRST_LOGIN, email: 'EMAIL_INVALID' }),
  play: async ({ canvasElement }) => {
    const element = await login(canvasElement);
    await type(element, '#email', 'aigerim@example.kz');
    await press(element, '[part="email-form"] button[type="submit"]');
  },
};

/** Logged in: the user's name and "Log out". */
export const LoggedIn: Story = {
  parameters: withBackend({ me: LOGGED_IN }),
};

export const LoggedInInRussian: Story = {
  ...LoggedIn,
  args: { lang: 'ru' },
};

export const LoggedInInEnglish: Story = {
  ...LoggedIn,
  args: { lang: 'en' },
};

export const LoggedOut: Story = {
  parameters: withBackend({ me: LOGGED_IN }),
  play: async ({ canvasElement }) => {
    await press(await login(canvasElement), '[part="logout-button"]');
  },
};

export const LogoutNetworkDown: Story = {
  parameters: withBackend({ me: LOGGED_IN, logout: 'NETWORK' }),
  play: async ({ canvasElement }) => {
    await press(await login(canvasElement), '[part="logout-button"]');
  },
};
