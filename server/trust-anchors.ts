/**
 * Loads CA certificates from a folder: every .cer, .crt, .pem and .der file,
 * DER or PEM (a PEM file may hold several). NCA publishes its CA
 * certificates both ways, so the reader does not trust the extension.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fromBase64 } from '../src/crypto/pem.js';

const EXTENSIONS = new Set(['.cer', '.crt', '.pem', '.der']);
const PEM_CERT =
  /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The certificates in one file's bytes; throws when there are none. */
export function certificatesIn(bytes: Uint8Array, name: string): Uint8Array[] {
  // A DER certificate is a SEQUENCE; anything else is read as PEM text.
  if (bytes[0] === 0x30) return [bytes];
  const text = new TextDecoder().decode(bytes);
  const found: Uint8Array[] = [];
  for (const match of text.matchAll(PEM_CERT)) {
    const der = fromBase64(match[1]!);
    if (!der) throw new Error(`${name}: a PEM block is not valid base64`);
    found.push(der);
  }
  if (found.length === 0) {
    throw new Error(`${name}: neither a DER certificate nor PEM certificates`);
  }
  return found;
}

/** Every certificate in the folder's certificate files, sorted by name. */
export async function loadTrustAnchors(dir: string): Promise<Uint8Array[]> {
  const names = (await readdir(dir))
    .filter((name) => EXTENSIONS.has(extname(name).toLowerCase()))
    .sort();
  const anchors: Uint8Array[] = [];
  for (const name of names) {
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    anchors.push(...certificatesIn(bytes, name));
  }
  return anchors;
}
