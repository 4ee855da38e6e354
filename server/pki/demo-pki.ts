/**
 * A demo PKI in NCA's layout, so the reference server and its tests can
 * log people in without NCA's test keys: a root CA, an issuing CA, and key
 * files for two parents written the way NCA writes them (PKCS#12 with 3DES,
 * RC2 and a SHA-1 MAC), which NCALayer and this library both open.
 *
 * Node only. Generated once into a folder and loaded from there afterwards,
 * so a person can keep using the same key files between server runs.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ATTR, EKU, POLICY } from '../../src/crypto/oids.js';
import { toHex } from '../../src/crypto/pem.js';
import { writeNcaKeyFile } from '../../src/crypto/pkcs12-writer.js';
import {
  generateRsaKey,
  issueCertificate,
  keyIdentifier,
  type Issuer,
  type NameEntry,
  type RsaKeyPair,
} from './certificates.js';

export type DemoKeyKind = 'auth' | 'sign' | 'expired-auth';

export interface DemoPerson {
  iin: string;
  /** As the certificate gives it: CN then patronymic. */
  fullName: string;
  /** Absolute path of the .p12 file. */
  keyFile: string;
  kind: DemoKeyKind;
}

export interface DemoPki {
  dir: string;
  /** The password of every demo key file. */
  password: string;
  rootCertificate: Uint8Array;
  issuingCertificate: Uint8Array;
  /**
   * What a verifier should trust: the issuing CA (so that no intermediates
   * need configuring, since a login CMS carries only the signer's
   * certificate, as Kalkan's does) and the root.
   */
  trustAnchors: Uint8Array[];
  people: DemoPerson[];
}

/** Meets NCA's rule: 6-32 characters, upper case, lower case, a digit. */
export const DEMO_PASSWORD = 'Demo2026';

const MANIFEST = 'demo-pki.json';
const ROOT_FILE = 'root-ca.cer';
const ISSUING_FILE = 'issuing-ca.cer';
const MANIFEST_VERSION = 1;

