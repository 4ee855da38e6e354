/**
 * Bad login signatures, each made from a good CMS over the right challenge
 * and each with the stable code a backend must answer. The server tests
 * send them to the reference backend; the conformance suite sends the
 * ones that need no trusted key to any backend.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import { ALG } from '../../src/crypto/oids.js';
import { toBase64, toPem } from '../../src/crypto/pem.js';

/** Re-encodes a CMS after a change made through pkijs. */
export function editCms(
  der: Uint8Array,
  edit: (signed: pkijs.SignedData) => void,
): Uint8Array {
  const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der).result });
  const signed = new pkijs.SignedData({ schema: info.content });
  edit(signed);
  info.content = signed.toSchema(true);
  return new Uint8Array(info.toSchema().toBER());
}

/** The CMS with its signed attributes in BER's indefinite-length form. */
export function berSignedAttributes(der: Uint8Array): Uint8Array {
  const root = asn1js.fromBER(der).result as asn1js.Sequence;
  const explicit = root.valueBlock.value[1] as asn1js.Constructed;
  const signedData = explicit.valueBlock.value[0] as asn1js.Sequence;
  const fields = signedData.valueBlock.value;
  const signerInfos = fields[fields.length - 1] as asn1js.Set;
  const signer = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const attrs = signer.valueBlock.value.find(
    (f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0,
  )!;
  attrs.lenBlock.isIndefiniteForm = true;
  (attrs.valueBlock as { isIndefiniteForm?: boolean }).isIndefiniteForm = true;
  return new Uint8Array(root.toBER(false));
}

function algorithm(oid: string): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: oid,
    algorithmParams: new asn1js.Null(),
  });
}

export interface SignatureCase {
  name: string;
  /** The signature field to send, made from a good CMS (DER). */
  make(good: Uint8Array, other: { certificate: Uint8Array }): string;
  /** The code the backend must answer, or "OK" for a login. */
  expect: ApiErrorCode | 'OK';
}

const b64 = toBase64;

export const SIGNATURE_CASES: readonly SignatureCase[] = [
  {
    name: 'not base64',
    make: () => 'this is not base64 at all!',
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'base64url instead of base64',
    make: (good) => Buffer.from(good).toString('base64url'),
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'base64 with line breaks (as NCALayer wraps it): accepted',
    make: (good) => b64(good).replace(/(.{64})/g, '$1\r\n'),
    expect: 'OK',
  },
  {
    name: 'PEM armour (NCALayer basics module): accepted',
    make: (good) => toPem('CMS', good),
    expect: 'OK',
  },
  {
    name: 'PEM armour around a certificate',
    make: (_good, other) => toPem('CERTIFICATE', other.certificate),
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'truncated DER',
    make: (good) => b64(good.subarray(0, good.length - 20)),
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'trailing garbage',
    make: (good) => b64(Uint8Array.of(...good, 0x05, 0x00)),
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'BER signed attributes where DER is required',
    make: (good) => b64(berSignedAttributes(good)),
    expect: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'detached CMS without content',
    make: (good) =>
      b64(
        editCms(good, (s) => {
          delete s.encapContentInfo.eContent;
        }),
      ),
    expect: 'CONTENT_MISMATCH',
  },
  {
    name: 'two signers',
    make: (good) =>
      b64(
        editCms(good, (s) => {
          s.signerInfos = [s.signerInfos[0]!, s.signerInfos[0]!];
        }),
      ),
    expect: 'SIGNER_COUNT',
  },
  {
    name: 'no certificate',
    make: (good) =>
      b64(
        editCms(good, (s) => {
          delete s.certificates;
        }),
      ),
    expect: 'CERT_MISSING',
  },
  {
    name: "a certificate that is not the signer's",
    make: (good, other) =>
      b64(
        editCms(good, (s) => {
          s.certificates = [
            new pkijs.Certificate({
              schema: asn1js.fromBER(other.certificate).result,
            }),
          ];
        }),
      ),
    expect: 'CERT_MISSING',
  },
  {
    name: 'an unknown digest algorithm OID',
    make: (good) =>
      b64(
        editCms(good, (s) => {
          s.digestAlgorithms = [algorithm('1.2.3.4.5.6')];
          s.signerInfos[0]!.digestAlgorithm = algorithm('1.2.3.4.5.6');
        }),
      ),
    expect: 'ALGORITHM_UNSUPPORTED',
  },
  {
    name: 'a GOST 34.310-2004 signature',
    make: (good) =>
      b64(
        editCms(good, (s) => {
          s.digestAlgorithms = [algorithm(ALG.gost2004Digest)];
          s.signerInfos[0]!.digestAlgorithm = algorithm(ALG.gost2004Digest);
          s.signerInfos[0]!.signatureAlgorithm = algorithm(
            ALG.gost2004Signature,
          );
        }),
      ),
    expect: 'ALGORITHM_UNSUPPORTED',
  },
];
