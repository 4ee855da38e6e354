/**
 * A simulated phone with the eGov mobile app (domain.md §2): given what a
 * QR code holds (`mobileSign:<API-1 URL>`), it reads API-1, fetches the
 * document from API-2 with the auth token, signs the document's bytes with
 * a key and PUTs the same JSON back with the CMS in place of the data.
 * Each step can be spoiled, for the tests of what the server refuses.
 */
import type {
  EgovApi1Response,
  EgovApi2Response,
} from '../../src/api/egov-protocol.js';
import { fromBase64, toBase64 } from '../../src/crypto/pem.js';

export interface PhoneOptions {
  /** Signs the document's bytes; resolves to CMS SignedData (DER). */
  sign(content: Uint8Array): Promise<Uint8Array>;
  /** Maps the URLs the server gives to where the test can reach it. */
  reach?: (url: string) => string;
  /** Sends this token instead of API-1's. */
  token?: string;
  /** Changes the document before signing it. */
  tamper?: (content: Uint8Array) => Uint8Array;
}

export interface PhoneResult {
  api1: EgovApi1Response;
  /** The PUT's status: 200, or 403 with `code`. */
  status: number;
  code?: string;
}

export class PhoneError extends Error {
  constructor(
    readonly step: 'API-1' | 'API-2',
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`${step}: HTTP ${status} ${code ?? ''}`);
  }
}

export async function phoneSigns(
  qr: string,
  options: PhoneOptions,
): Promise<PhoneResult> {
  const reach = options.reach ?? ((url: string) => url);
  if (!qr.startsWith('mobileSign:')) throw new Error(`not an eGov QR: ${qr}`);
  const first = await fetch(reach(qr.slice('mobileSign:'.length)));
  if (first.status !== 200) {
    throw new PhoneError('API-1', first.status, await codeOf(first));
  }
  const api1 = (await first.json()) as EgovApi1Response;
  const auth = {
    Authorization: `Bearer ${options.token ?? api1.document.auth_token}`,
  };
  const second = await fetch(reach(api1.document.uri), { headers: auth });
  if (second.status !== 200) {
    throw new PhoneError('API-2', second.status, await codeOf(second));
  }
  const api2 = (await second.json()) as EgovApi2Response;
  for (const doc of api2.documentsToSign) {
    let content = fromBase64(doc.document.file.data)!;
    if (options.tamper) content = options.tamper(content);
    doc.document.file.data = toBase64(await options.sign(content));
  }
  const put = await fetch(reach(api1.document.uri), {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(api2),
  });
  return {
    api1,
    status: put.status,
    code: put.status === 200 ? undefined : await codeOf(put),
  };
}

async function codeOf(response: Response): Promise<string | undefined> {
  try {
    return ((await response.json()) as { code?: string }).code;
  } catch {
    return undefined;
  }
}
