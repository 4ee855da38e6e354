// The reference server under load on loopback, with autocannon: challenge
// and login requests per second at 1, 10 and 100 concurrent connections,
// latency percentiles, the server's memory, errors. Each run is bounded in
// time and in request count; only 127.0.0.1 is ever addressed.
//
//   node --import tsx bench/load.ts [--json]
//
// Logins need a fresh challenge each, signed by a demo key: they are made
// and signed before the timed run (POST /auth/challenge, then CMS signing
// in Node with the same code the browser runs), and each timed request
// sends one of them with its pre-login cookie.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Result } from 'autocannon';
import { ensureDemoPki } from '../server/pki/demo-pki.js';
import { openKeys } from '../src/crypto/key-file-signer.js';

const CONNECTIONS = [1, 10, 100];
const SECONDS = 5;
const MAX_CHALLENGES = 20_000;
/** Logins per level: each costs a signature made beforehand. */
const LOGINS: Record<number, number> = { 1: 50, 10: 150, 100: 300 };

interface Row {
  route: string;
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rssMb: number;
  heapMb: number;
}

const dir = mkdtempSync(join(tmpdir(), 'qoltanba-bench-load-'));
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/load-server.ts', dir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: server.stdout! });
    lines.on('line', (line) => {
      const port = /^\{"port":(\d+)\}$/.exec(line.trim())?.[1];
      if (port) resolve(Number(port));
    });
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const pki = await ensureDemoPki(join(dir, 'pki'));
  const person = pki.people.find(
    (p) => p.kind === 'auth' && p.algorithm === 'rsa',
  )!;
  const ring = await openKeys(
    new Uint8Array(readFileSync(person.keyFile)),
    pki.password,
  );
  const keyId = ring.choices[0]!.id;

  const memory = async () => {
    const response = await fetch(`${base}/__bench/memory`);
    const used = (await response.json()) as NodeJS.MemoryUsage;
    return { rssMb: used.rss / 2 ** 20, heapMb: used.heapUsed / 2 ** 20 };
  };

  const row = async (route: string, c: number, result: Result) => ({
    route,
    connections: c,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(await memory()),
  });

  /** A challenge from the server, signed: a ready login request. */
  const signedLogin = async () => {
    const response = await fetch(`${base}/api/auth/challenge`, {
      method: 'POST',
      headers: { 'X-Qoltanba': '1' },
    });
    const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
    const { challenge } = (await response.json()) as { challenge: string };
    const signature = await ring.sign(
      keyId,
      new TextEncoder().encode(challenge),
    );
    return { cookie, body: JSON.stringify({ signature }) };
  };

  const rows: Row[] = [];
  for (const c of CONNECTIONS) {
    const challenges = await autocannon({
      url: `${base}/api/auth/challenge`,
      method: 'POST',
      headers: { 'x-qoltanba': '1' },
      connections: c,
      duration: SECONDS,
      maxOverallRequests: MAX_CHALLENGES,
    });
    rows.push(await row('POST /auth/challenge', c, challenges));

    const logins: Array<{ cookie: string; body: string }> = [];
    for (let i = 0; i < LOGINS[c]!; i++) logins.push(await signedLogin());
    let next = 0;
    const loginRun = await autocannon({
      url: `${base}/api/auth/login`,
      connections: c,
      amount: logins.length,
      duration: 60,
      requests: [
        {
          method: 'POST',
          path: '/api/auth/login',
          setupRequest: (request) => {
            const login = logins[next++ % logins.length]!;
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                'x-qoltanba': '1',
                cookie: login.cookie,
              },
              body: login.body,
            };
          },
        },
      ],
    });
    rows.push(await row('POST /auth/login', c, loginRun));
  }
  ring.dispose();

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(
      '| route | conns | requests | req/s | p50 ms | p90 ms | p99 ms | ' +
        'max ms | non-2xx | errors | timeouts | server RSS MB | heap MB |',
    );
    console.log(`|---${'|---:'.repeat(12)}|`);
    for (const r of rows) {
      console.log(
        `| ${r.route} | ${r.connections} | ${r.requests} | ` +
          `${r.perSecond.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ` +
          `${r.max} | ${r.non2xx} | ${r.errors} | ${r.timeouts} | ` +
          `${r.rssMb.toFixed(0)} | ${r.heapMb.toFixed(0)} |`,
      );
    }
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  rmSync(dir, { recursive: true, force: true });
}
