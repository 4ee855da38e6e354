/**
 * OCSP (RFC 6960): one request with a fresh nonce to the certificate's
 * responder, and an answer used only when it is a signed basic response
 * from the issuing CA itself or from a responder the CA delegated
 * (id-kp-OCSPSigning), echoes the nonce, speaks for exactly this
 * certificate and is fresh. Anything short of that is "unknown", never
 * "good".
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { extendedKeyUsageOf } from '../certificate-info.js';
import { ALG } from '../oids.js';
import { bufferSource, equalBytes } from '../pem.js';
import { download, OCSP, ocspUrls, REVOCATION_EXT } from './sources.js';
import type {
  FetchFunction,
  RevocationAnswer,
  SignatureCheck,
} from './types.js';

const NONCE_BYTES = 32;
/** An OCSP answer is small; anything larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface OcspContext {
  cert: pkijs.Certificate;
  issuer: pkijs.Certificate;
  time: Date;
  verify: SignatureCheck;
  skewMs: number;
  maxAgeMs: number;
}

export interface OcspSourceOptions {
  fetch: FetchFunction;
  timeoutMs: number;
  /** Overrides the certificate's AIA responder. */
  url?: string;
}

async function sha1(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-1', bufferSource(bytes)),
  );
}

/**
 * The CertID of `cert`: SHA-1 of the issuer's name as the certificate
 * carries it and of the issuer's public key bits (RFC 6960 4.1.1). SHA-1
 * here only names the certificate; every responder understands it.
 */
export async function certIdOf(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<pkijs.CertID> {
  const name = new Uint8Array(cert.issuer.toSchema().toBER());
  const key = issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock;
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: ALG.sha1,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({
      valueHex: bufferSource(await sha1(name)).buffer,
    }),
    issuerKeyHash: new asn1js.OctetString({
      valueHex: bufferSource(await sha1(key.valueHexView)).buffer,
    }),
    // A copy: the view's buffer is the whole certificate's.
    serialNumber: new asn1js.Integer({
      valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer,
    }),
  });
}

/** An OCSPRequest for one certificate with the nonce extension. */
export function buildRequest(
  certId: pkijs.CertID,
  nonce: Uint8Array,
): Uint8Array {
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];
  request.tbsRequest.requestExtensions = [
    new pkijs.Extension({
      extnID: REVOCATION_EXT.ocspNonce,
      extnValue: new asn1js.OctetString({
        valueHex: bufferSource(nonce).buffer,
      }).toBER(),
    }),
  ];
  return new Uint8Array(request.toSchema(true).toBER());
}

export class OcspSource {
  constructor(private readonly options: OcspSourceOptions) {}

  async check(ctx: OcspContext): Promise<RevocationAnswer> {
    const url = this.options.url ?? ocspUrls(ctx.cert)[0];
    if (!url) return unknown('the certificate names no OCSP responder');
    try {
      const certId = await certIdOf(ctx.cert, ctx.issuer);
      const nonce = globalThis.crypto.getRandomValues(
        new Uint8Array(NONCE_BYTES),
      );
      const body = await download(this.options.fetch, {
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/ocsp-request',
          accept: 'application/ocsp-response',
        },
        body: buildRequest(certId, nonce),
        timeoutMs: this.options.timeoutMs,
        maxBytes: MAX_RESPONSE_BYTES,
      });
      return await judgeResponse(body, certId, nonce, ctx);
    } catch (error) {
      return unknown(error instanceof Error ? error.message : String(error));
    }
  }
}

function unknown(detail: string): RevocationAnswer {
  return { status: 'unknown', detail: `OCSP: ${detail}`, source: 'ocsp' };
}

class Refused extends Error {}

/** The basic response inside an OCSPResponse, or Refused. */
function basicResponse(bytes: Uint8Array): pkijs.BasicOCSPResponse {
  const asn = asn1js.fromBER(bytes);
  if (asn.offset !== bytes.length) throw new Refused('not an OCSP response');
  let response: pkijs.OCSPResponse;
  try {
    response = new pkijs.OCSPResponse({ schema: asn.result });
  } catch {
    throw new Refused('not an OCSP response');
  }
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) {
    throw new Refused(`the responder answered status ${status}`);
  }
  const inner = response.responseBytes;
  if (!inner || inner.responseType !== OCSP.basicResponse) {
    throw new Refused('not a basic OCSP response');
  }
  const der = inner.response.valueBlock.valueHexView;
  const parsed = asn1js.fromBER(der);
  if (parsed.offset !== der.length) throw new Refused('malformed response');
  try {
    return new pkijs.BasicOCSPResponse({ schema: parsed.result });
  } catch {
    throw new Refused('malformed basic response');
  }
}

/** Does the responder ID name this certificate? */
async function isResponder(
  id: unknown,
  cert: pkijs.Certificate,
): Promise<boolean> {
  if (id instanceof pkijs.RelativeDistinguishedNames) {
    return id.isEqual(cert.subject);
  }
  if (id instanceof asn1js.OctetString) {
    const key = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock;
    return equalBytes(
      id.valueBlock.valueHexView,
      await sha1(key.valueHexView),
    );
  }
  return false;
}

