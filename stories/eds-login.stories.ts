/**
 * `<eds-login>` in each state it can show: checking the session, the key
 * form, the key list (usable, warned and refused keys), every key-file
 * failure, signed, every way the backend can refuse a login, the first
 * login's email form, and logged in; then the same login through NCALayer
 * and through the eGov mobile QR code, with their failures. The key file is
 * a stand-in (support/key-file.ts); the backend is mocked with msw, and so
 * is NCALayer, at its WebSocket protocol (support/ncalayer.ts).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ref } from 'lit/directives/ref.js';
import type { ApiErrorCode } from '../src/api/protocol.js';
import type { CertificateInfo, KeyFileErrorCode } from '../src/crypto/types.js';
import {
  FIRST_LOGIN,
  LOGGED_IN,
  mockBackend,
  withBackend,
  type MockBackend,
} from './support/backend.js';
import {
  certificate,
  fakeKeyFile,
  REFUSED_KEYS,
  WARNED_KEYS,
} from './support/key-file.js';
import { mockNcaLayer, type NcaLayerScenario } from './support/ncalayer.js';
import {
  choose,
  chooseNcaLayer,
  elementIn,
  inside,
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

/** Public properties a story sets to keep its waits short. */
interface TimingParameters {
  ncalayerTimeoutMs?: number;
  egovPollMs?: number;
}

interface EdsLoginArgs extends ElementArgs {
  sources?: string;
  'ncalayer-storages'?: string;
}

const meta = {
  title: 'Elements/eds-login',
  component: 'eds-login',
  args: elementArgs,
  argTypes: {
    ...elementArgTypes,
    sources: {
      control: 'text',
      description:
        'Key sources offered, separated by spaces: file, ncalayer, egov.',
    },
    'ncalayer-storages': {
      control: 'text',
      description: "NCALayer's storages offered, by NCALayer's names.",
    },
  },
  parameters: withBackend(),
  render: (args, { parameters }) => {
    const keyFile = (parameters.keyFile ?? {}) as KeyFileParameters;
    const timing = (parameters.timing ?? {}) as TimingParameters;
    // Only what a story gives, so the element's defaults stay in force.
    const setTiming = (element?: Element) => {
      if (element) Object.assign(element, timing);
    };
    return html`<eds-login
      lang=${args.lang}
      backend-url=${args['backend-url']}
      sources=${ifDefined(args.sources)}
      ncalayer-storages=${ifDefined(args['ncalayer-storages'])}
      .keyRingLoader=${fakeKeyFile(keyFile.keys, keyFile.fails ?? null)}
      ${ref(setTiming)}
    ></eds-login>`;
  },
} satisfies Meta<EdsLoginArgs>;

export default meta;
type Story = StoryObj<EdsLoginArgs>;

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

// NCALayer, NCA's desktop app, mocked at its WebSocket protocol.

/** What the element shows once NCALayer has answered. */
const NCALAYER_ANSWERED =
  '#error, [part="signer"], [part="key-form"][aria-busy="false"]';

/** `parameters` for a story with NCALayer as `scenario` says. */
function withNcaLayer(scenario: NcaLayerScenario, mock: MockBackend = {}) {
  return {
    msw: { handlers: [...mockBackend(mock), mockNcaLayer(scenario)] },
  };
}

/** Chooses Kaztoken, presses "Sign with NCALayer", waits for `until`. */
async function signWithNcaLayer(
  canvas: HTMLElement,
  until = NCALAYER_ANSWERED,
): Promise<HTMLElement> {
  const element = await login(canvas);
  await chooseNcaLayer(element, 'AKKaztokenStore');
  await press(element, '[part="ncalayer-button"]', until);
  return element;
}

/**
 * Chooses NCALayer when it cannot be reached: the error shows at once, as
 * asking for its storages fails the same way signing would.
 */
async function chooseUnreachable(canvas: HTMLElement): Promise<HTMLElement> {
  const element = await login(canvas);
  await choose(element, '#storage', 'ncalayer');
  return inside(element, '#error');
}

/**
 * A story with NCALayer doing as `scenario` says; by default it signs
 * through it.
 */
function ncaLayerStory(
  scenario: NcaLayerScenario,
  timing: TimingParameters = {},
  act: (canvas: HTMLElement) => Promise<HTMLElement> = signWithNcaLayer,
): Story {
  return {
    parameters: { ...withNcaLayer(scenario), timing },
    play: async ({ canvasElement }) => {
      await act(canvasElement);
    },
  };
}

/**
 * A token chosen as the key storage: NCALayer will ask for the key and its
 * PIN in its own window.
 */
export const NcaLayerStorageChosen: Story = {
  parameters: withNcaLayer('signed'),
  play: async ({ canvasElement }) => {
    await chooseNcaLayer(await login(canvasElement), 'AKKaztokenStore');
  },
};

