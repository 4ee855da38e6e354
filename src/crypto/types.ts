/**
 * Shapes shared by the key-file, certificate and CMS modules, and by the
 * elements that show their results. Nothing here touches the DOM.
 */

/** Why a key file could not be opened. Each maps to its own message. */
export type KeyFileErrorCode =
  /** The MAC or the decryption check failed: the password is wrong. */
  | 'WRONG_PASSWORD'
  /** The bytes are not a PKCS#12 container (a certificate, a PDF, …). */
  | 'NOT_A_KEY_FILE'
  /** A PKCS#12 container without a private key and its certificate. */
  | 'NO_KEYS'
  /** A cipher, KDF or MAC this reader does not implement (OID in detail). */
  | 'UNSUPPORTED_ALGORITHM'
  /** A key of a kind the browser cannot use (e.g. GOST 34.310-2004). */
  | 'UNSUPPORTED_KEY'
  /** Looks like PKCS#12 but is cut short or damaged. */
  | 'CORRUPT_FILE';

export class KeyFileError extends Error {
  override name = 'KeyFileError';
  constructor(
    readonly code: KeyFileErrorCode,
    message: string,
    /** Extra machine-readable fact, e.g. the unsupported algorithm's OID. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** One private key from a key file, with the certificate that belongs to it. */
export interface KeyEntry {
  /** PKCS#8 PrivateKeyInfo, DER. Kept in memory only while needed. */
  privateKeyInfo: Uint8Array;
  /** The key's own certificate, DER. */
  certificate: Uint8Array;
  /** The private key's algorithm OID (rsaEncryption, GOST, …). */
  keyAlgorithmOid: string;
  friendlyName?: string;
  /** localKeyID attribute, lowercase hex. */
  localKeyId?: string;
}

export interface OpenedKeyFile {
  keys: KeyEntry[];
  /** Every certificate in the file, the keys' own and any CA certificates. */
  certificates: Uint8Array[];
}

/** What the key list shows about a certificate, read from its DER by OID. */
export interface CertificateInfo {
  /** CN: "SURNAME NAME" for a person. */
  commonName: string;
  surname?: string;
  /** NCA puts the patronymic in GIVENNAME. */
  patronymic?: string;
  /** 12 digits from SERIALNUMBER=IIN…, if present. */
  iin?: string;
  /** 12 digits from OU=BIN…, for an organisation's employee. */
  bin?: string;
  organisation?: string;
  email?: string;
  /** The full name as a portal shows it: CN then patronymic. */
  fullName: string;
  /** Certificate serial number, lowercase hex without leading zeros. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  issuerCommonName: string;
  /** The whole subject and issuer as RFC 4514-like strings, for display. */
  subjectDn: string;
  issuerDn: string;
  /** Public key algorithm as users know it: "RSA 2048", "ГОСТ 34.10-2015 512". */
  algorithmName: string;
  /** Public key algorithm OID. */
  keyAlgorithmOid: string;
  /** keyUsage names present, e.g. ['digitalSignature', 'keyEncipherment']. */
  keyUsage: string[];
  /** extendedKeyUsage OIDs. */
  extendedKeyUsage: string[];
  /** certificatePolicies OIDs. */
  policies: string[];
  /**
   * What the key may do, from key usage and EKU: 'auth' (RSA AUTH), 'sign'
   * (RSA SIGN, non-repudiation only), 'both' (GOST 2015), or 'unknown'.
   */
  purpose: 'auth' | 'sign' | 'both' | 'unknown';
  /** 'legal-entity' when the certificate names an organisation (BIN). */
  holder: 'individual' | 'legal-entity' | 'system';
}
