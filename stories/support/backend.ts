/**
 * The backend protocol (src/api/protocol.ts, and the eGov routes of
 * src/api/egov-protocol.ts) mocked with msw, for stories. A story says how
 * each route answers: a body, an error code (answered with the status the
 * reference server gives it), NETWORK (no answer), UNEXPECTED (an HTML 502
 * from a proxy) or PENDING (never answers).
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type {
  EgovStartResponse,
  EgovStatusResponse,
} from '../../src/api/egov-protocol.js';
import type {
  ApiErrorCode,
  Child,
  ChildrenResponse,
  LinkChildResponse,
  SessionResponse,
  User,
} from '../../src/api/protocol.js';
import { statusOf } from '../../server/errors.js';

export type Outcome<T> =
  | T
  | ApiErrorCode
  | 'NETWORK'
  | 'UNEXPECTED'
  | 'PENDING';

export interface MockBackend {
  me?: Outcome<SessionResponse>;
  challenge?: Outcome<'OK'>;
  login?: Outcome<SessionResponse>;
  email?: Outcome<SessionResponse>;
  logout?: Outcome<'OK'>;
  children?: Outcome<Child[]>;
  link?: Outcome<Child>;
  /** POST /auth/egov: 'OK' gives a QR code valid for `egovLifetimeMs`. */
  egov?: Outcome<'OK'>;
  egovLifetimeMs?: number;
  /**
   * POST /auth/egov/status, one answer per poll, the last one repeated:
   * 'pending' while the phone has not signed, 'signed' once it has.
   */
  egovStatus?: Array<Outcome<'pending' | 'signed'>>;
}

export const PARENT: User = {
  iin: '900625400121',
  fullName: 'САДЫҚОВА АЙГЕРІМ НҰРЛАНҚЫЗЫ',
  email: 'aigerim@example.kz',
};

export const LOGGED_IN: SessionResponse = { user: PARENT, needsEmail: false };
export const FIRST_LOGIN: SessionResponse = {
  user: { ...PARENT, email: null },
  needsEmail: true,
};

export const CHILD: Child = {
  iin: '201205500031',
  fullName: 'САДЫҚОВ ӘЛИХАН ЕРЛАНҰЛЫ',
  birthDate: '2020-12-05',
  applications: [
    {
      number: 'AL-2023-004512',
      kindergartens: [
        '№ 12 «Балапан» балабақшасы',
        '№ 45 «Ақбота» балабақшасы',
      ],
      queuePosition: 14,
      status: 'queued',
      submittedOn: '2023-02-14',
    },
  ],
};

export const SIBLINGS: Child[] = [
  CHILD,
  {
    iin: '190308600020',
    fullName: 'САДЫҚОВА АЯЛА ЕРЛАНҚЫЗЫ',
    birthDate: '2019-03-08',
    applications: [
      {
        number: 'AL-2021-118204',
        kindergartens: ['№ 3 «Айгөлек» балабақшасы'],
        queuePosition: 1,
        status: 'offered',
        submittedOn: '2021-04-02',
      },
      {
        number: 'AL-2020-090017',
        kindergartens: ['№ 77 «Күншуақ» балабақшасы'],
        queuePosition: 0,
        status: 'cancelled',
        submittedOn: '2020-09-30',
      },
    ],
  },
  {
    iin: '221015600049',
    fullName: 'САДЫҚОВА ТОМИРИС ЕРЛАНҚЫЗЫ',
    birthDate: '2022-10-15',
    applications: [],
  },
];

type Resolver = Parameters<typeof http.get>[1];

function answer<T>(
  outcome: Outcome<T>,
  body: (value: T) => unknown,
): Resolver {
  return async () => {
    if (outcome === 'PENDING') {
      await delay('infinite');
      return new HttpResponse(null, { status: 504 });
    }
    if (outcome === 'NETWORK') return HttpResponse.error();
    if (outcome === 'UNEXPECTED') {
      return new HttpResponse('<h1>502 Bad Gateway</h1>', {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
      });
    }
    if (outcome === 'OK') {
      return body === noContent
        ? new HttpResponse(null, { status: 204 })
        : HttpResponse.json(body(outcome as T) as object);
    }
    if (typeof outcome === 'string' && /^[A-Z_]+$/.test(outcome)) {
      const code = outcome as ApiErrorCode;
      return HttpResponse.json(
        { code, message: `${code} (mocked in Storybook)` },
        { status: statusOf(code) },
      );
    }
    return HttpResponse.json(body(outcome as T) as object);
  };
}

const noContent = () => null;

/** What the QR code holds: API-1 of a made-up portal, as the server says. */
const EGOV_API1 = 'https://portal.example.kz/api/egov/story';

/** The eGov QR routes, answering as `mock` says. */
function mockEgov(mock: MockBackend): HttpHandler[] {
  const lifetime = mock.egovLifetimeMs ?? 5 * 60_000;
  // Per code shown; the handlers outlive one showing of a story.
  let expiresAt = '';
  let polls = 0;
  const statuses = mock.egovStatus ?? ['pending'];
  // The longer path first, so that no pattern can take both.
  return [
    http.post('*/api/auth/egov/status', (info) => {
      const outcome = statuses[Math.min(polls++, statuses.length - 1)]!;
      return answer(outcome, (status): EgovStatusResponse =>
        status === 'signed'
          ? { status: 'done', ...LOGGED_IN }
          : { status: 'pending', expiresAt },
      )(info);
    }),
    http.post(
      '*/api/auth/egov',
      answer(mock.egov ?? 'OK', (): EgovStartResponse => {
        // A new code each time, as "Show a new QR code" asks for.
        expiresAt = new Date(Date.now() + lifetime).toISOString();
        polls = 0;
        return {
          qr: `mobileSign:${EGOV_API1}`,
          deepLink: `https://m.egov.kz/mobileSign?link=${encodeURIComponent(
            EGOV_API1,
          )}`,
          expiresAt,
        };
      }),
    ),
  ];
}

/** The msw handlers for a backend that answers as `mock` says. */
export function mockBackend(mock: MockBackend = {}): HttpHandler[] {
  const api = (path: string) => `*/api${path}`;
  const children = mock.children ?? [];
  return [
    http.get(
      api('/me'),
      answer(mock.me ?? 'NOT_AUTHENTICATED', (session) => session),
    ),
    http.post(
      api('/auth/challenge'),
      answer(mock.challenge ?? 'OK', () => ({
        challenge: 'Qoltanba login\nOrigin: storybook\nNonce: mocked',
        expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      })),
    ),
    http.post(
      api('/auth/login'),
      answer(mock.login ?? LOGGED_IN, (session) => session),
    ),
    http.put(
      api('/me/email'),
      answer(mock.email ?? LOGGED_IN, (session) => session),
    ),
    http.post(api('/auth/logout'), answer(mock.logout ?? 'OK', noContent)),
    http.get(
      api('/children'),
      answer(children, (list): ChildrenResponse => ({ children: list })),
    ),
    http.post(
      api('/children'),
      answer(
        mock.link ?? CHILD,
        (child): LinkChildResponse => ({ code: 'KINSHIP_CONFIRMED', child }),
      ),
    ),
    ...mockEgov(mock),
  ];
}

/** `parameters` for a story whose backend answers as `mock` says. */
export function withBackend(mock: MockBackend = {}) {
  return { msw: { handlers: mockBackend(mock) } };
}
