/**
 * Writes a PKCS#12 key file the way NCA's tools do, so that the demo portal
 * can hand out key files that behave like real ones everywhere (NCALayer,
 * Kalkan, OpenSSL with -legacy, this library's reader):
 *
 *  - the private key in a shrouded key bag, pbeWithSHAAnd3-KeyTripleDES-CBC;
 *  - the certificates in EncryptedData, pbeWithSHAAnd40BitRC2-CBC;
 *  - an HMAC-SHA1 MAC keyed by the PKCS#12 KDF;
 *  - 1024 iterations and fresh 20-byte salts for all three;
 *  - localKeyID = the certificate's subject key identifier, friendlyName =
 *    the same in lowercase hex, on both the key bag and the certificate bag.
 *
 * The output is DER; NCA writes BER with indefinite lengths inside, which
 * every reader must accept anyway, so nothing is gained by copying that.
 * The ciphers are those of 2000-era PKCS#12, kept for compatibility only.
 */
import * as asn1js from 'asn1js';
import { bmpPassword, ownBytes, toHex } from './bytes.js';
import {
  certificateFacts,
  privateKeyFacts,
  sameKeyPair,
} from './pkcs12-cert.js';
import { pkcs12Kdf } from './pkcs12-kdf.js';
import { OID, pkcs12PbeEncrypt } from './pkcs12-pbe.js';

export interface WriteNcaKeyFileOptions {
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKeyInfo: Uint8Array;
  /** The key's certificate, DER. */
  certificate: Uint8Array;
  password: string;
  /** Issuer certificates to include after the key's own, DER. */
  caCertificates?: Uint8Array[];
  /** Defaults to the localKeyID in lowercase hex, as NCA does. */
  friendlyName?: string;
  /** KDF iterations for all three uses; NCA uses 1024 (the default). */
  iterations?: number;
}

const DATA = '1.2.840.113549.1.7.1';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const BAG_SHROUDED_KEY = '1.2.840.113549.1.12.10.1.2';
const BAG_CERT = '1.2.840.113549.1.12.10.1.3';
const CERT_X509 = '1.2.840.113549.1.9.22.1';
const ATTR_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const ATTR_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const SHA1 = '1.3.14.3.2.26';

const SALT_LENGTH = 20;

/**
 * Builds the key file.
 *
 * @throws TypeError when the key or certificate cannot be read, or when
 *   the key does not belong to the certificate.
 */
export async function writeNcaKeyFile(
  options: WriteNcaKeyFileOptions,
): Promise<Uint8Array> {
  const iterations = options.iterations ?? 1024;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`Bad iteration count: ${iterations}`);
  }
  const localKeyId = await checkPairAndKeyId(options);
  const password = bmpPassword(options.password);
  const attributes = bagAttributes(
    localKeyId,
    options.friendlyName ?? toHex(localKeyId),
  );

  const keySalt = randomSalt();
  const encryptedKey = await pkcs12PbeEncrypt(
    OID.pbeSha1TripleDes3Key,
    password,
    keySalt,
    iterations,
    options.privateKeyInfo,
  );
  const keyBag = safeBag(
    BAG_SHROUDED_KEY,
    new asn1js.Sequence({
      value: [
        pbeAlgorithm(OID.pbeSha1TripleDes3Key, keySalt, iterations),
        new asn1js.OctetString({ valueHex: ownBytes(encryptedKey) }),
      ],
    }),
    attributes,
  );

  const certBags = [
    certBag(options.certificate, attributes),
    ...(options.caCertificates ?? []).map((ca) => certBag(ca)),
  ];
  const certSafe = der(new asn1js.Sequence({ value: certBags }));
  const certSalt = randomSalt();
  const encryptedCerts = await pkcs12PbeEncrypt(
    OID.pbeSha1Rc2_40,
    password,
    certSalt,
    iterations,
    certSafe,
  );

  const authSafe = der(
    new asn1js.Sequence({
      value: [
        dataContentInfo(der(new asn1js.Sequence({ value: [keyBag] }))),
        encryptedContentInfo(certSalt, iterations, encryptedCerts),
      ],
    }),
  );

  const macSalt = randomSalt();
  const mac = await hmacSha1(password, macSalt, iterations, authSafe);
  const pfx = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 3 }),
      dataContentInfo(authSafe),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: SHA1 }),
                  new asn1js.Null(),
                ],
              }),
              new asn1js.OctetString({ valueHex: ownBytes(mac) }),
            ],
          }),
          new asn1js.OctetString({ valueHex: ownBytes(macSalt) }),
          new asn1js.Integer({ value: iterations }),
        ],
      }),
    ],
  });
  return der(pfx);
}

