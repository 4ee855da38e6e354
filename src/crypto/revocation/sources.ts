/**
 * Where revocation data lives and how it is fetched: the URLs a
 * certificate (or CRL) names in its CRL distribution points, freshest CRL
 * and authority information access extensions, and a download with a
 * time limit and a size limit, so that a slow or hostile server can make
 * a check fail but never hang or exhaust the verifier.
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { children, oidOf } from '../certificate-info.js';
import type { FetchFunction } from './types.js';

export const REVOCATION_EXT = {
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  authorityKeyIdentifier: '2.5.29.35',
  crlReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
} as const;

export const OCSP = {
  accessMethod: '1.3.6.1.5.5.7.48.1',
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  signingEku: '1.3.6.1.5.5.7.3.9',
} as const;

type WithExtensions = { extensions?: pkijs.Extension[] };

function extensionTree(
  owner: WithExtensions,
  oid: string,
): asn1js.AsnType | undefined {
  const ext = owner.extensions?.find((e) => e.extnID === oid);
  if (!ext) return undefined;
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  return asn.offset === -1 ? undefined : asn.result;
}

function isContext(value: asn1js.AsnType | undefined, tag: number): boolean {
  const id = (value as asn1js.BaseBlock | undefined)?.idBlock;
  return id?.tagClass === 3 && id.tagNumber === tag;
}

/** uniformResourceIdentifier [6] IA5String, as text. */
function uriOf(generalName: asn1js.AsnType): string | undefined {
  if (!isContext(generalName, 6)) return undefined;
  const view = (generalName as asn1js.Primitive).valueBlock.valueHexView;
  return String.fromCharCode(...view);
}

/** Only plain HTTP(S) URLs are fetched (no LDAP, no file:). */
function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/**
 * The full-name URIs of a CRLDistributionPoints-shaped extension
 * (CRL distribution points and freshest CRL share the syntax). Points
 * limited to some reasons or naming another CRL issuer are skipped: a
 * verifier that reads them would need indirect CRLs.
 */
export function distributionPointUrls(
  owner: WithExtensions,
  oid: string,
): string[] {
  const urls: string[] = [];
  for (const point of children(extensionTree(owner, oid))) {
    const fields = children(point);
    if (fields.some((f) => isContext(f, 1) || isContext(f, 2))) continue;
    const name = fields.find((f) => isContext(f, 0));
    // distributionPoint [0] { fullName [0] GeneralNames }.
    const fullName = children(name).find((f) => isContext(f, 0));
    for (const general of children(fullName)) {
      const uri = uriOf(general);
      if (uri && isHttpUrl(uri)) urls.push(uri);
    }
  }
  return urls;
}

/** The OCSP responder URLs of the authority information access. */
export function ocspUrls(cert: pkijs.Certificate): string[] {
  const urls: string[] = [];
  for (const access of children(
    extensionTree(cert, REVOCATION_EXT.authorityInfoAccess),
  )) {
    const [method, location] = children(access);
    if (oidOf(method) !== OCSP.accessMethod || !location) continue;
    const uri = uriOf(location);
    if (uri && isHttpUrl(uri)) urls.push(uri);
  }
  return urls;
}

export class FetchFailed extends Error {
  override name = 'FetchFailed';
}

export interface Download {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Fetches a URL and returns the body, or throws FetchFailed with the
 * reason: a status other than 200, a body over the limit, a timeout
 * (the time limit covers the body too), or a network failure.
 */
export async function download(
  fetchFn: FetchFunction,
  request: Download,
): Promise<Uint8Array> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetchFn(request.url, {
      method: request.method ?? 'GET',
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body ? { body: request.body.slice() } : {}),
      signal: controller.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchFailed(`${request.url} answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > request.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchFailed(`${request.url}: the answer is too large`);
    }
    return await readLimited(response, request);
  } catch (error) {
    if (error instanceof FetchFailed) throw error;
    const why = controller.signal.aborted
      ? `no answer within ${request.timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new FetchFailed(`${request.url}: ${why}`);
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(
  response: Response,
  request: Download,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > request.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchFailed(`${request.url}: the answer is too large`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
