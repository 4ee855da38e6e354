/**
 * The demo CAs' OCSP responder (RFC 6960), so that demo mode answers the
 * way NCA's CAs do: each issuing CA signs its own answers (no delegated
 * responder), echoes the client's nonce, says "good" or "revoked" for the
 * certificates it issued and "unknown" for any other serial.
 *
 * It answers every request with an OCSPResponse, never a thrown error:
 * bytes that are not an OCSP request get malformedRequest.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ALG } from '../../src/crypto/oids.js';
import { bufferSource, equalBytes, toHex } from '../../src/crypto/pem.js';
import { type Issuer, signWith } from './certificates.js';

/** One issuing CA as its responder sees it. */
export interface OcspIssuer {
  certificate: Uint8Array;
  issuer: Issuer;
  /** Serial (hex of the INTEGER bytes) of each certificate it issued. */
  issued: ReadonlySet<string>;
  /** Serial -> when it was revoked. */
  revoked: ReadonlyMap<string, Date>;
}

const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const STATUS_MALFORMED = 1;
/** How long an answer may be cached by a client. */
const ANSWER_LIFETIME_MS = 5 * 60 * 1000;

const HASHES: Readonly<Record<string, string>> = {
  [ALG.sha1]: 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
};

/** The DER of an OCSPResponse answering `body`, at `now`. */
export async function answerOcsp(
  body: Uint8Array,
  issuers: readonly OcspIssuer[],
  now: Date = new Date(),
): Promise<Uint8Array> {
  let request: pkijs.OCSPRequest;
  try {
    const asn = asn1js.fromBER(bufferSource(body));
    if (asn.offset !== body.length) return failure(STATUS_MALFORMED);
    request = new pkijs.OCSPRequest({ schema: asn.result });
  } catch {
    return failure(STATUS_MALFORMED);
  }
  const asked = request.tbsRequest.requestList.map((r) => r.reqCert);
  // One CA signs the whole answer: the first one a request names. The
  // verifier asks about one certificate at a time.
  const found = asked.map((certId) => ({
    certId,
    ca: issuerOf(certId, issuers),
  }));
  const signer = found.find((f) => f.ca)?.ca ?? issuers[0];
  if (asked.length === 0 || !signer) return failure(STATUS_MALFORMED);

  const at = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const signerCert = pkijs.Certificate.fromBER(
    bufferSource(signer.certificate),
  );
  const data = new pkijs.ResponseData({
    responderID: signerCert.subject,
    producedAt: at,
    responses: found.map(
      ({ certId, ca }) =>
        new pkijs.SingleResponse({
          certID: certId,
          certStatus: statusOf(certId, ca === signer ? ca : undefined),
          thisUpdate: at,
          nextUpdate: new Date(at.getTime() + ANSWER_LIFETIME_MS),
        }),
    ),
  });
  const nonce = request.tbsRequest.requestExtensions?.find(
    (e) => e.extnID === OCSP_NONCE,
  );
  if (nonce) {
    data.responseExtensions = [
      new pkijs.Extension({
        extnID: OCSP_NONCE,
        extnValue: nonce.extnValue.valueBlock.valueHexView.slice().buffer,
      }),
    ];
  }
  const tbs = new Uint8Array(data.toSchema(true).toBER());
  data.tbsView = tbs;
  const { algorithm, signature } = await signWith(
    signer.issuer.privateKey,
    tbs,
  );
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: algorithm,
    signature: new asn1js.BitString({ valueHex: signature }),
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OCSP_BASIC,
      response: new asn1js.OctetString({
        valueHex: basic.toSchema().toBER(),
      }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

function failure(status: number): Uint8Array {
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: status }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/** The CA a CertID names by the hashes of its name and key, if ours. */
function issuerOf(
  certId: pkijs.CertID,
  issuers: readonly OcspIssuer[],
): OcspIssuer | undefined {
  const hash = HASHES[certId.hashAlgorithm.algorithmId];
  if (!hash) return undefined;
  const digest = (bytes: Uint8Array) =>
    new Uint8Array(createHash(hash).update(bytes).digest());
  return issuers.find((ca) => {
    const cert = pkijs.Certificate.fromBER(bufferSource(ca.certificate));
    const name = new Uint8Array(cert.subject.toSchema().toBER());
    const key = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock;
    return (
      equalBytes(
        certId.issuerNameHash.valueBlock.valueHexView,
        digest(name),
      ) &&
      equalBytes(
        certId.issuerKeyHash.valueBlock.valueHexView,
        digest(key.valueHexView),
      )
    );
  });
}

/** good [0], revoked [1] with its time, or unknown [2]. */
function statusOf(certId: pkijs.CertID, ca: OcspIssuer | undefined) {
  const serial = toHex(certId.serialNumber.valueBlock.valueHexView);
  const revokedAt = ca?.revoked.get(serial);
  if (revokedAt) {
    return new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 1 },
      value: [new asn1js.GeneralizedTime({ valueDate: revokedAt })],
    });
  }
  const known = ca?.issued.has(serial) ?? false;
  return new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber: known ? 0 : 2 },
  });
}
