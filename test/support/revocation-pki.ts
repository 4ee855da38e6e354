/**
 * A small PKI whose certificates name revocation URLs on a real local
 * HTTP server (node:http on 127.0.0.1), and that server: CRLs, delta CRLs
 * and an OCSP responder, each also in a slow, a garbage-answering and a
 * down variant. Started and stopped by the tests that use it.
 *
 *   GET  /crl/NAME             the CRL set under NAME (404 if none)
 *   GET  /slow/crl/NAME        the same after `slowMs`
 *   GET  /garbage/crl/NAME     bytes that are not a CRL
 *   POST /ocsp/BEHAVIOUR       an OCSP answer, see OcspBehaviour
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signCms } from '../../src/crypto/cms-sign.js';
import { parseCertificate } from '../../src/crypto/cms-verify.js';
import { EKU } from '../../src/crypto/oids.js';
import {
  generateRsaKey,
  issueCertificate,
  signWith,
  type Issuer,
  type NameEntry,
  type RevocationUrls,
  type RsaKeyPair,
} from '../../server/pki/certificates.js';
import type { KeyEntry } from '../../src/crypto/types.js';

/** How the OCSP responder answers. */
export type OcspBehaviour =
  | 'good' // as the CA's database says, signed by the CA
  | 'delegated' // signed by a responder certificate the CA issued
  | 'rogue' // signed by a responder certificate the CA did not issue
  | 'slow' // a correct answer after `slowMs`
  | 'garbage' // bytes that are not an OCSP response
  | 'wrong-nonce' // a correct answer with another nonce
  | 'no-nonce' // a correct answer without the nonce
  | 'stale' // thisUpdate an hour ago, no nextUpdate
  | 'try-later'; // responseStatus tryLater (3)

const NOW = Date.now();
const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

const caName = (cn: string): NameEntry[] => [
  ['2.5.4.3', cn],
  ['2.5.4.6', 'KZ'],
];

export const PERSON: NameEntry[] = [
  ['2.5.4.3', 'САДЫҚОВА АЙГЕРІМ'],
  ['2.5.4.4', 'САДЫҚОВА'],
  ['2.5.4.5', 'IIN900625400121'],
  ['2.5.4.6', 'KZ'],
  ['2.5.4.42', 'МАРАТҚЫЗЫ'],
];

export interface RevocationServer {
  base: string;
  /** A URL on a port where nothing listens. */
  down: string;
  /** CRLs served under /crl/NAME. */
  crls: Map<string, Uint8Array>;
  /** What the responder says per serial (hex); default good. */
  ocspStatus: Map<string, 'good' | 'revoked' | 'unknown'>;
  /** How long the slow variants wait. */
  slowMs: number;
  /** Requests seen, for "downloaded once" assertions. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export interface TestCa {
  root: Uint8Array;
  issuing: Uint8Array;
  rootIssuer: Issuer;
  issuer: Issuer;
  issuingKey: RsaKeyPair;
  /** A login key with the given revocation URLs. */
  issueUser(urls: RevocationUrls, subject?: NameEntry[]): Promise<KeyEntry>;
  /** A certificate for OCSP signing, issued by `by` (default the CA). */
  issueResponder(by?: Issuer): Promise<{ cert: Uint8Array; key: RsaKeyPair }>;
}

export function serialHex(certificate: Uint8Array): string {
  return Buffer.from(
    parseCertificate(certificate).serialNumber.valueBlock.valueHexView,
  ).toString('hex');
}

