/**
 * Sessions end: after their lifetime (flow.test.ts), at logout
 * (flow.test.ts), and all of one user's at once from the server side.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureDemoPki, type DemoPki } from '../../server/pki/demo-pki.js';
import {
  codeOf,
  Signer,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.js';

let pki: DemoPki;
let server: TestServer;

function keyOf(iin: string) {
  const person = pki.people.find((p) => p.kind === 'auth' && p.iin === iin);
  assert.ok(person, `a demo AUTH key for ${iin}`);
  return Signer.open(person.keyFile, pki.password);
}

before(async () => {
  pki = await ensureDemoPki(join(await tempDir('pki'), 'pki'));
  server = await startServer({ trustAnchors: pki.trustAnchors });
});

after(async () => {
  await server?.close();
});

test("revoking a user's sessions ends them in every browser, and only them", async () => {
  const aigerim = await keyOf('900625400121');
  const erlan = await keyOf('850115300011');
  const laptop = server.client();
  const phone = server.client();
  const other = server.client();
  for (const [client, key] of [
    [laptop, aigerim],
    [phone, aigerim],
    [other, erlan],
  ] as const) {
    assert.equal((await client.loginWith(key)).status, 200);
  }
  assert.equal(await server.store.deleteSessionsOf('900625400121'), 2);
  for (const client of [laptop, phone]) {
    const me = await client.request('GET', '/api/me');
    assert.equal(codeOf(me), 'NOT_AUTHENTICATED');
  }
  assert.equal((await other.request('GET', '/api/me')).status, 200);
});
