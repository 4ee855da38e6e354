/**
 * A fake NCALayer for tests: a real WebSocket server over TLS on
 * 127.0.0.1, with its own self-signed certificate made at start, that
 * speaks the protocol as ../shared/nca-test-pki/ncalayer_recorded_sessions
 * .json records it (greeting, `basics` and `commonUtils` replies, cancel
 * and error shapes) and signs with a real key file.
 *
 * NCALayer ignores the URL path; the fake reads it as the scenario, so a
 * test picks one by URL: /pem (default), /base64, /array, /object,
 * /cancel, /error, /outdated (no `basics` module), /mute (greets, then
 * never answers). The query sets what getActiveTokens answers:
 * ?tokens=AKKaztokenStore,AKKZIDCardStore lists those (as recorded with a
 * Kaztoken plugged in), ?tokens=fail answers code 500; without it, none
 * is plugged in (`[]`, as recorded).
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { fromBase64, toBase64, toPem } from '../../src/crypto/pem.js';

/** Recorded replies, verbatim (session indexes in the recording). */
export const RECORDED = {
  greeting: '{"result":{"version":"1.2"}}',
  cancel: '{"body":{},"status":true}',
  noTokens: '{"responseObject":[],"code":"200"}',
  kaztoken: '{"responseObject":["AKKaztokenStore"],"code":"200"}',
  invocationError:
    '{"code":"INVOCATION_ERROR","details":"org.json.JSONException: ' +
    'JSONObject[\\"signingParams\\"] is not a JSONObject.","message":' +
    '"An invoked method threw an exception.","status":false}',
  moduleNotFound: '{"success":false,"errorCode":"MODULE_NOT_FOUND"}',
};

export type Scenario =
  | 'pem'
  | 'base64'
  | 'array'
  | 'object'
  | 'cancel'
  | 'error'
  | 'outdated'
  | 'mute';

const SCENARIOS = new Set<Scenario>([
  'pem',
  'base64',
  'array',
  'object',
  'cancel',
  'error',
  'outdated',
  'mute',
]);

/** Signs content; resolves to CMS SignedData (DER), content attached. */
export type CmsSigner = (content: Uint8Array) => Promise<Uint8Array>;

export interface FakeNcaLayer {
  port: number;
  url: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  spki: string;
  /** Every request, with the path of its connection. */
  requests: Array<{ path: string; request: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface TlsIdentity {
  cert: string;
  key: string;
  spki: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl. */
export function makeTlsIdentity(): TlsIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'fake-ncalayer-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt',
        'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const der = new X509Certificate(cert).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const spki = createHash('sha256').update(der).digest('base64');
    return { cert, key, spki };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFakeNcaLayer(
  sign: CmsSigner,
  identity: TlsIdentity = makeTlsIdentity(),
): Promise<FakeNcaLayer> {
  const server = createHttpsServer({ cert: identity.cert, key: identity.key });
  const wss = new WebSocketServer({ server });
  const requests: FakeNcaLayer['requests'] = [];

  wss.on('connection', (socket, incoming) => {
    const url = new URL(incoming.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.replace(/^\/+/, '');
    const scenario: Scenario = SCENARIOS.has(path as Scenario)
      ? (path as Scenario)
      : 'pem';
    const tokens = url.searchParams.get('tokens');
    socket.send(RECORDED.greeting);
    socket.on('message', async (data) => {
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        socket.close();
        return;
      }
      requests.push({ path, request });
      if (scenario === 'mute') return;
      socket.send(await reply(scenario, request, sign, tokens));
    });
  });

  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `wss://127.0.0.1:${port}`,
    spki: identity.spki,
    requests,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function reply(
  scenario: Scenario,
  request: Record<string, unknown>,
  sign: CmsSigner,
  tokens: string | null,
): Promise<string> {
  const module = request.module;
  if (module === 'kz.gov.pki.knca.commonUtils') {
    if (request.method === 'getActiveTokens') return tokensReply(tokens);
    return JSON.stringify({
      code: '500',
      message: `java.lang.IllegalArgumentException: argument type mismatch. Method: ${String(request.method)}`,
    });
  }
  if (module !== 'kz.gov.pki.knca.basics' || scenario === 'outdated') {
    // What NCALayer says for a module it does not have, including the
    // KAZTOKEN probe (kz.digiflow.mobile.extensions) the client sends.
    return RECORDED.moduleNotFound;
  }
  const args = request.args as Record<string, unknown> | undefined;
  if (
    request.method !== 'sign' ||
    !args ||
    typeof args.signingParams !== 'object' ||
    args.signingParams === null
  ) {
    return RECORDED.invocationError;
  }
  if (scenario === 'cancel') return RECORDED.cancel;
  if (scenario === 'error') {
    return JSON.stringify({
      code: 'SIGNING_FAILURE',
      message: 'The token was removed while signing.',
      status: false,
    });
  }
  const params = args.signingParams as { decode?: boolean };
  const data = String(args.data);
  const content = params.decode
    ? (fromBase64(data) ?? new Uint8Array())
    : new TextEncoder().encode(data);
  const der = await sign(content);
  const pem = toPem('CMS', der);
  const result =
    scenario === 'base64'
      ? toBase64(der)
      : scenario === 'array'
        ? [pem]
        : scenario === 'object'
          ? { signatures: [pem], certificate: '' }
          : pem;
  return JSON.stringify({ body: { result }, status: true });
}

/** getActiveTokens's reply for the `tokens` query of the connection. */
function tokensReply(tokens: string | null): string {
  if (tokens === null || tokens === '') return RECORDED.noTokens;
  if (tokens === 'AKKaztokenStore') return RECORDED.kaztoken;
  if (tokens === 'fail') {
    return JSON.stringify({
      code: '500',
      message: 'java.lang.NullPointerException',
    });
  }
  return JSON.stringify({ responseObject: tokens.split(','), code: '200' });
}

/** A server that accepts connections and never says anything. */
export async function startSilentServer(): Promise<{
  port: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
