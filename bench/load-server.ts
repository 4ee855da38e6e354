// The reference server for bench/load.ts, in a process of its own: the
// demo PKI in the folder given, a fresh SQLite file, no rate limit (the
// load comes from one address), warnings-only logging, and one extra route
// that reports the process's memory. Prints {"port": N} once listening.
import { join } from 'node:path';
import { buildApp } from '../server/app.js';
import { seedDemoData } from '../server/demo-seed.js';
import { ensureDemoPki } from '../server/pki/demo-pki.js';
import { DemoRegistry } from '../server/registry/demo-registry.js';
import { openDatabase, SqliteStore } from '../server/store/sqlite-store.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: load-server.ts DATA_DIR');

const pki = await ensureDemoPki(join(dir, 'pki'));
const db = openDatabase(join(dir, 'bench.sqlite'));
const store = new SqliteStore(db);
const registry = new DemoRegistry(db);
await seedDemoData(store, registry);

const app = await buildApp({
  store,
  registry,
  trustAnchors: pki.trustAnchors,
  publicOrigin: 'http://127.0.0.1',
  acceptTestIins: true,
  rateLimitPerMinute: 0,
  logLevel: 'warn',
  demo: pki,
});
app.get('/__bench/memory', async () => process.memoryUsage());
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(JSON.stringify({ port }));
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