/**
 * The certificate whose key signed the response: the issuer itself, or a
 * certificate in the response that the issuer signed for OCSP signing
 * and that is valid now.
 */
async function responderOf(
  basic: pkijs.BasicOCSPResponse,
  ctx: OcspContext,
): Promise<pkijs.Certificate> {
  const id = basic.tbsResponseData.responderID;
  if (await isResponder(id, ctx.issuer)) return ctx.issuer;
  for (const cert of basic.certs ?? []) {
    if (!(await isResponder(id, cert))) continue;
    const t = ctx.time.getTime();
    const valid =
      cert.notBefore.value.getTime() <= t + ctx.skewMs &&
      t <= cert.notAfter.value.getTime() + ctx.skewMs;
    const delegated =
      cert.issuer.isEqual(ctx.issuer.subject) &&
      extendedKeyUsageOf(cert).includes(OCSP.signingEku) &&
      valid &&
      (await ctx
        .verify(
          cert.signatureAlgorithm.algorithmId,
          ctx.issuer,
          cert.signatureValue.valueBlock.valueHexView,
          cert.tbsView,
        )
        .catch(() => false));
    if (delegated) return cert;
    throw new Refused('the responder is not authorised by the issuing CA');
  }
  throw new Refused('the response is not signed by the CA or its responder');
}

function nonceMatches(
  basic: pkijs.BasicOCSPResponse,
  nonce: Uint8Array,
): boolean {
  const ext = basic.tbsResponseData.responseExtensions?.find(
    (e) => e.extnID === REVOCATION_EXT.ocspNonce,
  );
  if (!ext) return false;
  const value = ext.extnValue.valueBlock.valueHexView;
  // RFC 8954 wraps the nonce in an OCTET STRING; some responders echo
  // the bare bytes.
  const asn = asn1js.fromBER(value);
  const wrapped =
    asn.offset === value.length && asn.result instanceof asn1js.OctetString
      ? asn.result.valueBlock.valueHexView
      : null;
  return (
    (wrapped !== null && equalBytes(wrapped, nonce)) ||
    equalBytes(value, nonce)
  );
}

function sameCertId(a: pkijs.CertID, b: pkijs.CertID): boolean {
  return (
    a.hashAlgorithm.algorithmId === b.hashAlgorithm.algorithmId &&
    equalBytes(
      a.issuerNameHash.valueBlock.valueHexView,
      b.issuerNameHash.valueBlock.valueHexView,
    ) &&
    equalBytes(
      a.issuerKeyHash.valueBlock.valueHexView,
      b.issuerKeyHash.valueBlock.valueHexView,
    ) &&
    equalBytes(
      a.serialNumber.valueBlock.valueHexView,
      b.serialNumber.valueBlock.valueHexView,
    )
  );
}

async function judgeResponse(
  bytes: Uint8Array,
  certId: pkijs.CertID,
  nonce: Uint8Array,
  ctx: OcspContext,
): Promise<RevocationAnswer> {
  try {
    const basic = basicResponse(bytes);
    const signer = await responderOf(basic, ctx);
    const signed = await ctx
      .verify(
        basic.signatureAlgorithm.algorithmId,
        signer,
        basic.signature.valueBlock.valueHexView,
        basic.tbsResponseData.tbsView,
      )
      .catch(() => false);
    if (!signed || basic.signature.valueBlock.unusedBits !== 0) {
      throw new Refused('the response signature does not verify');
    }
    if (!nonceMatches(basic, nonce)) {
      throw new Refused('the response does not carry our nonce');
    }
    const single = basic.tbsResponseData.responses.filter((r) =>
      sameCertId(r.certID, certId),
    );
    if (single.length !== 1) {
      throw new Refused('the response is not about this certificate');
    }
    const answer = single[0]!;
    const now = ctx.time.getTime();
    if (answer.thisUpdate.getTime() > now + ctx.skewMs) {
      throw new Refused('the response is from the future');
    }
    const expiry = answer.nextUpdate
      ? answer.nextUpdate.getTime() + ctx.skewMs
      : answer.thisUpdate.getTime() + ctx.maxAgeMs;
    if (expiry < now) throw new Refused('the response is stale');
    const tag = (answer.certStatus as asn1js.BaseBlock).idBlock;
    if (tag.tagClass === 3 && tag.tagNumber === 0) {
      return { status: 'good', detail: 'OCSP: good', source: 'ocsp' };
    }
    if (tag.tagClass === 3 && tag.tagNumber === 1) {
      return { status: 'revoked', detail: 'OCSP: revoked', source: 'ocsp' };
    }
    throw new Refused('the responder does not know the certificate');
  } catch (error) {
    if (error instanceof Refused) return unknown(error.message);
    return unknown('malformed response');
  }
}
