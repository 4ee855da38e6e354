/**
 * Opens a PKCS#12 key file (.p12/.pfx) as NCA issues it, and the common
 * OpenSSL flavours, returning each private key with its certificate.
 *
 * NCA's container, identical in every file seen: BER indefinite lengths
 * inside; HMAC-SHA1 MAC keyed by the PKCS#12 KDF, 1024 iterations; the key
 * in a shrouded key bag under pbeWithSHAAnd3-KeyTripleDES-CBC; the
 * certificate in EncryptedData under pbeWithSHAAnd40BitRC2-CBC. OpenSSL 3's
 * default is PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) with an HMAC-SHA256
 * MAC. Both, and the other common mixes, are read here; ASN.1 structure
 * comes from asn1js, the ciphers and KDF from this folder.
 *
 * Error policy, in the order the checks run:
 *  1. Bytes that do not start like a PKCS#12 PFX (SEQUENCE, then INTEGER
 *     3) are NOT_A_KEY_FILE. That includes files cut to fewer than about
 *     seven bytes, which cannot be recognised at all.
 *  2. A recognised file whose structure does not parse is CORRUPT_FILE
 *     (this is what a file cut short gives).
 *  3. Every algorithm visible before decryption (MAC, EncryptedData,
 *     shrouded key bags) is resolved; one this reader lacks is
 *     UNSUPPORTED_ALGORITHM with its OID, before any password is tried.
 *  4. A MAC that does not match is WRONG_PASSWORD. Once the MAC matched,
 *     a decryption that fails is damage: CORRUPT_FILE.
 *  5. Without a MAC, bad padding or unparsable plaintext is WRONG_PASSWORD.
 *  6. No private key with a certificate: NO_KEYS.
 */
import { bytesEqual, ownBytes, PaddingError, toHex } from './bytes.js';
import {
  certificateFacts,
  privateKeyFacts,
  sameKeyPair,
  type CertificateFacts,
  type PrivateKeyFacts,
} from './pkcs12-cert.js';
import {
  algorithmId,
  corrupt,
  encodedLength,
  explicit,
  octets,
  oid,
  parseBer,
  sequence,
  set,
  smallInt,
  text,
  type Node,
} from './pkcs12-asn1.js';
import { pkcs12Kdf, type KdfHash } from './pkcs12-kdf.js';
import {
  noParams,
  passwordForms,
  resolveScheme,
  type DecryptionScheme,
  type PasswordForms,
} from './pkcs12-pbe.js';
import {
  KeyFileError,
  type KeyEntry,
  type OpenedKeyFile,
} from './types.js';

const CONTENT_DATA = '1.2.840.113549.1.7.1';
const CONTENT_SIGNED = '1.2.840.113549.1.7.2';
const CONTENT_ENVELOPED = '1.2.840.113549.1.7.3';
const CONTENT_ENCRYPTED = '1.2.840.113549.1.7.6';

const BAG_KEY = '1.2.840.113549.1.12.10.1.1';
const BAG_SHROUDED_KEY = '1.2.840.113549.1.12.10.1.2';
const BAG_CERT = '1.2.840.113549.1.12.10.1.3';
const BAG_SAFE_CONTENTS = '1.2.840.113549.1.12.10.1.6';
const CERT_X509 = '1.2.840.113549.1.9.22.1';

const ATTR_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const ATTR_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';

const PBMAC1 = '1.2.840.113549.1.5.14';

