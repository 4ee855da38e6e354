/**
 * Who signed a CMS, for the "Signed by" step when the signature came from
 * outside the page (NCALayer). Loaded on demand, like the key-file code;
 * it reads with asn1js alone, never pkijs (issue #7).
 */
import { describeCertificate } from '../crypto/certificate-info.js';
import { cmsCertificates } from '../crypto/cms-certificates.js';
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
    const [cert] = cmsCertificates(der);
    return cert ? describeCertificate(cert) : null;
  } catch {
    return null;
  }
}
