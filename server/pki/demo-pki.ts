/**
 * A demo PKI in NCA's layout, so the reference server and its tests can
 * log people in without NCA's test keys: a GOST 34.10-2015 root and
 * issuing CA (what NCA issues today) and an RSA pair beside them, and key
 * files for two parents written the way NCA writes them (PKCS#12 with 3DES,
 * RC2 and a SHA-1 MAC), which NCALayer and this library both open. Айгерім
 * has GOST keys, as a person with a current NCA kit does; Ерлан keeps the
 * older RSA pair (AUTH and SIGN), so both kinds appear in the demo.
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
  generateGostKeyPair,
  generateRsaKey,
  issueCertificate,
  keyIdentifier,
  type Issuer,
  type NameEntry,
  type SigningKey,
} from './certificates.js';

/**
 * What a key is for: 'auth' logs in (an RSA AUTH key, or a GOST 2015 key,
 * which serves both), 'sign' only signs (RSA SIGN), 'expired-auth' is a
 * login key past its date.
 */
export type DemoKeyKind = 'auth' | 'sign' | 'expired-auth';
export type DemoKeyAlgorithm = 'gost' | 'rsa';

export interface DemoPerson {
  iin: string;
  /** As the certificate gives it: CN then patronymic. */
  fullName: string;
  /** Absolute path of the .p12 file. */
  keyFile: string;
  kind: DemoKeyKind;
  algorithm: DemoKeyAlgorithm;
}

export interface DemoPki {
  dir: string;
  /** The password of every demo key file. */
  password: string;
  /** The GOST root and issuing CA (NCA's current kind). */
  rootCertificate: Uint8Array;
  issuingCertificate: Uint8Array;
  /** The RSA root and issuing CA. */
  rsaRootCertificate: Uint8Array;
  rsaIssuingCertificate: Uint8Array;
  /**
   * What a verifier should trust: both issuing CAs (so that no
   * intermediates need configuring, since a login CMS carries only the
   * signer's certificate, as Kalkan's does) and both roots.
   */
  trustAnchors: Uint8Array[];
  people: DemoPerson[];
}

/** Meets NCA's rule: 6-32 characters, upper case, lower case, a digit. */
export const DEMO_PASSWORD = 'Demo2026';

const MANIFEST = 'demo-pki.json';
const ROOT_FILE = 'root-ca.cer';
const ISSUING_FILE = 'issuing-ca.cer';
const RSA_ROOT_FILE = 'rsa-root-ca.cer';
const RSA_ISSUING_FILE = 'rsa-issuing-ca.cer';
/** 2: GOST CAs and keys beside the RSA ones; a version 1 folder is redone. */
const MANIFEST_VERSION = 2;

const caName = (name: string): NameEntry[] => [
  [ATTR.commonName, name],
  [ATTR.country, 'KZ'],
];
const NAMES = {
  gost: {
    root: caName('НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO'),
    issuing: caName('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO'),
  },
  rsa: {
    root: caName('НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO'),
    issuing: caName('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO'),
  },
};

