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
