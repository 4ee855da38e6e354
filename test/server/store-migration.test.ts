/**
 * A database made by an older release (schema version 1: no eGov signing
 * sessions, kindergartens named in Kazakh only) opens and upgrades in
 * place, keeps its rows, and the demo seed then fills in the names.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { seedDemoData } from '../../server/demo-seed.js';
import { DemoRegistry } from '../../server/registry/demo-registry.js';
import {
  openDatabase,
  SqliteStore,
} from '../../server/store/sqlite-store.js';
import { tempDir, TODAY } from './helpers.js';

const ALIKHAN = '201205500031';

test('a version 1 database upgrades in place, rows kept', async () => {
  const file = join(await tempDir('migration'), 'old.sqlite');
  // Made now, then taken back to what version 1 had.
  const old = openDatabase(file);
  await seedDemoData(new SqliteStore(old), new DemoRegistry(old), TODAY);
  old.exec(`
    DROP TABLE egov_sessions;
    UPDATE applications SET kindergartens = json_array('№ 12 (kk only)');
    ALTER TABLE applications DROP COLUMN kindergarten_names;
  `);
  old.pragma('user_version = 1');
  old.close();

  const db = openDatabase(file);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    const store = new SqliteStore(db);
    // The old rows answer their one name in every language.
    const before = await store.findChild(ALIKHAN);
    assert.deepEqual(before!.applications[0]!.kindergartens, [
      { kk: '№ 12 (kk only)', ru: '№ 12 (kk only)', en: '№ 12 (kk only)' },
    ]);
    await store.saveEgovSession({
      id: 'a'.repeat(22),
      bindingHash: 'b',
      tokenHash: null,
      challenge: 'c',
      origin: 'http://localhost:8080',
      expiresAt: new Date(TODAY.getTime() + 60_000),
      state: 'pending',
      failure: null,
      signer: null,
    });
    const saved = await store.findEgovSession('a'.repeat(22));
    assert.equal(saved!.state, 'pending');
    // Demo mode seeds on every start: the names come in three languages.
    await seedDemoData(store, new DemoRegistry(db), TODAY);
    const after = await store.findChild(ALIKHAN);
    assert.equal(
      after!.applications[0]!.kindergartens[0]!.ru,
      'Ясли-сад № 12 (Алмалинский район)',
    );
  } finally {
    db.close();
  }
});