const MAC_DIGESTS: Record<string, { hash: KdfHash; length: number }> = {
  '1.3.14.3.2.26': { hash: 'SHA-1', length: 20 },
  '2.16.840.1.101.3.4.2.1': { hash: 'SHA-256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { hash: 'SHA-384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { hash: 'SHA-512', length: 64 },
};

// The PKCS#12 KDF runs in JavaScript; see MAX_ITERATIONS in pkcs12-pbe.ts.
const MAX_MAC_ITERATIONS = 10_000_000;

// SafeContents may nest through safeContentsBag; real files never do.
const MAX_NESTING = 4;

/**
 * Opens a key file with its password.
 *
 * @throws KeyFileError with a code from types.ts; never anything else for
 *   bad input.
 */
export async function openKeyFile(
  file: Uint8Array,
  password: string,
): Promise<OpenedKeyFile> {
  if (!globalThis.crypto?.subtle) {
    // Not the user's fault and not the file's: a page served over plain
    // HTTP (other than localhost) has no WebCrypto.
    throw new Error(
      'WebCrypto (crypto.subtle) is unavailable; serve the page over ' +
        'HTTPS or from localhost.',
    );
  }
  try {
    // A private copy: the caller may hand in a Node Buffer (whose slice()
    // shares memory) or reuse its array while this runs.
    return await open(new Uint8Array(file), password);
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    // A slip in this module or in asn1js must still reach the user as a
    // typed error. The cause is kept for debugging.
    const wrapped = new KeyFileError(
      'CORRUPT_FILE',
      'The key file could not be read.',
    );
    (wrapped as { cause?: unknown }).cause = error;
    throw wrapped;
  }
}

interface MacInfo {
  hash: KdfHash;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

interface Attributes {
  friendlyName?: string;
  localKeyId?: Uint8Array;
}

interface PendingKey {
  attributes: Attributes;
  /** Set for a shrouded key bag until it is decrypted. */
  scheme?: DecryptionScheme;
  encrypted?: Uint8Array;
  privateKeyInfo?: Uint8Array;
}

interface FoundCert {
  der: Uint8Array;
  attributes: Attributes;
}

/** Everything collected from the bags, before and after decryption. */
interface Contents {
  keys: PendingKey[];
  certs: FoundCert[];
}

interface EncryptedSafe {
  scheme: DecryptionScheme;
  data: Uint8Array;
}

async function open(
  file: Uint8Array,
  password: string,
): Promise<OpenedKeyFile> {
  recognise(file);
  const pfx = sequence(parseBer(file, 'The key file'), 'PFX');
  const [, authSafeInfo, macNode] = pfx;
  const authSafe = authenticatedSafeBytes(authSafeInfo);
  const mac = macNode ? macInfo(macNode) : undefined;

  // Step 3 of the policy: everything readable without the password,
  // every algorithm resolved.
  const contents: Contents = { keys: [], certs: [] };
  const encryptedSafes: EncryptedSafe[] = [];
  const infos = sequence(parseBer(authSafe, 'AuthenticatedSafe'), 'AuthSafe');
  for (const info of infos) {
    const [typeNode, content] = sequence(info, 'ContentInfo');
    const type = oid(typeNode, 'ContentInfo type');
    if (type === CONTENT_DATA) {
      const safe = octets(explicit(content, 0, 'Data'), 'Data');
      readSafeContents(parseBer(safe, 'SafeContents'), contents, 0);
    } else if (type === CONTENT_ENCRYPTED) {
      encryptedSafes.push(encryptedData(explicit(content, 0, 'Encrypted')));
    } else if (type === CONTENT_ENVELOPED) {
      throw new KeyFileError(
        'UNSUPPORTED_ALGORITHM',
        'The key file is encrypted to a public key (PKCS#12 public-key ' +
          'privacy mode), which this reader does not support.',
        type,
      );
    } else {
      throw corrupt(`Unexpected content type ${type} in the key file.`);
    }
  }

  // Step 4: the MAC decides whether the password is right.
  let candidates = passwordCandidates(password);
  if (mac) {
    const match = await findMacPassword(mac, authSafe, candidates);
    if (!match) {
      throw new KeyFileError(
        'WRONG_PASSWORD',
        'The password is wrong (the key file integrity check failed).',
      );
    }
    candidates = [match];
  }
  const verified = mac !== undefined;

  for (const safe of encryptedSafes) {
    const plain = await decryptAndParse(safe.scheme, safe.data, candidates, {
      verified,
      what: 'the certificates',
      parse: (bytes) => parseBer(bytes, 'SafeContents'),
    });
    readSafeContents(plain.value, contents, 0);
    candidates = [plain.password];
  }

  for (const key of contents.keys) {
    if (!key.scheme || !key.encrypted) continue;
    const plain = await decryptAndParse(key.scheme, key.encrypted, candidates, {
      verified,
      what: 'the private key',
      parse: (bytes) => {
        const node = parseBer(bytes, 'PrivateKeyInfo');
        // Keep exactly the DER, without trailing zero bytes.
        const der = bytes.slice(0, encodedLength(node));
        return { der, facts: privateKeyFacts(der) };
      },
    });
    key.privateKeyInfo = plain.value.der;
    candidates = [plain.password];
  }

  return pairKeys(contents);
}

/** Policy step 1: NOT_A_KEY_FILE unless it starts as a PFX does. */
function recognise(file: Uint8Array): void {
  if (file.length === 0) {
    throw new KeyFileError('NOT_A_KEY_FILE', 'The file is empty.');
  }
  const start = new TextDecoder().decode(file.subarray(0, 11));
  if (start === '-----BEGIN ') {
    throw new KeyFileError(
      'NOT_A_KEY_FILE',
      'This is a PEM text file (a certificate or key), not a .p12 key file.',
    );
  }
  // SEQUENCE with a definite or indefinite length, then INTEGER 3.
  const lengthByte = file[1] ?? 0;
  const lengthBytes = lengthByte > 0x80 ? lengthByte & 0x7f : 0;
  const p = 2 + lengthBytes;
  const pkcs12 =
    file[0] === 0x30 &&
    lengthBytes <= 4 &&
    file[p] === 0x02 &&
    file[p + 1] === 0x01 &&
    file[p + 2] === 0x03;
  if (!pkcs12) {
    throw new KeyFileError(
      'NOT_A_KEY_FILE',
      'The file is not a PKCS#12 key file (.p12).',
    );
  }
}

/** AuthSafe ContentInfo → the bytes the MAC covers. */
function authenticatedSafeBytes(node: Node | undefined): Uint8Array {
  const [typeNode, content] = sequence(node, 'AuthSafe ContentInfo');
  const type = oid(typeNode, 'AuthSafe content type');
  if (type === CONTENT_SIGNED) {
    throw new KeyFileError(
      'UNSUPPORTED_ALGORITHM',
      'The key file is protected by a signature (PKCS#12 public-key ' +
        'integrity mode), which this reader does not support.',
      type,
    );
  }
  if (type !== CONTENT_DATA) {
    throw corrupt(`Unexpected AuthSafe content type ${type}.`);
  }
  return octets(explicit(content, 0, 'AuthSafe content'), 'AuthSafe');
}

/**
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING,
 * iterations INTEGER DEFAULT 1 }
 */
function macInfo(node: Node): MacInfo {
  const [digestInfo, saltNode, iterationsNode] = sequence(node, 'MacData');
  const [algorithmNode, digestNode] = sequence(digestInfo, 'MAC DigestInfo');
  const algorithm = algorithmId(algorithmNode, 'MAC digest');
  if (algorithm.oid === PBMAC1) {
    throw new KeyFileError(
      'UNSUPPORTED_ALGORITHM',
      'The key file uses a PBMAC1 integrity check (RFC 9579), which this ' +
        'reader does not support.',
      algorithm.oid,
    );
  }
  const digest = MAC_DIGESTS[algorithm.oid];
  if (!digest || !noParams(algorithm.params)) {
    throw new KeyFileError(
      'UNSUPPORTED_ALGORITHM',
      `The key file's integrity check uses an unsupported digest ` +
        `(${algorithm.oid}).`,
      algorithm.oid,
    );
  }
  const mac: MacInfo = {
    hash: digest.hash,
    digest: octets(digestNode, 'MAC value'),
    salt: octets(saltNode, 'MAC salt'),
    iterations: iterationsNode
      ? smallInt(iterationsNode, 'MAC iterations', MAX_MAC_ITERATIONS)
      : 1,
  };
  if (mac.digest.length !== digest.length || mac.iterations < 1) {
    throw corrupt('The key file integrity check is malformed.');
  }
  return mac;
}

/**
 * The password encodings to try. The first is the standard one; the
 * others match writers that are still common:
 *  - an empty password given to the KDF as no bytes at all, instead of a
 *    BMPString holding only the terminator (OpenSSL tries both too);
 *  - each UTF-8 byte taken as one BMP character, as OpenSSL before 1.1.0
 *    did with non-ASCII passwords.
 */
function passwordCandidates(password: string): PasswordForms[] {
  const standard = passwordForms(password);
  const list = [standard];
  if (password === '') {
    list.push({ bmp: new Uint8Array(0), utf8: new Uint8Array(0) });
  }
  if (/[^\x00-\x7f]/.test(password)) {
    const bytes = standard.utf8;
    const bmp = new Uint8Array(bytes.length * 2 + 2);
    bytes.forEach((byte, i) => (bmp[i * 2 + 1] = byte));
    list.push({ bmp, utf8: bytes });
  }
  return list;
}

async function findMacPassword(
  mac: MacInfo,
  authSafe: Uint8Array,
  candidates: PasswordForms[],
): Promise<PasswordForms | undefined> {
  const subtle = globalThis.crypto.subtle;
  for (const candidate of candidates) {
    const key = await pkcs12Kdf({
      hash: mac.hash,
      password: candidate.bmp,
      salt: mac.salt,
      iterations: mac.iterations,
      purpose: 'mac',
      length: mac.digest.length,
    });
    const hmacKey = await subtle.importKey(
      'raw',
      ownBytes(key),
      { name: 'HMAC', hash: mac.hash },
      false,
      ['sign'],
    );
    const computed = new Uint8Array(
      await subtle.sign('HMAC', hmacKey, ownBytes(authSafe)),
    );
    if (bytesEqual(computed, mac.digest)) return candidate;
  }
  return undefined;
}

/**
 * EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo
 * SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent
 * [0] IMPLICIT OCTET STRING OPTIONAL }, … }
 */
function encryptedData(node: Node): EncryptedSafe {
  const [, contentInfo] = sequence(node, 'EncryptedData');
  const [, algorithmNode, contentNode] = sequence(
    contentInfo,
    'EncryptedContentInfo',
  );
  const scheme = resolveScheme(algorithmId(algorithmNode, 'Content cipher'));
  if (!contentNode) throw corrupt('EncryptedData has no content.');
  return { scheme, data: octets(contentNode, 'Encrypted content', 0) };
}

/** SafeContents ::= SEQUENCE OF SafeBag */
function readSafeContents(node: Node, contents: Contents, depth: number) {
  if (depth > MAX_NESTING) throw corrupt('SafeContents nested too deep.');
  for (const bag of sequence(node, 'SafeContents')) {
    const [idNode, valueNode, attributesNode] = sequence(bag, 'SafeBag');
    const id = oid(idNode, 'SafeBag type');
    const value = explicit(valueNode, 0, 'SafeBag value');
    const attributes = attributesNode ? readAttributes(attributesNode) : {};
    if (id === BAG_SHROUDED_KEY) {
      // EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
      // OCTET STRING }
      const [algorithmNode, dataNode] = sequence(value, 'Shrouded key');
      contents.keys.push({
        attributes,
        scheme: resolveScheme(algorithmId(algorithmNode, 'Key cipher')),
        encrypted: octets(dataNode, 'Encrypted key'),
      });
    } else if (id === BAG_KEY) {
      const der = value.valueBeforeDecodeView.slice();
      privateKeyFacts(der);
      contents.keys.push({ attributes, privateKeyInfo: der });
    } else if (id === BAG_CERT) {
      const [typeNode, certNode] = sequence(value, 'CertBag');
      // Only X.509 certificates; SDSI certificates are skipped.
      if (oid(typeNode, 'Certificate type') === CERT_X509) {
        const der = octets(explicit(certNode, 0, 'Certificate'), 'Cert');
        contents.certs.push({ der: der.slice(), attributes });
      }
    } else if (id === BAG_SAFE_CONTENTS) {
      readSafeContents(value, contents, depth + 1);
    }
    // CRL and secret bags are of no use for logging in; skipped.
  }
}

function readAttributes(node: Node): Attributes {
  const attributes: Attributes = {};
  for (const attribute of set(node, 'Bag attributes')) {
    const [idNode, valuesNode] = sequence(attribute, 'Bag attribute');
    const id = oid(idNode, 'Attribute type');
    const [first] = set(valuesNode, 'Attribute values');
    if (id === ATTR_FRIENDLY_NAME) {
      attributes.friendlyName = text(first);
    } else if (id === ATTR_LOCAL_KEY_ID && first) {
      attributes.localKeyId = octets(first, 'localKeyID').slice();
    }
  }
  return attributes;
}

interface DecryptOptions<T> {
  /** Whether a MAC already proved the password right. */
  verified: boolean;
  /** For messages: what the encrypted part holds. */
  what: string;
  /** Checks the plaintext; throws KeyFileError if it is not right. */
  parse: (plain: Uint8Array) => T;
}

/**
 * Decrypts with each candidate password until the plaintext parses. With
 * a MAC there is one candidate and a failure means damage; without, the
 * padding and the parse are the only password check there is.
 */
async function decryptAndParse<T>(
  scheme: DecryptionScheme,
  data: Uint8Array,
  candidates: PasswordForms[],
  options: DecryptOptions<T>,
): Promise<{ value: T; password: PasswordForms }> {
  for (const password of candidates) {
    let plain: Uint8Array;
    try {
      plain = await scheme.decrypt(password, data);
    } catch (error) {
      // Anything but bad padding (a ciphertext of impossible length, an
      // algorithm the browser lacks) is the same for every password.
      if (error instanceof PaddingError) continue;
      throw error;
    }
    try {
      return { value: options.parse(plain), password };
    } catch (error) {
      // Padding that happens to look right over garbage: about one wrong
      // password in 256 gets this far.
      if (error instanceof KeyFileError && error.code === 'CORRUPT_FILE') {
        continue;
      }
      throw error;
    }
  }
  if (options.verified) {
    throw corrupt(
      `The key file is damaged: ${options.what} could not be decrypted ` +
        'although the password is right.',
    );
  }
  throw new KeyFileError(
    'WRONG_PASSWORD',
    `The password is wrong (${options.what} could not be decrypted).`,
  );
}

interface ReadyKey {
  der: Uint8Array;
  facts: PrivateKeyFacts;
  attributes: Attributes;
}

interface ReadyCert {
  found: FoundCert;
  facts: CertificateFacts | undefined;
}

/**
 * Pairs each key with its certificate: by localKeyID, unless the key
 * shows it belongs elsewhere; then by public key; and, when exactly one
 * key and one end-entity certificate that could be its are left, with
 * each other.
 */
function pairKeys(contents: Contents): OpenedKeyFile {
  const keys: ReadyKey[] = contents.keys.map((key) => ({
    der: key.privateKeyInfo!,
    facts: privateKeyFacts(key.privateKeyInfo!),
    attributes: key.attributes,
  }));
  const certs: ReadyCert[] = contents.certs.map((found) => {
    let facts: CertificateFacts | undefined;
    try {
      facts = certificateFacts(found.der);
    } catch {
      // An unreadable extra certificate does not spoil the key file; it
      // just cannot be paired by public key.
    }
    return { found, facts };
  });

  const used = new Set<ReadyCert>();
  const pairs = new Map<ReadyKey, ReadyCert>();
  const take = (key: ReadyKey, cert: ReadyCert): void => {
    pairs.set(key, cert);
    used.add(cert);
  };
  const fits = (key: ReadyKey, cert: ReadyCert): boolean | undefined =>
    cert.facts ? sameKeyPair(key.facts, cert.facts) : undefined;

  for (const key of keys) {
    const id = key.attributes.localKeyId;
    if (!id) continue;
    const cert = certs.find(
      (c) =>
        !used.has(c) &&
        c.found.attributes.localKeyId &&
        bytesEqual(c.found.attributes.localKeyId, id) &&
        fits(key, c) !== false,
    );
    if (cert) take(key, cert);
  }
  for (const key of keys) {
    if (pairs.has(key)) continue;
    const cert = certs.find((c) => !used.has(c) && fits(key, c) === true);
    if (cert) take(key, cert);
  }
  // Last resort, for keys that cannot show their public key (NCA's GOST
  // keys hold only the secret scalar): one key left and one end-entity
  // certificate it could belong to. Two candidates are never guessed at.
  const loneKeys = keys.filter((key) => !pairs.has(key));
  if (loneKeys.length === 1) {
    const [key] = loneKeys as [ReadyKey];
    const candidates = certs.filter(
      (c) => !used.has(c) && c.facts && !c.facts.isCa && fits(key, c) !== false,
    );
    if (candidates.length === 1) take(key, candidates[0]!);
  }

  const entries: KeyEntry[] = [];
  for (const key of keys) {
    const cert = pairs.get(key);
    if (!cert) continue;
    const localKeyId =
      key.attributes.localKeyId ?? cert.found.attributes.localKeyId;
    const friendlyName =
      key.attributes.friendlyName ?? cert.found.attributes.friendlyName;
    const entry: KeyEntry = {
      privateKeyInfo: key.der,
      certificate: cert.found.der,
      keyAlgorithmOid: key.facts.keyAlgorithmOid,
    };
    if (friendlyName !== undefined) entry.friendlyName = friendlyName;
    if (localKeyId) entry.localKeyId = toHex(localKeyId);
    entries.push(entry);
  }
  if (entries.length === 0) {
    throw new KeyFileError(
      'NO_KEYS',
      keys.length === 0
        ? 'The key file holds no private key.'
        : 'The key file holds no certificate for its private key.',
    );
  }
  return { keys: entries, certificates: contents.certs.map((c) => c.der) };
}