/** Root → issuing CA (its CRL at /crl/root) → users. */
export async function makeTestCa(base: string): Promise<TestCa> {
  const [rootKey, issuingKey, userKey] = await Promise.all([
    generateRsaKey(2048),
    generateRsaKey(2048),
    generateRsaKey(2048),
  ]);
  const rootIssuer: Issuer = {
    name: caName('REVOCATION ROOT TEST'),
    privateKey: rootKey.privateKey,
    publicKeyInfo: rootKey.publicKeyInfo,
  };
  const root = await issueCertificate({
    subject: rootIssuer.name,
    publicKeyInfo: rootKey.publicKeyInfo,
    selfSignKey: rootKey.privateKey,
    notBefore: new Date(NOW - YEAR),
    notAfter: new Date(NOW + 10 * YEAR),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const issuer: Issuer = {
    name: caName('REVOCATION ISSUING TEST'),
    privateKey: issuingKey.privateKey,
    publicKeyInfo: issuingKey.publicKeyInfo,
  };
  const issuing = await issueCertificate({
    subject: issuer.name,
    publicKeyInfo: issuingKey.publicKeyInfo,
    issuer: rootIssuer,
    notBefore: new Date(NOW - YEAR),
    notAfter: new Date(NOW + 5 * YEAR),
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
    revocationUrls: { crl: [`${base}/crl/root`] },
  });
  return {
    root,
    issuing,
    rootIssuer,
    issuer,
    issuingKey,
    async issueUser(urls, subject = PERSON) {
      const certificate = await issueCertificate({
        subject,
        publicKeyInfo: userKey.publicKeyInfo,
        issuer,
        notBefore: new Date(NOW - DAY),
        notAfter: new Date(NOW + YEAR),
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
        revocationUrls: urls,
      });
      return {
        privateKeyInfo: userKey.privateKeyInfo,
        certificate,
        keyAlgorithmOid: '1.2.840.113549.1.1.1',
      };
    },
    async issueResponder(by = issuer) {
      const key = await generateRsaKey(2048);
      const cert = await issueCertificate({
        subject: caName('REVOCATION OCSP TEST'),
        publicKeyInfo: key.publicKeyInfo,
        issuer: by,
        notBefore: new Date(NOW - DAY),
        notAfter: new Date(NOW + YEAR),
        keyUsage: ['digitalSignature'],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.9'],
      });
      return { cert, key };
    },
  };
}

/** A login CMS over `text` made with `key`. */
export async function signText(key: KeyEntry, text: string) {
  return signCms(new TextEncoder().encode(text), key);
}

interface ResponderKeys {
  /** The CA the responder answers for. */
  ca: { cert: Uint8Array; key: RsaKeyPair };
  delegated: { cert: Uint8Array; key: RsaKeyPair };
  rogue: { cert: Uint8Array; key: RsaKeyPair };
}

export async function startRevocationServer(): Promise<{
  server: RevocationServer;
  /** Tells the responder which CA it speaks for, once the CA exists. */
  answerFor(keys: ResponderKeys): void;
}> {
  let keys: ResponderKeys | null = null;
  const state = {
    crls: new Map<string, Uint8Array>(),
    ocspStatus: new Map<string, 'good' | 'revoked' | 'unknown'>(),
    hits: new Map<string, number>(),
    slowMs: 1500,
  };
  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      void (async () => {
        const url = request.url ?? '';
        state.hits.set(url, (state.hits.get(url) ?? 0) + 1);
        const crl = /^\/(slow\/|garbage\/)?crl\/([\w-]+)$/.exec(url);
        if (request.method === 'GET' && crl) {
          if (crl[1] === 'slow/') await sleep(state.slowMs);
          const body =
            crl[1] === 'garbage/'
              ? Buffer.from('<html>Service unavailable</html>')
              : state.crls.get(crl[2]!);
          if (!body) return send(response, 404, 'text/plain', 'no such CRL');
          return send(response, 200, 'application/pkix-crl', body);
        }
        const ocsp = /^\/ocsp\/([\w-]+)$/.exec(url);
        if (request.method === 'POST' && ocsp && keys) {
          const behaviour = ocsp[1] as OcspBehaviour;
          if (behaviour === 'slow') await sleep(state.slowMs);
          const body = await ocspAnswer(
            Buffer.concat(chunks),
            behaviour,
            keys,
            state.ocspStatus,
          );
          return send(response, 200, 'application/ocsp-response', body);
        }
        send(response, 404, 'text/plain', 'not found');
      })().catch((error: unknown) => {
        send(response, 500, 'text/plain', String(error));
      });
    });
  });
  // Slow answers must not keep the test process alive after close().
  const sockets = new Set<import('node:net').Socket>();
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const port = (http.address() as AddressInfo).port;

  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const downPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((done) => closed.close(() => done()));

  return {
    server: {
      base: `http://127.0.0.1:${port}`,
      down: `http://127.0.0.1:${downPort}`,
      crls: state.crls,
      ocspStatus: state.ocspStatus,
      hits: state.hits,
      get slowMs() {
        return state.slowMs;
      },
      set slowMs(ms: number) {
        state.slowMs = ms;
      },
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((done) => http.close(() => done()));
      },
    },
    answerFor(value) {
      keys = value;
    },
  };
}