const ROOT_NAME: NameEntry[] = [
  [ATTR.commonName, 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO'],
  [ATTR.country, 'KZ'],
];
const ISSUING_NAME: NameEntry[] = [
  [ATTR.commonName, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO'],
  [ATTR.country, 'KZ'],
];

interface PersonSpec {
  /** Folder name under keys/, readable in a file dialog. */
  folder: string;
  surname: string;
  name: string;
  patronymic: string;
  iin: string;
  kind: DemoKeyKind;
}

/** The parents of the demo (valid synthetic IINs from domain.md §5). */
const PEOPLE: PersonSpec[] = [
  {
    folder: 'aigerim-sadykova',
    surname: 'САДЫҚОВА',
    name: 'АЙГЕРІМ',
    patronymic: 'МАРАТҚЫЗЫ',
    iin: '900625400121',
    kind: 'auth',
  },
  {
    folder: 'erlan-zhandosov',
    surname: 'ЖАНДОСОВ',
    name: 'ЕРЛАН',
    patronymic: 'САҒАТҰЛЫ',
    iin: '850115300011',
    kind: 'auth',
  },
  {
    folder: 'erlan-zhandosov',
    surname: 'ЖАНДОСОВ',
    name: 'ЕРЛАН',
    patronymic: 'САҒАТҰЛЫ',
    iin: '850115300011',
    kind: 'sign',
  },
  {
    folder: 'aigerim-sadykova-expired',
    surname: 'САДЫҚОВА',
    name: 'АЙГЕРІМ',
    patronymic: 'МАРАТҚЫЗЫ',
    iin: '900625400121',
    kind: 'expired-auth',
  },
];

interface Manifest {
  version: number;
  password: string;
  createdAt: string;
  /** When the issuing CA expires; a later load regenerates after that. */
  issuingNotAfter: string;
  people: Array<{
    iin: string;
    fullName: string;
    /** Relative to the PKI folder, with forward slashes. */
    keyFile: string;
    kind: DemoKeyKind;
    notAfter: string;
  }>;
}

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/**
 * Loads the demo PKI from `dir`, or generates it there when the folder has
 * none (or the one it has has run out: a demo key older than a year).
 */
export async function ensureDemoPki(dir: string): Promise<DemoPki> {
  const root = resolve(dir);
  const loaded = await loadDemoPki(root);
  if (loaded) return loaded;
  return generateDemoPki(root);
}

async function loadDemoPki(dir: string): Promise<DemoPki | null> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch (error) {
    // A damaged manifest may sit beside keys a person still uses; rather
    // than overwrite them, say what to do.
    throw new Error(
      `${path} cannot be read (${String(error)}); delete the folder ` +
        'to generate a new demo PKI.',
    );
  }
  if (manifest.version !== MANIFEST_VERSION) return null;
  const now = Date.now();
  const stale =
    Date.parse(manifest.issuingNotAfter) < now + DAY ||
    manifest.people.some(
      (p) => p.kind !== 'expired-auth' && Date.parse(p.notAfter) < now,
    ) ||
    manifest.people.some((p) => !existsSync(join(dir, p.keyFile)));
  if (stale) return null;

  const rootCertificate = new Uint8Array(await readFile(join(dir, ROOT_FILE)));
  const issuingCertificate = new Uint8Array(
    await readFile(join(dir, ISSUING_FILE)),
  );
  return {
    dir,
    password: manifest.password,
    rootCertificate,
    issuingCertificate,
    trustAnchors: [issuingCertificate, rootCertificate],
    people: manifest.people.map((p) => ({
      iin: p.iin,
      fullName: p.fullName,
      keyFile: join(dir, ...p.keyFile.split('/')),
      kind: p.kind,
    })),
  };
}

function personName(person: PersonSpec): NameEntry[] {
  // NCA's individual layout (domain.md §3); GIVENNAME holds the patronymic.
  return [
    [ATTR.commonName, `${person.surname} ${person.name}`],
    [ATTR.surname, person.surname],
    [ATTR.serialNumber, `IIN${person.iin}`],
    [ATTR.country, 'KZ'],
    [ATTR.givenName, person.patronymic],
  ];
}

async function issuePerson(
  person: PersonSpec,
  key: RsaKeyPair,
  issuer: Issuer,
  now: number,
): Promise<{ certificate: Uint8Array; notAfter: Date }> {
  const expired = person.kind === 'expired-auth';
  const notBefore = new Date(expired ? now - 2 * YEAR : now - 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + YEAR);
  const certificate = await issueCertificate(
    person.kind === 'sign'
      ? {
          subject: personName(person),
          publicKeyInfo: key.publicKeyInfo,
          issuer,
          notBefore,
          notAfter,
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          extendedKeyUsage: [EKU.emailProtection, EKU.ncaIndividual],
          policies: [POLICY.individualSign],
        }
      : {
          subject: personName(person),
          publicKeyInfo: key.publicKeyInfo,
          issuer,
          notBefore,
          notAfter,
          keyUsage: ['digitalSignature', 'keyEncipherment'],
          extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
          policies: [POLICY.individualAuth],
        },
  );
  return { certificate, notAfter };
}

async function generateDemoPki(dir: string): Promise<DemoPki> {
  await mkdir(dir, { recursive: true });
  // Old key files of a stale PKI would only confuse; the keys/ folder is
  // this module's own.
  await rm(join(dir, 'keys'), { recursive: true, force: true });
  const now = Date.now();

  // Every key at once: RSA key generation is the slow part, and WebCrypto
  // runs it off the main thread.
  const [rootKey, issuingKey, ...personKeys] = await Promise.all(
    [null, null, ...PEOPLE].map(() => generateRsaKey(2048)),
  );
  // The CAs are backdated so that the expired demo key was issued inside
  // its CA's lifetime, as a real one would have been.
  const caStart = new Date(now - 3 * YEAR);
  const rootCertificate = await issueCertificate({
    subject: ROOT_NAME,
    publicKeyInfo: rootKey!.publicKeyInfo,
    selfSignKey: rootKey!.privateKey,
    notBefore: caStart,
    notAfter: new Date(now + 20 * YEAR),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const issuingNotAfter = new Date(now + 10 * YEAR);
  const issuingCertificate = await issueCertificate({
    subject: ISSUING_NAME,
    publicKeyInfo: issuingKey!.publicKeyInfo,
    issuer: {
      name: ROOT_NAME,
      privateKey: rootKey!.privateKey,
      publicKeyInfo: rootKey!.publicKeyInfo,
    },
    notBefore: caStart,
    notAfter: issuingNotAfter,
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const issuer: Issuer = {
    name: ISSUING_NAME,
    privateKey: issuingKey!.privateKey,
    publicKeyInfo: issuingKey!.publicKeyInfo,
  };

  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    password: DEMO_PASSWORD,
    createdAt: new Date(now).toISOString(),
    issuingNotAfter: issuingNotAfter.toISOString(),
    people: [],
  };
  for (const [i, person] of PEOPLE.entries()) {
    const key = personKeys[i]!;
    const { certificate, notAfter } = await issuePerson(
      person,
      key,
      issuer,
      now,
    );
    // NCA names files AUTH_RSA256_<hex>.p12 and RSA256_<hex>.p12 (the
    // signing key); the key id, like NCA's friendlyName, is the SKI.
    const keyId = toHex(await keyIdentifier(key.publicKeyInfo));
    const prefix = person.kind === 'sign' ? 'RSA256' : 'AUTH_RSA256';
    const keyFile = `keys/${person.folder}/${prefix}_${keyId}.p12`;
    const p12 = await writeNcaKeyFile({
      privateKeyInfo: key.privateKeyInfo,
      certificate,
      password: DEMO_PASSWORD,
      friendlyName: keyId,
    });
    await mkdir(join(dir, 'keys', person.folder), { recursive: true });
    await writeFile(join(dir, ...keyFile.split('/')), p12);
    manifest.people.push({
      iin: person.iin,
      fullName: `${person.surname} ${person.name} ${person.patronymic}`,
      keyFile,
      kind: person.kind,
      notAfter: notAfter.toISOString(),
    });
  }

  await writeFile(join(dir, ROOT_FILE), rootCertificate);
  await writeFile(join(dir, ISSUING_FILE), issuingCertificate);
  await writeFile(join(dir, 'README.txt'), readme(manifest));
  // The manifest goes last, through a rename, so that a run cut short
  // leaves no manifest and the next run starts over.
  const temp = join(dir, `${MANIFEST}.tmp`);
  await writeFile(temp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(temp, join(dir, MANIFEST));

  const loaded = await loadDemoPki(dir);
  if (!loaded) throw new Error(`The demo PKI in ${dir} did not load back.`);
  return loaded;
}

const KIND_TEXT: Record<DemoKeyKind, string> = {
  auth: 'login key (AUTH), valid',
  sign: 'signing key (SIGN): a portal refuses it for login',
  'expired-auth': 'login key (AUTH), expired: a portal refuses it',
};

function readme(manifest: Manifest): string {
  const lines = manifest.people.map(
    (p) =>
      `  ${p.keyFile}\n    ${p.fullName}, IIN ${p.iin}: ${KIND_TEXT[p.kind]}`,
  );
  return [
    'Qoltanba demo PKI. NOT NCA keys: no real portal accepts them.',
    '',
    `Every key file's password: ${manifest.password}`,
    '',
    'Key files:',
    ...lines,
    '',
    `CA certificates: ${ROOT_FILE} (root), ${ISSUING_FILE} (issuing CA).`,
    `Delete this folder to generate a new demo PKI.`,
    '',
  ].join('\n');
}