interface PersonSpec {
  /** Folder name under keys/, readable in a file dialog. */
  folder: string;
  surname: string;
  name: string;
  patronymic: string;
  iin: string;
  kind: DemoKeyKind;
  algorithm: DemoKeyAlgorithm;
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
    algorithm: 'gost',
  },
  {
    folder: 'erlan-zhandosov',
    surname: 'ЖАНДОСОВ',
    name: 'ЕРЛАН',
    patronymic: 'САҒАТҰЛЫ',
    iin: '850115300011',
    kind: 'auth',
    algorithm: 'rsa',
  },
  {
    folder: 'erlan-zhandosov',
    surname: 'ЖАНДОСОВ',
    name: 'ЕРЛАН',
    patronymic: 'САҒАТҰЛЫ',
    iin: '850115300011',
    kind: 'sign',
    algorithm: 'rsa',
  },
  {
    folder: 'aigerim-sadykova-expired',
    surname: 'САДЫҚОВА',
    name: 'АЙГЕРІМ',
    patronymic: 'МАРАТҚЫЗЫ',
    iin: '900625400121',
    kind: 'expired-auth',
    algorithm: 'gost',
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
    algorithm: DemoKeyAlgorithm;
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

  const read = async (file: string) =>
    new Uint8Array(await readFile(join(dir, file)));
  const rootCertificate = await read(ROOT_FILE);
  const issuingCertificate = await read(ISSUING_FILE);
  const rsaRootCertificate = await read(RSA_ROOT_FILE);
  const rsaIssuingCertificate = await read(RSA_ISSUING_FILE);
  return {
    dir,
    password: manifest.password,
    rootCertificate,
    issuingCertificate,
    rsaRootCertificate,
    rsaIssuingCertificate,
    trustAnchors: [
      issuingCertificate,
      rootCertificate,
      rsaIssuingCertificate,
      rsaRootCertificate,
    ],
    people: manifest.people.map((p) => ({
      iin: p.iin,
      fullName: p.fullName,
      keyFile: join(dir, ...p.keyFile.split('/')),
      kind: p.kind,
      algorithm: p.algorithm,
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

/** Key usage, EKU and policy of each kind of NCA key (domain.md §3). */
function usageOf(person: PersonSpec) {
  if (person.algorithm === 'gost') {
    return {
      keyUsage: ['digitalSignature', 'nonRepudiation', 'keyAgreement'],
      extendedKeyUsage: [EKU.emailProtection, EKU.ncaIndividual],
      policies: [POLICY.gost2015],
    } as const;
  }
  if (person.kind === 'sign') {
    return {
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: [EKU.emailProtection, EKU.ncaIndividual],
      policies: [POLICY.individualSign],
    } as const;
  }
  return {
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
    policies: [POLICY.individualAuth],
  } as const;
}

async function issuePerson(
  person: PersonSpec,
  publicKeyInfo: Uint8Array,
  issuer: Issuer,
  now: number,
): Promise<{ certificate: Uint8Array; notAfter: Date }> {
  const expired = person.kind === 'expired-auth';
  const notBefore = new Date(expired ? now - 2 * YEAR : now - 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + YEAR);
  const usage = usageOf(person);
  const certificate = await issueCertificate({
    subject: personName(person),
    publicKeyInfo,
    issuer,
    notBefore,
    notAfter,
    keyUsage: [...usage.keyUsage],
    extendedKeyUsage: [...usage.extendedKeyUsage],
    policies: [...usage.policies],
  });
  return { certificate, notAfter };
}

interface DemoKey {
  privateKey: SigningKey;
  privateKeyInfo: Uint8Array;
  publicKeyInfo: Uint8Array;
}

async function generateKey(algorithm: DemoKeyAlgorithm): Promise<DemoKey> {
  return algorithm === 'gost' ? generateGostKeyPair() : generateRsaKey(2048);
}

/** A root and an issuing CA of one algorithm, in NCA's layout. */
async function makeCaPair(algorithm: DemoKeyAlgorithm, now: number) {
  const [rootKey, issuingKey] = await Promise.all([
    generateKey(algorithm),
    generateKey(algorithm),
  ]);
  const names = NAMES[algorithm];
  // The CAs are backdated so that the expired demo key was issued inside
  // its CA's lifetime, as a real one would have been.
  const caStart = new Date(now - 3 * YEAR);
  const root = await issueCertificate({
    subject: names.root,
    publicKeyInfo: rootKey.publicKeyInfo,
    selfSignKey: rootKey.privateKey,
    notBefore: caStart,
    notAfter: new Date(now + 20 * YEAR),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const issuingNotAfter = new Date(now + 10 * YEAR);
  const issuing = await issueCertificate({
    subject: names.issuing,
    publicKeyInfo: issuingKey.publicKeyInfo,
    issuer: {
      name: names.root,
      privateKey: rootKey.privateKey,
      publicKeyInfo: rootKey.publicKeyInfo,
    },
    notBefore: caStart,
    notAfter: issuingNotAfter,
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const issuer: Issuer = {
    name: names.issuing,
    privateKey: issuingKey.privateKey,
    publicKeyInfo: issuingKey.publicKeyInfo,
  };
  return { root, issuing, issuer, issuingNotAfter };
}

/**
 * NCA's file names: GOST512_<hex>.p12 for a GOST 2015 key,
 * AUTH_RSA256_<hex>.p12 and RSA256_<hex>.p12 (the signing key) for RSA.
 */
function filePrefix(person: PersonSpec): string {
  if (person.algorithm === 'gost') return 'GOST512';
  return person.kind === 'sign' ? 'RSA256' : 'AUTH_RSA256';
}

async function generateDemoPki(dir: string): Promise<DemoPki> {
  await mkdir(dir, { recursive: true });
  // Old key files of a stale PKI would only confuse; the keys/ folder is
  // this module's own.
  await rm(join(dir, 'keys'), { recursive: true, force: true });
  const now = Date.now();

  // Every key at once: RSA key generation is the slow part, and WebCrypto
  // runs it off the main thread.
  const [gostCas, rsaCas, ...personKeys] = await Promise.all([
    makeCaPair('gost', now),
    makeCaPair('rsa', now),
    ...PEOPLE.map((person) => generateKey(person.algorithm)),
  ]);
  const issuingNotAfter = new Date(
    Math.min(gostCas.issuingNotAfter.getTime(), rsaCas.issuingNotAfter.getTime()),
  );

  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    password: DEMO_PASSWORD,
    createdAt: new Date(now).toISOString(),
    issuingNotAfter: issuingNotAfter.toISOString(),
    people: [],
  };
  for (const [i, person] of PEOPLE.entries()) {
    const key = personKeys[i]!;
    const cas = person.algorithm === 'gost' ? gostCas : rsaCas;
    const { certificate, notAfter } = await issuePerson(
      person,
      key.publicKeyInfo,
      cas.issuer,
      now,
    );
    // The key id, like NCA's friendlyName, is the SKI.
    const keyId = toHex(await keyIdentifier(key.publicKeyInfo));
    const keyFile = `keys/${person.folder}/${filePrefix(person)}_${keyId}.p12`;
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
      algorithm: person.algorithm,
      notAfter: notAfter.toISOString(),
    });
  }

  await writeFile(join(dir, ROOT_FILE), gostCas.root);
  await writeFile(join(dir, ISSUING_FILE), gostCas.issuing);
  await writeFile(join(dir, RSA_ROOT_FILE), rsaCas.root);
  await writeFile(join(dir, RSA_ISSUING_FILE), rsaCas.issuing);
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
  auth: 'login key, valid',
  sign: 'signing key (SIGN): a portal refuses it for login',
  'expired-auth': 'login key, expired: a portal refuses it',
};
const ALGORITHM_TEXT: Record<DemoKeyAlgorithm, string> = {
  gost: 'GOST 34.10-2015 512',
  rsa: 'RSA 2048',
};

function readme(manifest: Manifest): string {
  const lines = manifest.people.map(
    (p) =>
      `  ${p.keyFile}\n    ${p.fullName}, IIN ${p.iin}: ` +
      `${ALGORITHM_TEXT[p.algorithm]} ${KIND_TEXT[p.kind]}`,
  );
  return [
    'Qoltanba demo PKI. NOT NCA keys: no real portal accepts them.',
    '',
    `Every key file's password: ${manifest.password}`,
    '',
    'Key files:',
    ...lines,
    '',
    `CA certificates: ${ROOT_FILE} (GOST root), ${ISSUING_FILE} (GOST ` +
      `issuing CA), ${RSA_ROOT_FILE} and ${RSA_ISSUING_FILE} (RSA).`,
    `Delete this folder to generate a new demo PKI.`,
    '',
  ].join('\n');
}
