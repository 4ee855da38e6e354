// The NCALayer signer (src/ncalayer/ncalayer-signer.ts) against the fake
// NCALayer over real TLS, in Node: the request it sends, every reply shape,
// cancel, and each way NCALayer can fail. The fake itself is checked
// against the recorded sessions.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  closedPort,
  makeTlsIdentity,
  RECORDED,
  startFakeNcaLayer,
  startSilentServer,
  type FakeNcaLayer,
} from '../support/fake-ncalayer.js';

const identity = makeTlsIdentity();
// The package's client uses the global WebSocket, as in a browser; this one
// trusts the fake's certificate the way a browser trusts NCALayer's.
class TrustingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { ca: identity.cert });
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;
const { signWithNcaLayer, cmsFromReply, ncaLayerLocale, NcaLayerError } =
  await import('../../src/ncalayer/ncalayer-signer.js');
const { toBase64, toPem } = await import('../../src/crypto/pem.js');

const RECORDING = fileURLToPath(
  new URL(
    '../../../shared/nca-test-pki/ncalayer_recorded_sessions.json',
    import.meta.url,
  ),
);
const noRecording = existsSync(RECORDING)
  ? false
  : `recorded sessions not found at ${RECORDING}`;

/** A stand-in CMS: a DER SEQUENCE around the content, enough for shapes. */
const fakeCms = async (content: Uint8Array) =>
  Uint8Array.of(0x30, content.length, ...content);

const CONTENT = new TextEncoder().encode('Qoltanba login');
const EXPECTED = toBase64(Uint8Array.of(0x30, CONTENT.length, ...CONTENT));

let fake: FakeNcaLayer;
before(async () => {
  fake = await startFakeNcaLayer(fakeCms, identity);
});
after(async () => {
  await fake.close();
});

function sign(path: string, extra: Record<string, unknown> = {}) {
  return signWithNcaLayer({
    content: CONTENT,
    storages: ['AKKaztokenStore'],
    locale: 'kk',
    url: `${fake.url}/${path}`,
    connectTimeoutMs: 1500,
    ...extra,
  });
}

async function failsWith(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NcaLayerError, String(error));
    assert.equal(error.code, code);
    return true;
  });
}

describe('signing through NCALayer', () => {
  it('sends the basics sign request for an attached CMS', async () => {
    fake.requests.length = 0;
    assert.equal(await sign('pem'), EXPECTED);
    const basics = fake.requests.find(
      (r) => r.request.module === 'kz.gov.pki.knca.basics',
    );
    assert.deepEqual(basics?.request, {
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        allowedStorages: ['AKKaztokenStore'],
        format: 'cms',
        data: toBase64(CONTENT),
        signingParams: {
          decode: true,
          encapsulate: true,
          digested: false,
          tsaProfile: {},
        },
        signerParams: { extKeyUsageOids: ['1.2.398.3.3.4.1.1'], chain: [] },
        locale: 'kk',
      },
    });
  });

  for (const shape of ['pem', 'base64', 'array', 'object']) {
    it(`reads the signature from a ${shape} reply`, async () => {
      assert.equal(await sign(shape), EXPECTED);
    });
  }

  it('resolves to null when the user cancels', async () => {
    assert.equal(await sign('cancel'), null);
  });

  it('tells an NCALayer without basics', async () => {
    await failsWith(sign('outdated'), 'NCALAYER_OUTDATED');
  });

  it('reports a signing error', async () => {
    await failsWith(sign('error'), 'NCALAYER_FAILED');
  });

  it('times out when NCALayer greets and then says nothing', async () => {
    await failsWith(sign('mute', { connectTimeoutMs: 300 }), 'NCALAYER_TIMEOUT');
  });

  it('times out when a server accepts and never answers', async () => {
    const silent = await startSilentServer();
    try {
      await failsWith(
        sign('', {
          url: `wss://127.0.0.1:${silent.port}`,
          connectTimeoutMs: 300,
        }),
        'NCALAYER_TIMEOUT',
      );
    } finally {
      await silent.close();
    }
  });

  it('says unreachable when nothing listens', async () => {
    const port = await closedPort();
    await failsWith(
      sign('', { url: `wss://127.0.0.1:${port}` }),
      'NCALAYER_UNREACHABLE',
    );
  });

  it('says unreachable when the certificate is not trusted', async () => {
    const other = await startFakeNcaLayer(fakeCms);
    try {
      await failsWith(sign('', { url: other.url }), 'NCALAYER_UNREACHABLE');
    } finally {
      await other.close();
    }
  });
});

describe('reply shapes', () => {
  const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
  const b64 = toBase64(der);
  const pem = toPem('CMS', der);

  it('accepts PEM, base64, arrays and {signatures, certificate}', () => {
    for (const reply of [pem, b64, [pem], [b64], { signatures: [pem] }]) {
      assert.equal(cmsFromReply(reply), b64);
    }
    assert.equal(cmsFromReply({ signatures: b64, certificate: '' }), b64);
  });

  it('refuses replies that hold no CMS', () => {
    for (const reply of ['', 'not base64!', [], {}, toBase64(Uint8Array.of(1))]) {
      assert.throws(() => cmsFromReply(reply as string), NcaLayerError);
    }
  });
});

describe('locale codes', () => {
  it('maps ours to NCALayer’s', () => {
    assert.equal(ncaLayerLocale('kk'), 'kk');
    assert.equal(ncaLayerLocale('kk', 'commonUtils'), 'kz');
    assert.equal(ncaLayerLocale('ru'), 'ru');
    assert.equal(ncaLayerLocale('en'), 'en');
  });
});

describe('the fake NCALayer against the recorded sessions', () => {
  interface Session {
    initMessage?: string;
    request: string;
    response: string;
  }

  async function exchange(path: string, request: string): Promise<string[]> {
    const socket = new TrustingWebSocket(`${fake.url}/${path}`);
    const replies: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('message', (data) => {
        replies.push(String(data));
        if (replies.length === 1) socket.send(request);
        else resolve();
      });
    });
    socket.close();
    return replies;
  }

  it('greets, cancels and fails as recorded', { skip: noRecording }, async () => {
    const sessions = JSON.parse(readFileSync(RECORDING, 'utf8')) as Session[];
    const greeting = sessions.find((s) => s.initMessage)!.initMessage;
    const invocation = sessions.find((s) =>
      s.response.includes('INVOCATION_ERROR'),
    )!;
    const cancel = sessions.find(
      (s) => s.response === RECORDED.cancel && s.request.includes('basics'),
    )!;
    const tokens = sessions.find((s) => s.response === RECORDED.noTokens)!;

    let replies = await exchange('pem', invocation.request);
    assert.deepEqual(replies, [greeting, invocation.response]);
    replies = await exchange('cancel', cancel.request);
    assert.deepEqual(replies, [greeting, cancel.response]);
    replies = await exchange('pem', tokens.request);
    assert.deepEqual(replies, [greeting, tokens.response]);
  });
});
