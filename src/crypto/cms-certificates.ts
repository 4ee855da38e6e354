/**
 * The certificates a CMS SignedData carries, read with asn1js alone so
 * that the page can name a signer (NCALayer's signature, before the
 * backend verifies it) without loading pkijs. Trust is the verifier's
 * business (cms-verify.ts); this only reads.
 */
import { CMS } from './oids.js';
import {
  explicit,
  isContextTag,
  oid,
  parseBer,
  sequence,
  type Node,
} from './pkcs12-asn1.js';

const SEQUENCE_TAG = 16;

/**
 * The DER of each X.509 certificate in a ContentInfo holding SignedData,
 * in the order they are written. Throws when the bytes are not
 * SignedData.
 *
 * ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT content }
 * SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
 *   certificates [0] IMPLICIT SET OF CertificateChoices OPTIONAL, … }
 */
export function cmsCertificates(der: Uint8Array): Uint8Array[] {
  const [type, content] = sequence(parseBer(der, 'A CMS'), 'ContentInfo');
  if (oid(type, 'ContentInfo type') !== CMS.signedData) {
    throw new Error('The CMS does not hold SignedData.');
  }
  const fields = sequence(explicit(content, 0, 'SignedData'), 'SignedData');
  const certificates = fields.find((node) => isContextTag(node, 0));
  const choices = (certificates?.valueBlock as { value?: Node[] })?.value;
  // Other choices (attribute certificates, [0]…[3]) are not X.509.
  return (choices ?? [])
    .filter(
      (node) =>
        node.idBlock.tagClass === 1 && node.idBlock.tagNumber === SEQUENCE_TAG,
    )
    .map((node) => new Uint8Array(node.valueBeforeDecodeView));
}
