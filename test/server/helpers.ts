/**
 * Test support for the server suites: a real app on 127.0.0.1 with a SQLite
 * file in a temp folder, a fetch client with a small cookie jar, and a way
 * to sign a challenge with a real key file.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER } from '../../src/api/protocol.js';
import { signCms } from '../../src/crypto/cms-sign.js';
import { toBase64 } from '../../src/crypto/pem.js';
import { openKeyFile } from '../../src/crypto/pkcs12.js';
import { buildApp, type BuildAppOptions } from '../../server/app.js';
import { seedDemoData } from '../../server/demo-seed.js';
import { DemoRegistry } from '../../server/registry/demo-registry.js';
import {
  openDatabase,
  SqliteStore,
} from '../../server/store/sqlite-store.js';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/** NCA's test files; the env variable lets CI point elsewhere. */
export const NCA_DIR =
  process.env.QOLTANBA_NCA_TEST_PKI ??
  resolve(REPO_ROOT, '../shared/nca-test-pki');

/** A fixed "today", so that ages do not drift as the years pass. */
export const TODAY = new Date('2026-12-03T09:00:00Z');

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed when the test process ends. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `qoltanba-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export interface TestServer {
  app: FastifyInstance;
  base: string;
  origin: string;
  store: SqliteStore;
  registry: DemoRegistry;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  /** Log lines written so far, parsed. */
  logs: Array<Record<string, unknown>>;
  client(): Client;
  close(): Promise<void>;
}

type Options = Omit<
  BuildAppOptions,
  'store' | 'registry' | 'publicOrigin' | 'logStream'
> & {
  /**
   * A SQLite file to share with other test servers (several processes of
   * one portal, or one before and after a restart); default a new one.
   * The caller removes it.
   */
  databaseFile?: string;
};

export async function startServer({
  databaseFile,
  ...options
}: Options): Promise<TestServer> {
  const dir = await tempDir('server');
  const db = openDatabase(databaseFile ?? join(dir, 'test.sqlite'));
  const store = new SqliteStore(db);
  const registry = new DemoRegistry(db);
  await seedDemoData(store, registry, TODAY);

  let offset = 0;
  const logs: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = await buildApp({
    rateLimitPerMinute: 0,
    logLevel: 'warn',
    ...options,
    store,
    registry,
    // The real origin is known only after listen; challenges name the
    // request's Origin when the tests send one.
    publicOrigin: 'http://localhost:8080',
    logStream,
    testing: {
      now: () => new Date(TODAY.getTime() + offset),
      ...options.testing,
    },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const base = address.replace('[::1]', '127.0.0.1');
  return {
    app,
    base,
    origin: 'http://localhost:8080',
    store,
    registry,
    advance: (ms) => {
      offset += ms;
    },
    logs,
    client: () => new Client(base, () => TODAY.getTime() + offset),
    close: async () => {
      await app.close();
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: any;
}

interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with the given content type. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Add the CSRF header on a state-changing request (default true). */
  csrf?: boolean;
}

/**
 * fetch with a cookie jar: enough of RFC 6265 for one host. Like a browser,
 * it stops sending a cookie once its Max-Age has passed, on the server's
 * clock, so tests see what a browser would after a lifetime runs out.
 */
export class Client {
  readonly cookies = new Map<string, string>();
  readonly #expiries = new Map<string, number>();
  constructor(
    readonly base: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (method !== 'GET' && options.csrf !== false) headers[CSRF_HEADER] = '1';
    for (const [name, expiry] of this.#expiries) {
      if (expiry <= this.clock()) this.cookies.delete(name);
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies]
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
    }
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(this.base + path, { method, headers, body });
    for (const line of response.headers.getSetCookie()) this.#store(line);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      parsed = JSON.parse(text);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  #store(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at).trim();
    const value = pair!.slice(at + 1).trim();
    const expired = attributes.some((a) => {
      const [key, val] = a.trim().split('=');
      return (
        (key?.toLowerCase() === 'max-age' && Number(val) <= 0) ||
        (key?.toLowerCase() === 'expires' && Date.parse(val ?? '') < Date.now())
      );
    });
    if (expired || value === '') {
      this.cookies.delete(name);
      return;
    }
    this.cookies.set(name, value);
    const maxAge = attributes
      .map((a) => a.trim().split('='))
      .find(([key]) => key?.toLowerCase() === 'max-age');
    if (maxAge) {
      this.#expiries.set(name, this.clock() + Number(maxAge[1]) * 1000);
    } else {
      this.#expiries.delete(name);
    }
  }

  /** Asks for a challenge and returns its text. */
  async challenge(headers: Record<string, string> = {}): Promise<string> {
    const answer = await this.request('POST', '/api/auth/challenge', {
      headers,
    });
    if (answer.status !== 200) {
      const body = JSON.stringify(answer.body);
      throw new Error(`challenge: ${answer.status} ${body}`);
    }
    return answer.body.challenge as string;
  }

  login(signature: string): Promise<Answer> {
    return this.request('POST', '/api/auth/login', { json: { signature } });
  }

  /** Challenge, sign with the key, log in. */
  async loginWith(key: Signer): Promise<Answer> {
    return this.login(await key.sign(await this.challenge()));
  }
}

/** A key file opened once, signing texts as a login would. */
export class Signer {
  private constructor(
    private readonly key: Awaited<ReturnType<typeof openKeyFile>>['keys'][0],
  ) {}

  static async open(file: string, password: string): Promise<Signer> {
    const opened = await openKeyFile(
      new Uint8Array(await readFile(file)),
      password,
    );
    return new Signer(opened.keys[0]!);
  }

  /** CMS SignedData over the text's UTF-8 bytes, base64 DER. */
  async sign(text: string): Promise<string> {
    const der = await signCms(new TextEncoder().encode(text), this.key);
    return toBase64(der);
  }
}

/** The error code of an answer, for short assertions. */
export function codeOf(answer: Answer): string | undefined {
  return typeof answer.body === 'object' && answer.body
    ? (answer.body.code as string)
    : undefined;
}
