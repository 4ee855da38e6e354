/**
 * The one crypto module the browser elements load, lazily, when a person
 * opens a key file: it pulls in pkijs and the PKCS#12 reader only then.
 * It opens the file, lists the keys with what their certificates say, and
 * signs a challenge with the key the person picks.
 */
import type { CertificateInfo, KeyEntry } from './types.js';
import { KeyFileError } from './types.js';
import { openKeyFile } from './pkcs12.js';
import { describeCertificate } from './certificate-info.js';
import { signCms } from './cms-sign.js';
import { toBase64 } from './pem.js';
import { GOST_2004_ADVICE, GOST_2004_OIDS } from './gost/nca-gost.js';

export interface KeyChoice {
  /** Stable for the life of the key ring; pass it to sign(). */
  id: string;
  info: CertificateInfo;
}

export interface KeyRing {
  choices: KeyChoice[];
  /** Signs the content with the chosen key: CMS, base64 DER. */
  sign(id: string, content: Uint8Array): Promise<string>;
  /** Zeroes the private keys and forgets them; sign() fails afterwards. */
  dispose(): void;
}

/**
 * Opens a key file with its password. Throws KeyFileError (wrong password,
 * not a key file, …) from the PKCS#12 reader unchanged.
 */
export async function openKeys(
  file: Uint8Array,
  password: string,
): Promise<KeyRing> {
  const opened = await openKeyFile(file, password);
  // A GOST 34.310-2004 key opens (the container is the same) but cannot
  // sign here; say so now, with the way out, rather than at signing time.
  const old = opened.keys.filter((k) => GOST_2004_OIDS.has(k.keyAlgorithmOid));
  if (old.length > 0 && old.length === opened.keys.length) {
    for (const key of old) key.privateKeyInfo.fill(0);
    throw new KeyFileError(
      'UNSUPPORTED_KEY',
      GOST_2004_ADVICE,
      old[0]!.keyAlgorithmOid,
    );
  }
  return keyRingOf(opened.keys);
}

/**
 * A key ring over keys already read. The ring takes the entries over: it
 * zeroes their private key bytes on dispose().
 */
export function keyRingOf(entries: KeyEntry[]): KeyRing {
  const keys = new Map<string, KeyEntry>();
  const choices: KeyChoice[] = [];
  for (const key of entries) {
    const info = describeCertificate(key.certificate);
    // The certificate serial names the key for a person and is unique per
    // CA; the suffix only guards against a file holding one key twice.
    let id = info.serialNumber;
    for (let n = 2; keys.has(id); n++) id = `${info.serialNumber}-${n}`;
    keys.set(id, key);
    choices.push({ id, info });
  }
  return {
    choices,
    async sign(id, content) {
      const key = keys.get(id);
      if (!key) {
        throw new KeyFileError('NO_KEYS', `No key "${id}" is open.`);
      }
      return toBase64(await signCms(content, key));
    },
    dispose() {
      // Only the private keys need wiping; certificates are public.
      for (const key of keys.values()) key.privateKeyInfo.fill(0);
      keys.clear();
    },
  };
}
