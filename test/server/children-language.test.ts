/**
 * Kindergarten names in the request's language: `?lang=` first, then
 * Accept-Language, then Kazakh; a `lang` that is not ours is refused
 * before anything changes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { acceptedLanguage } from '../../server/language.js';
import { ensureDemoPki } from '../../server/pki/demo-pki.js';
import {
  type Client,
  codeOf,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

/** Аружан's first application, as the demo seeds it. */
const NAMES = {
  kk: [
    '№ 158 бөбекжай-балабақша (Әуезов ауданы)',
    '«Айгөлек» балабақшасы (Әуезов ауданы)',
  ],
  ru: [
    'Ясли-сад № 158 (Ауэзовский район)',
    'Детский сад «Айгөлек» (Ауэзовский район)',
  ],
  en: [
    'Nursery school No. 158 (Auezov district)',
    'Aigolek kindergarten (Auezov district)',
  ],
};
const ARUZHAN = '230901601012';

let server: TestServer;
let erlan: Client;

before(async () => {
  const pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  server = await startServer({ trustAnchors: pki.trustAnchors });
  const person = pki.people.find(
    (p) => p.kind === 'auth' && p.iin === '850115300011',
  )!;
  erlan = server.client();
  const login = await erlan.loginWith(
    await Signer.open(person.keyFile, pki.password),
  );
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const email = await erlan.request('PUT', '/api/me/email', {
    json: { email: 'erlan@example.kz' },
  });
  assert.equal(email.status, 200, JSON.stringify(email.body));
});

after(async () => {
  await server?.close();
});

const first = (answer: { body: any }) =>
  answer.body.children[0].applications[0].kindergartens;

describe('kindergarten names in kk, ru and en', () => {
  test('a lang not ours: BAD_REQUEST, and nothing is linked', async () => {
    for (const query of ['lang=de', 'lang=', 'lang=ru&lang=en']) {
      const answer = await erlan.request('POST', `/api/children?${query}`, {
        json: { iin: ARUZHAN },
      });
      assert.equal(answer.status, 400, query);
      assert.equal(codeOf(answer), 'BAD_REQUEST');
    }
    const list = await erlan.request('GET', '/api/children?lang=xx');
    assert.equal(codeOf(list), 'BAD_REQUEST');
    const none = await erlan.request('GET', '/api/children');
    assert.deepEqual(none.body.children, []);
  });

  test('linking answers in the lang asked for', async () => {
    const answer = await erlan.request('POST', '/api/children?lang=ru', {
      json: { iin: ARUZHAN },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(
      answer.body.child.applications[0].kindergartens,
      NAMES.ru,
    );
    assert.equal(answer.headers.get('content-language'), 'ru');
  });

  test('the list follows lang, then Accept-Language, then Kazakh', async () => {
    const cases: Array<[string, Record<string, string>, 'kk' | 'ru' | 'en']> =
      [
        ['', {}, 'kk'],
        ['', { 'accept-language': 'en-US,en;q=0.9' }, 'en'],
        ['', { 'accept-language': 'de, ru-KZ;q=0.5, kk;q=0.4' }, 'ru'],
        ['', { 'accept-language': 'fr, de' }, 'kk'],
        ['?lang=en', { 'accept-language': 'ru' }, 'en'],
        ['?lang=KK', { 'accept-language': 'en' }, 'kk'],
      ];
    for (const [query, headers, language] of cases) {
      const answer = await erlan.request('GET', `/api/children${query}`, {
        headers,
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(first(answer), NAMES[language], `${query} ${headers}`);
      assert.equal(answer.headers.get('content-language'), language);
      assert.match(answer.headers.get('vary') ?? '', /Accept-Language/);
    }
  });

  test('a row from before the names: Kazakh in every language', async () => {
    server.store.db
      .prepare(
        `UPDATE applications SET kindergarten_names = NULL
         WHERE child_iin = ?`,
      )
      .run(ARUZHAN);
    const answer = await erlan.request('GET', '/api/children?lang=en');
    assert.deepEqual(first(answer), NAMES.kk);
  });
});

describe('acceptedLanguage', () => {
  test('by q-value, then order; regions and case ignored', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'kk'],
      ['', 'kk'],
      ['*', 'kk'],
      ['RU', 'ru'],
      ['en-GB', 'en'],
      ['ru;q=0.5, en;q=0.8', 'en'],
      ['ru, en', 'ru'],
      ['en;q=0, ru;q=0.1', 'ru'],
      ['en;q=0', 'kk'],
      ['en;q=2, ru', 'ru'],
      [';;;,,,q=, =', 'kk'],
      ['x'.repeat(10_000), 'kk'],
    ];
    for (const [header, language] of cases) {
      assert.equal(acceptedLanguage(header), language, String(header));
    }
  });
});
