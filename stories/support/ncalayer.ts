/**
 * NCALayer mocked for stories at its protocol: msw's WebSocket API
 * answers on wss://127.0.0.1:13579 as NCALayer does, with the shapes of
 * ../shared/nca-test-pki/ncalayer_recorded_sessions.json (greeting,
 * `basics` replies, cancel) and of an NCALayer without `basics`. The
 * element's own NCALayer client runs unchanged against it.
 */
import { ws, type WebSocketHandler } from 'msw';

/** What the mocked NCALayer does once the page connects. */
export type NcaLayerScenario =
  /** Signs: a CMS as PEM, as `basics` sends it. */
  | 'signed'
  /** The user pressed "Cancel" in NCALayer's window. */
  | 'cancel'
  /** An NCALayer from before the `basics` module. */
  | 'outdated'
  /** `basics` fails: the token was pulled out while signing. */
  | 'failed'
  /** Greets, then shows its key dialog and waits for the user. */
  | 'waiting'
  /** Accepts the connection and never says anything. */
  | 'mute'
  /** Not running: the connection closes before it opens. */
  | 'refused';

const NCALAYER_URL = 'wss://127.0.0.1:13579';

/** Replies as recorded (session indexes 0, 2 and 34 of the recording). */
const GREETING = '{"result":{"version":"1.2"}}';
const KAZTOKEN_PLUGGED_IN =
  '{"responseObject":["AKKaztokenStore"],"code":"200"}';
const CANCEL = '{"body":{},"status":true}';
const MODULE_NOT_FOUND = '{"success":false,"errorCode":"MODULE_NOT_FOUND"}';
const SIGNING_FAILURE = JSON.stringify({
  code: 'SIGNING_FAILURE',
  message: 'The token was removed while signing.',
  status: false,
});

/**
 * A CMS SignedData (content attached) by a made-up key of the stories'
 * parent, САДЫҚОВА АЙГЕРІМ НҰРЛАНҚЫЗЫ, IIN 900625400121, under a made-up
 * CA ("QOLTANBA STORYBOOK CA (not NCA)"). Made once with openssl (req,
 * x509 with clientAuth and 1.2.398.3.3.4.1.1, cms -sign -nodetach); the
 * element only reads the signer from it, and the mocked backend takes any
 * signature.
 */