export const NcaLayerStorageChosenInRussian: Story = {
  ...NcaLayerStorageChosen,
  args: { lang: 'ru' },
};

export const NcaLayerStorageChosenInEnglish: Story = {
  ...NcaLayerStorageChosen,
  args: { lang: 'en' },
};

/** Only NCALayer, and only ID cards and Kaztoken, as a portal may set. */
export const NcaLayerOnlyTokens: Story = {
  args: {
    sources: 'ncalayer',
    'ncalayer-storages': 'AKKZIDCardStore AKKaztokenStore',
  },
  parameters: withNcaLayer('signed'),
  play: async ({ canvasElement }) => {
    await chooseNcaLayer(await login(canvasElement), 'AKKaztokenStore');
  },
};

/** NCALayer's window is open: the user is choosing a key. */
export const NcaLayerWaiting: Story = {
  parameters: withNcaLayer('waiting'),
  play: async ({ canvasElement }) => {
    const busy = '[part="key-form"][aria-busy="true"]';
    await signWithNcaLayer(canvasElement, busy);
  },
};

/** NCALayer signed: the signer's name from the CMS, with "Log in". */
export const NcaLayerSigned = ncaLayerStory('signed');

export const NcaLayerSignedInRussian: Story = {
  ...NcaLayerSigned,
  args: { lang: 'ru' },
};

export const NcaLayerSignedInEnglish: Story = {
  ...NcaLayerSigned,
  args: { lang: 'en' },
};

/** Signed through NCALayer, then logged in. */
export const NcaLayerLoggedIn: Story = {
  parameters: withNcaLayer('signed'),
  play: async ({ canvasElement }) => {
    const element = await signWithNcaLayer(canvasElement);
    await press(element, '[part="login-button"]', SETTLED);
  },
};

/** "Cancel" in NCALayer's window: back to the start, with no error. */
export const NcaLayerCancelled = ncaLayerStory('cancel');

/** An NCALayer without the `basics` module: it needs an update. */
export const NcaLayerOutdated = ncaLayerStory('outdated');

/** NCALayer failed to sign (the token was pulled out). */
export const NcaLayerFailed = ncaLayerStory('failed');

/**
 * NCALayer is not running (or its certificate is not trusted, or the
 * connection is blocked: a browser cannot tell these apart).
 */
export const NcaLayerNotRunning = ncaLayerStory(
  'refused',
  {},
  chooseUnreachable,
);

/** NCALayer accepts the connection and never answers. */
export const NcaLayerTimeout = ncaLayerStory(
  'mute',
  { ncalayerTimeoutMs: 1000 },
  chooseUnreachable,
);

// The eGov mobile app: a QR code, with the backend's eGov routes mocked.

/** Chooses eGov Mobile, presses "Show the QR code", waits for `until`. */
async function showQr(
  canvas: HTMLElement,
  until = '[part="qr"], #error',
): Promise<HTMLElement> {
  const element = await login(canvas);
  await choose(element, '#storage', 'egov');
  await press(element, '[part="egov-button"]', until);
  return element;
}

/** A story that shows the QR code; the backend answers as `mock` says. */
function egovStory(
  mock: MockBackend,
  until?: string,
  timing: TimingParameters = {},
): Story {
  return {
    parameters: { ...withBackend(mock), timing },
    play: async ({ canvasElement }) => {
      await showQr(canvasElement, until);
    },
  };
}

/** eGov Mobile chosen: a button shows the QR code. */
export const EgovChosen: Story = {
  play: async ({ canvasElement }) => {
    await choose(await login(canvasElement), '#storage', 'egov');
  },
};

/** The QR code, with the time left to scan it and sign. */
export const EgovQrShown = egovStory({});

export const EgovQrShownInRussian: Story = {
  ...EgovQrShown,
  args: { lang: 'ru' },
};

export const EgovQrShownInEnglish: Story = {
  ...EgovQrShown,
  args: { lang: 'en' },
};

/** The phone signed: the element logs the user in by itself. */
export const EgovSignedLoggedIn = egovStory(
  { egovStatus: ['pending', 'signed'] },
  SETTLED,
  { egovPollMs: 200 },
);

/** The code expired before the phone signed: "Show a new QR code". */
export const EgovExpired = egovStory(
  { egovLifetimeMs: 1500 },
  '[part="egov-restart"]',
);

/** The backend would not start a QR login. */
export const EgovStartFailed = egovStory({ egov: 'RATE_LIMITED' });

/** The phone signed with a key that cannot log in (a SIGN key). */
export const EgovSignatureRefused = egovStory(
  { egovStatus: ['CERT_WRONG_PURPOSE'] },
  '#error',
  { egovPollMs: 200 },
);
