/**
 * Object identifiers the certificate and CMS modules read or write, in one
 * place so that each number is typed once.
 */

/** Subject and issuer attribute types (X.520 and PKCS#9). */
export const ATTR = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  street: '2.5.4.9',
  organisation: '2.5.4.10',
  organisationalUnit: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  email: '1.2.840.113549.1.9.1',
  userId: '0.9.2342.19200300.100.1.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
} as const;

/** Short names for display, as OpenSSL and NCALayer print them. */
export const ATTR_SHORT_NAMES: Readonly<Record<string, string>> = {
  [ATTR.commonName]: 'CN',
  [ATTR.surname]: 'SURNAME',
  [ATTR.serialNumber]: 'SERIALNUMBER',
  [ATTR.country]: 'C',
  [ATTR.locality]: 'L',
  [ATTR.state]: 'ST',
  [ATTR.street]: 'STREET',
  [ATTR.organisation]: 'O',
  [ATTR.organisationalUnit]: 'OU',
  [ATTR.title]: 'T',
  [ATTR.givenName]: 'GIVENNAME',
  [ATTR.email]: 'E',
  [ATTR.userId]: 'UID',
  [ATTR.domainComponent]: 'DC',
};

/** Certificate extensions. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** Extended key usages, NCA's own included. */
export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  /** NCA: the holder is an individual. */
  ncaIndividual: '1.2.398.3.3.4.1.1',
  /** NCA: the holder acts for a legal entity; roles are arcs below it. */
  ncaLegalEntity: '1.2.398.3.3.4.1.2',
} as const;

/** NCA certificate policies (domain.md §3). */
export const POLICY = {
  gost2015: '1.2.398.3.3.2',
  legalEntityAuth: '1.2.398.3.3.2.2',
  individualSign: '1.2.398.3.3.2.3',
  individualAuth: '1.2.398.3.3.2.4',
} as const;

/** Public key, digest and signature algorithms. */
export const ALG = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  /** GOST 34.10-2015 512-bit key, as NCA writes it. */
  gost2015Key512: '1.2.398.3.10.1.1.2.2',
  /** GOST 34.10-2015 with Streebog-512, NCA's signature OID. */
  gost2015Signature512: '1.2.398.3.10.1.1.2.3.2',
  /** Streebog-512 (GOST 34.11-2015), NCA's OID. */
  streebog512: '1.2.398.3.10.1.3.3',
  /** GOST 34.310-2004 key (the older Kazakh standard). */
  gost2004Key: '1.2.398.3.10.1.1.1.1',
  gost2004Signature: '1.2.398.3.10.1.1.1.2',
  gost2004Digest: '1.2.398.3.10.1.3.1',
  /** TC26 (RFC 7091) GOST 34.10-2012 keys, 256 and 512 bits. */
  tc26Key256: '1.2.643.7.1.1.1.1',
  tc26Key512: '1.2.643.7.1.1.1.2',
} as const;

/** CMS content types and signed attributes (RFC 5652). */
export const CMS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
} as const;