/**
 * Checks that the inputs parse and belong together, and returns the
 * localKeyID: the subject key identifier, else the SHA-1 of the public key
 * (RFC 5280's method 1, which is what NCA's CAs put in the SKI anyway).
 */
async function checkPairAndKeyId(
  options: WriteNcaKeyFileOptions,
): Promise<Uint8Array> {
  let cert;
  let key;
  try {
    cert = certificateFacts(options.certificate);
  } catch {
    throw new TypeError('certificate is not a DER X.509 certificate');
  }
  try {
    key = privateKeyFacts(options.privateKeyInfo);
  } catch {
    throw new TypeError('privateKeyInfo is not a DER PKCS#8 private key');
  }
  if (sameKeyPair(key, cert) === false) {
    throw new TypeError('The private key does not belong to the certificate');
  }
  if (cert.subjectKeyId) return cert.subjectKeyId;
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-1',
    ownBytes(cert.publicKey),
  );
  return new Uint8Array(digest);
}

function randomSalt(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
}

function der(node: asn1js.BaseBlock): Uint8Array {
  return new Uint8Array(node.toBER(false));
}

/** AlgorithmIdentifier with pkcs-12PbeParams { salt, iterations }. */
function pbeAlgorithm(oid: string, salt: Uint8Array, iterations: number) {
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: oid }),
      new asn1js.Sequence({
        value: [
          new asn1js.OctetString({ valueHex: ownBytes(salt) }),
          new asn1js.Integer({ value: iterations }),
        ],
      }),
    ],
  });
}

/** The two bag attributes, as a DER SET OF: sorted by their encodings. */
function bagAttributes(localKeyId: Uint8Array, friendlyName: string) {
  const attribute = (id: string, value: asn1js.BaseBlock) =>
    new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: id }),
        new asn1js.Set({ value: [value] }),
      ],
    });
  const list = [
    attribute(
      ATTR_LOCAL_KEY_ID,
      new asn1js.OctetString({ valueHex: ownBytes(localKeyId) }),
    ),
    attribute(
      ATTR_FRIENDLY_NAME,
      new asn1js.BmpString({ value: friendlyName }),
    ),
  ];
  const encoded = list.map((node) => ({ node, bytes: der(node) }));
  encoded.sort((a, b) => compareBytes(a.bytes, b.bytes));
  return encoded.map((item) => item.node);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function explicit0(value: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [value],
  });
}

function safeBag(
  type: string,
  value: asn1js.BaseBlock,
  attributes?: asn1js.BaseBlock[],
): asn1js.Sequence {
  const fields: asn1js.BaseBlock[] = [
    new asn1js.ObjectIdentifier({ value: type }),
    explicit0(value),
  ];
  // asn1js's Set keeps the order given; bagAttributes already sorted it.
  if (attributes) fields.push(new asn1js.Set({ value: attributes }));
  return new asn1js.Sequence({ value: fields });
}

function certBag(
  certificate: Uint8Array,
  attributes?: asn1js.BaseBlock[],
): asn1js.Sequence {
  return safeBag(
    BAG_CERT,
    new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: CERT_X509 }),
        explicit0(new asn1js.OctetString({ valueHex: ownBytes(certificate) })),
      ],
    }),
    attributes,
  );
}

function dataContentInfo(content: Uint8Array): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: DATA }),
      explicit0(new asn1js.OctetString({ valueHex: ownBytes(content) })),
    ],
  });
}

/** ContentInfo { encryptedData, EncryptedData { 0, { data, alg, [0] } } } */
function encryptedContentInfo(
  salt: Uint8Array,
  iterations: number,
  encrypted: Uint8Array,
): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: ENCRYPTED_DATA }),
      explicit0(
        new asn1js.Sequence({
          value: [
            new asn1js.Integer({ value: 0 }),
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: DATA }),
                pbeAlgorithm(OID.pbeSha1Rc2_40, salt, iterations),
                new asn1js.Primitive({
                  idBlock: { tagClass: 3, tagNumber: 0 },
                  valueHex: ownBytes(encrypted),
                }),
              ],
            }),
          ],
        }),
      ),
    ],
  });
}

async function hmacSha1(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  data: Uint8Array,
): Promise<Uint8Array> {
  const keyBytes = await pkcs12Kdf({
    hash: 'SHA-1',
    password,
    salt,
    iterations,
    purpose: 'mac',
    length: 20,
  });
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey(
    'raw',
    ownBytes(keyBytes),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle.sign('HMAC', key, ownBytes(data)));
}