function send(
  response: import('node:http').ServerResponse,
  status: number,
  type: string,
  body: Uint8Array | string,
): void {
  if (response.writableEnded || response.destroyed) return;
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function ocspAnswer(
  body: Uint8Array,
  behaviour: OcspBehaviour,
  keys: ResponderKeys,
  statuses: Map<string, 'good' | 'revoked' | 'unknown'>,
): Promise<Uint8Array> {
  if (behaviour === 'garbage') return new TextEncoder().encode('not ocsp');
  if (behaviour === 'try-later') {
    const response = new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: 3 }),
    });
    return new Uint8Array(response.toSchema().toBER());
  }
  const request = new pkijs.OCSPRequest({
    schema: asn1js.fromBER(body).result,
  });
  const one = request.tbsRequest.requestList[0]!.reqCert;
  const nonce = request.tbsRequest.requestExtensions?.find(
    (e) => e.extnID === '1.3.6.1.5.5.7.48.1.2',
  );
  const serial = Buffer.from(one.serialNumber.valueBlock.valueHexView)
    .toString('hex');
  const status = statuses.get(serial) ?? 'good';
  const certStatus =
    status === 'good'
      ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } })
      : status === 'revoked'
        ? new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 1 },
            value: [new asn1js.GeneralizedTime({ valueDate: new Date(NOW) })],
          })
        : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  const signer =
    behaviour === 'delegated'
      ? keys.delegated
      : behaviour === 'rogue'
        ? keys.rogue
        : keys.ca;
  const signerCert = parseCertificate(signer.cert);
  const now = Date.now();
  const data = new pkijs.ResponseData({
    responderID: signerCert.subject,
    producedAt: new Date(Math.floor(now / 1000) * 1000),
    responses: [
      new pkijs.SingleResponse({
        certID: one,
        certStatus,
        thisUpdate: new Date(
          Math.floor((behaviour === 'stale' ? now - 3600_000 : now) / 1000) *
            1000,
        ),
      }),
    ],
  });
  if (nonce && behaviour !== 'no-nonce') {
    const value =
      behaviour === 'wrong-nonce'
        ? new asn1js.OctetString({
            valueHex: globalThis.crypto.getRandomValues(new Uint8Array(32))
              .buffer,
          }).toBER()
        : nonce.extnValue.valueBlock.valueHexView.slice().buffer;
    data.responseExtensions = [
      new pkijs.Extension({ extnID: nonce.extnID, extnValue: value }),
    ];
  }
  const tbs = new Uint8Array(data.toSchema(true).toBER());
  data.tbsView = tbs;
  const { algorithm, signature } = await signWith(
    signer.key.privateKey,
    tbs,
  );
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: algorithm,
    signature: new asn1js.BitString({ valueHex: signature }),
    ...(signer === keys.ca ? {} : { certs: [signerCert] }),
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: '1.3.6.1.5.5.7.48.1.1',
      response: new asn1js.OctetString({
        valueHex: basic.toSchema().toBER(),
      }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}
