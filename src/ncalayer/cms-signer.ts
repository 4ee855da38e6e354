/**
 * Who signed a CMS, for the "Signed by" step when the signature came from
 * outside the page (NCALayer). Loaded on demand, like the key-file code,
 * because it needs pkijs.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeParsed } from '../crypto/certificate-info.js';
import { fromBase64 } from '../crypto/pem.js';
import type { CertificateInfo } from '../crypto/types.js';

/**
 * The certificate of the first signer of a base64 CMS SignedData, or null
 * when it carries none. The backend verifies; this only names the signer.
 */
export function signerOfCms(base64: string): CertificateInfo | null {
  try {
    const der = fromBase64(base64);
    if (!der) return null;
    const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
    const signed = new pkijs.SignedData({ schema: info.content });
    const cert = signed.certificates?.find(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    );
    return cert ? describeParsed(cert) : null;
  } catch {
    return null;
  }
}