export const STORY_CMS_PEM = `-----BEGIN CMS-----
MIIGFQYJKoZIhvcNAQcCoIIGBjCCBgICAQExDTALBglghkgBZQMEAgEwPQYJKoZI
hvcNAQcBoDAELlFvbHRhbmJhIGxvZ2luCk9yaWdpbjogc3Rvcnlib29rCk5vbmNl
OiBtb2NrZWSgggPSMIIDzjCCAragAwIBAgIIWhyT4PeyTWgwDQYJKoZIhvcNAQEL
BQAwNzEoMCYGA1UEAwwfUU9MVEFOQkEgU1RPUllCT09LIENBIChub3QgTkNBKTEL
MAkGA1UEBhMCS1owHhcNMjYxMjAzMTU0MTQxWhcNMzYxMTMwMTU0MTQxWjCBizEo
MCYGA1UEAwwf0KHQkNCU0KvSmtCe0JLQkCDQkNCZ0JPQldCg0IbQnDEZMBcGA1UE
BAwQ0KHQkNCU0KvSmtCe0JLQkDEYMBYGA1UEBRMPSUlOOTAwNjI1NDAwMTIxMQsw
CQYDVQQGEwJLWjEdMBsGA1UEKgwU0J3SsNCg0JvQkNCd0prQq9CX0KswggEiMA0G
CSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCXN7TeYootJqt3qbJfm+xf7UPgF5Da
9eqPNocfkkZ84wwCQ53r9ihllL+3B5b908MJq5a0JLjmxmVXLhZB/PeUC4wR3baa
jx0qf+hAbCAMZQwR3BG7LlJndZ5nJGw3pD375/4YpjRxzRiUA/xamU0kgtV3fSj7
t6SH7Q4JoVfH07xpvW9BD9Hz74cbiX6UqNFscAhSqernQDbW9EAX2VBaQfbTZUUT
zToZEzbxaruH7y4EeYwXN4SeEXsqYdTdz4hoSYJfDj9YZsT4wt+SpBN1Od7Gk1F0
qVOhVSr4zoF4A42DQMG8EYDVtlqG5Z2JYlDGvJyXQRlYZz6F+TyMluIXAgMBAAGj
gYgwgYUwDgYDVR0PAQH/BAQDAgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMCBggqgw4D
AwQBATAUBgNVHSAEDTALMAkGByqDDgMDAgQwHQYDVR0OBBYEFIq8AAMR2ZgmZcPY
gthHXlbxAkalMB8GA1UdIwQYMBaAFMetx/IK+UbqL7Zfqo97Ge6AhZsZMA0GCSqG
SIb3DQEBCwUAA4IBAQBIkuDfyjKxLTS4MHWBam5vrE+uT10k2fvhimxwhmmQu28u
YOrUXeLAJX7yIEWjWVoRjrkTTs7J3ZX0A4LIxxXT9qjYvPGCdFA+M6ThNi0OXo95
75ObENfRscPt/k+X1z2UFNp/esaq4wiQt3i+P07PAqFsH3ZYBmdkvN8u91RrZK9V
NskdWg2G484tBjYGLZrWCM7Fyom7mOAK25wjk7u7XyKt7imdXqQ5nLUtX5rtxT3D
0d7BgJURwb7Q+YjZXmP7Htmj7tRZPjNxVhUPUoL8IgmrfaQ8eu5oS00j7WQxNEbT
XFC9YikL22GC++UdDVtyQ7VKl6mG70swMMFDuNylMYIB1zCCAdMCAQEwQzA3MSgw
JgYDVQQDDB9RT0xUQU5CQSBTVE9SWUJPT0sgQ0EgKG5vdCBOQ0EpMQswCQYDVQQG
EwJLWgIIWhyT4PeyTWgwCwYJYIZIAWUDBAIBoGkwGAYJKoZIhvcNAQkDMQsGCSqG
SIb3DQEHATAcBgkqhkiG9w0BCQUxDxcNMjYxMjAzMTU0MTQxWjAvBgkqhkiG9w0B
CQQxIgQghFVUmb5JchJmjRgFVIy7SbMMvpoTCbgXQKjUlJTFJLMwDQYJKoZIhvcN
AQEBBQAEggEAeKLu2odrBAoxPV+JOu9nmZKEnfSXgZcK4WNMxezR4yDqUGEvXhZa
qHg3sqXGk0BmTj1e4J789Zm2jxAnQkJieEblxlNJS+OIVvStF3WUC35x8Nu23ZN5
xt1r1TYlr1nqjOxRy8LR+j2QR9/rXwYuElz737Vt73ls4lxPX0vzt97Opqs/XfXq
kWa+pJfv3dGJNDiM/4UYyZc7pYALPQeZQhDc1E+VIPYBZEOr9mOMPPkVHtbMz9nK
9AS/IwRjTbni9ANag6IPy2CSThSGj3gF/xkbRMa2NSb1csfoHsuc/N9wYr2VTDnk
E4uY93sQAEtQrTBl5gpJqamTVSSYXPVzBQ==
-----END CMS-----
`;

function reply(scenario: NcaLayerScenario, request: string): string | null {
  let module: unknown;
  let method: unknown;
  try {
    ({ module, method } = JSON.parse(request) as Record<string, unknown>);
  } catch {
    return null;
  }
  // Which tokens are plugged in: a Kaztoken. Old NCALayers answer this too.
  if (
    module === 'kz.gov.pki.knca.commonUtils' &&
    method === 'getActiveTokens'
  ) {
    return KAZTOKEN_PLUGGED_IN;
  }
  // Every other module but `basics` is unknown to this NCALayer, including
  // the KAZTOKEN probe (kz.digiflow.mobile.extensions) the client sends.
  if (module !== 'kz.gov.pki.knca.basics' || scenario === 'outdated') {
    return MODULE_NOT_FOUND;
  }
  switch (scenario) {
    case 'signed':
      return JSON.stringify({ body: { result: STORY_CMS_PEM }, status: true });
    case 'cancel':
      return CANCEL;
    case 'failed':
      return SIGNING_FAILURE;
    default:
      // Its window is open: the answer comes when the user acts.
      return null;
  }
}

/** The msw handler of an NCALayer that behaves as `scenario` says. */
export function mockNcaLayer(scenario: NcaLayerScenario): WebSocketHandler {
  const ncalayer = ws.link(NCALAYER_URL);
  return ncalayer.addEventListener('connection', ({ client }) => {
    if (scenario === 'refused') {
      // What a browser reports for a closed port, an untrusted
      // certificate or a block alike: 1006, before the socket opens.
      client.close(1006, '');
      return;
    }
    if (scenario === 'mute') return;
    client.send(GREETING);
    client.addEventListener('message', (event) => {
      const answer = reply(scenario, String(event.data));
      if (answer !== null) client.send(answer);
    });
  });
}
