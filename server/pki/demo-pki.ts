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
 *
 * So that demo mode can check revocation like a real portal, the PKI also
 * keeps its two issuing CAs' private keys and signs their CRLs, which the
 * demo server publishes at the URL every demo certificate names in its
 * CRL distribution points, and answers OCSP at the URL each names in its
 * authority information access. One of Айгерім's keys is revoked.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pkijs from 'pkijs';
import { readGostPrivateKey } from '../../src/crypto/gost/nca-gost.js';
import { ATTR, EKU, POLICY } from '../../src/crypto/oids.js';
import { bufferSource, toHex } from '../../src/crypto/pem.js';
import { writeNcaKeyFile } from '../../src/crypto/pkcs12-writer.js';
import {
  generateGostKeyPair,
  generateRsaKey,
  issueCertificate,
  issueCrl,
  keyIdentifier,
  type Issuer,
  type NameEntry,
  type SigningKey,
} from './certificates.js';
import { answerOcsp, type OcspIssuer } from './demo-ocsp.js';

/**
 * What a key is for: 'auth' logs in (an RSA AUTH key, or a GOST 2015 key,
 * which serves both), 'sign' only signs (RSA SIGN), 'expired-auth' is a
 * login key past its date, 'revoked-auth' a login key its CA has revoked
 * (listed on the CRL).
 */
export type DemoKeyKind = 'auth' | 'sign' | 'expired-auth' | 'revoked-auth';
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
  /**
   * The URL the demo certificates name as their CRL distribution point,
   * without the file name, and the folder of their OCSP responder:
   * `<origin>/demo-pki/`.
   */
  crlBaseUrl: string;
  /**
   * Both issuing CAs' CRLs, signed at most a day before `now` (signed
   * anew when older) and valid for a week, the revoked key listed.
   */
  currentCrls(now?: Date): Promise<DemoCrl[]>;
  /**
   * The OCSP responder the demo certificates name (`<origin>/demo-pki/
   * ocsp`): the DER OCSPResponse for a DER OCSPRequest.
   */
  answerOcsp(request: Uint8Array, now?: Date): Promise<Uint8Array>;
}

export interface DemoCrl {
  /** The file name under `crlBaseUrl`, e.g. "gost-issuing-ca.crl". */
  name: string;
  der: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date;
}

export interface DemoPkiOptions {
  /**
   * The demo server's public origin, named in the certificates' CRL
   * distribution points; default http://localhost:8080.
   */
  publicOrigin?: string;
  /** Told what happened: loaded, generated, or generated anew and why. */
  log?: (line: string) => void;
}

/** The path the demo server publishes the CRLs and answers OCSP under. */
export const DEMO_PKI_PATH = '/demo-pki/';
/** The OCSP responder's name under DEMO_PKI_PATH. */
export const DEMO_OCSP_NAME = 'ocsp';

/** Meets NCA's rule: 6-32 characters, upper case, lower case, a digit. */
export const DEMO_PASSWORD = 'Demo2026';

const MANIFEST = 'demo-pki.json';
const ROOT_FILE = 'root-ca.cer';
const ISSUING_FILE = 'issuing-ca.cer';
const RSA_ROOT_FILE = 'rsa-root-ca.cer';
const RSA_ISSUING_FILE = 'rsa-issuing-ca.cer';
/**
 * The issuing CAs' private keys (PKCS#8 DER), so that the demo can sign
 * CRLs. A demo CA only: the folder lives in the git-ignored demo-data/ and
 * is never committed; no real CA keeps its key in a file beside the app.
 */
const CA_KEYS_DIR = 'ca-keys';
const CA_KEY_FILE = { gost: 'gost-issuing-ca.p8', rsa: 'rsa-issuing-ca.p8' };
/** Where the CRLs last signed are written, for people and their tools. */
const CRL_DIR = 'crl';
const CRL_FILE = { gost: 'gost-issuing-ca.crl', rsa: 'rsa-issuing-ca.crl' };
/**
 * 3: CA keys kept, CRLs named in the certificates, a revoked key.
 * 2: GOST CAs and keys beside the RSA ones. An older folder is redone.
 */
const MANIFEST_VERSION = 3;
/** CRLReason keyCompromise: the story of the demo's revoked key. */
const REASON_KEY_COMPROMISE = 1;
/** How long a demo CRL is valid, and when the server signs a new one. */
const CRL_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const CRL_RESIGN_MS = 24 * 60 * 60 * 1000;

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
  {
    // A key reported lost: valid dates, on the CA's CRL.
    folder: 'aigerim-sadykova-revoked',
    surname: 'САДЫҚОВА',
    name: 'АЙГЕРІМ',
    patronymic: 'МАРАТҚЫЗЫ',
    iin: '900625400121',
    kind: 'revoked-auth',
    algorithm: 'gost',
  },
];

interface Manifest {
  version: number;
  password: string;
  createdAt: string;
  /** When the issuing CA expires; a later load regenerates after that. */
  issuingNotAfter: string;
  /** What the certificates name as their CRLs' folder. */
  crlBaseUrl: string;
  /** Certificates on the CRLs. */
  revoked: Array<{
    algorithm: DemoKeyAlgorithm;
    /** The certificate's serial number, hex of its INTEGER bytes. */
    serial: string;
    date: string;
  }>;
  people: Array<{
    iin: string;
    fullName: string;
    /** Relative to the PKI folder, with forward slashes. */
    keyFile: string;
    kind: DemoKeyKind;
    algorithm: DemoKeyAlgorithm;
    notAfter: string;
    /** The certificate's serial number, hex of its INTEGER bytes. */
    serial: string;
  }>;
}

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/**
 * Loads the demo PKI from `dir`, or generates it there when the folder has
 * none, one an older version made (without CA keys, it could not sign a
 * CRL), or one that has run out (a demo key older than a year). Says
 * which through `options.log`.
 */
export async function ensureDemoPki(
  dir: string,
  options: DemoPkiOptions = {},
): Promise<DemoPki> {
  const root = resolve(dir);
  const log = options.log ?? (() => {});
  const origin = (options.publicOrigin ?? 'http://localhost:8080').replace(
    /\/$/,
    '',
  );
  const found = await loadDemoPki(root);
  if (found.pki) {
    if (found.pki.crlBaseUrl !== `${origin}${DEMO_PKI_PATH}`) {
      // The key files stay; the server hands its CRLs to its own checker,
      // so only other tools that follow the certificates' URL miss them.
      log(
        `The demo certificates name their CRLs at ${found.pki.crlBaseUrl}, ` +
          `not at this server's ${origin}${DEMO_PKI_PATH}; delete ${root} ` +
          'to make new ones.',
      );
    }
    return found.pki;
  }
  if (found.reason) {
    log(`${found.reason}: generating a new demo PKI in ${root}.`);
  }
  return generateDemoPki(root, origin);
}

/** The PKI in `dir`, or why there is none to use. */
async function loadDemoPki(
  dir: string,
): Promise<{ pki?: DemoPki; reason?: string }> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return {};
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
  if (manifest.version !== MANIFEST_VERSION) {
    return {
      reason:
        `The demo PKI was made by an older version (${manifest.version}, ` +
        'without CA keys to sign a CRL); its key files are replaced',
    };
  }
  const now = Date.now();
  const stale =
    Date.parse(manifest.issuingNotAfter) < now + DAY ||
    manifest.people.some(
      (p) => p.kind !== 'expired-auth' && Date.parse(p.notAfter) < now,
    ) ||
    manifest.people.some((p) => !existsSync(join(dir, p.keyFile))) ||
    Object.values(CA_KEY_FILE).some(
      (file) => !existsSync(join(dir, CA_KEYS_DIR, file)),
    );
  if (stale) {
    return { reason: 'The demo PKI has expired or lost a file' };
  }

  const read = async (...file: string[]) =>
    new Uint8Array(await readFile(join(dir, ...file)));
  const rootCertificate = await read(ROOT_FILE);
  const issuingCertificate = await read(ISSUING_FILE);
  const rsaRootCertificate = await read(RSA_ROOT_FILE);
  const rsaIssuingCertificate = await read(RSA_ISSUING_FILE);
  const issuers: Record<DemoKeyAlgorithm, Issuer> = {
    gost: await loadIssuer(
      'gost',
      issuingCertificate,
      await read(CA_KEYS_DIR, CA_KEY_FILE.gost),
    ),
    rsa: await loadIssuer(
      'rsa',
      rsaIssuingCertificate,
      await read(CA_KEYS_DIR, CA_KEY_FILE.rsa),
    ),
  };
  return {
    pki: {
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
      crlBaseUrl: manifest.crlBaseUrl,
      currentCrls: crlPublisher(dir, issuers, manifest.revoked),
      answerOcsp: (request, now) =>
        answerOcsp(
          request,
          [
            ocspIssuer('gost', issuingCertificate, issuers.gost, manifest),
            ocspIssuer('rsa', rsaIssuingCertificate, issuers.rsa, manifest),
          ],
          now,
        ),
    },
  };
}

/** What the OCSP responder of one issuing CA knows. */
function ocspIssuer(
  algorithm: DemoKeyAlgorithm,
  certificate: Uint8Array,
  issuer: Issuer,
  manifest: Manifest,
): OcspIssuer {
  return {
    certificate,
    issuer,
    issued: new Set(
      manifest.people
        .filter((p) => p.algorithm === algorithm)
        .map((p) => p.serial),
    ),
    revoked: new Map(
      manifest.revoked
        .filter((r) => r.algorithm === algorithm)
        .map((r) => [r.serial, new Date(r.date)]),
    ),
  };
}

/** An issuing CA as a signer again, from its certificate and key file. */
async function loadIssuer(
  algorithm: DemoKeyAlgorithm,
  certificate: Uint8Array,
  privateKeyInfo: Uint8Array,
): Promise<Issuer> {
  const cert = pkijs.Certificate.fromBER(bufferSource(certificate));
  const publicKeyInfo = new Uint8Array(
    cert.subjectPublicKeyInfo.toSchema().toBER(false),
  );
  const privateKey: SigningKey =
    algorithm === 'gost'
      ? readGostPrivateKey(privateKeyInfo)
      : await globalThis.crypto.subtle.importKey(
          'pkcs8',
          bufferSource(privateKeyInfo),
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['sign'],
        );
  return { name: NAMES[algorithm].issuing, privateKey, publicKeyInfo };
}

/**
 * Signs both CAs' CRLs on first use and again once they are a day old;
 * each signing is also written to crl/ for a person to inspect.
 */
function crlPublisher(
  dir: string,
  issuers: Record<DemoKeyAlgorithm, Issuer>,
  revoked: Manifest['revoked'],
): (now?: Date) => Promise<DemoCrl[]> {
  let current: Promise<DemoCrl[]> | null = null;
  let signedAt = 0;
  const sign = async (now: Date): Promise<DemoCrl[]> => {
    const crls: DemoCrl[] = [];
    for (const algorithm of ['gost', 'rsa'] as const) {
      const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const nextUpdate = new Date(thisUpdate.getTime() + CRL_LIFETIME_MS);
      const der = await issueCrl({
        issuer: issuers[algorithm],
        thisUpdate,
        nextUpdate,
        // Seconds since 1970: a later CRL always has a higher number.
        number: thisUpdate.getTime() / 1000,
        revoked: revoked
          .filter((r) => r.algorithm === algorithm)
          .map((r) => ({
            serial: new Uint8Array(Buffer.from(r.serial, 'hex')),
            date: new Date(r.date),
            reason: REASON_KEY_COMPROMISE,
          })),
      });
      crls.push({ name: CRL_FILE[algorithm], der, thisUpdate, nextUpdate });
    }
    await mkdir(join(dir, CRL_DIR), { recursive: true });
    for (const crl of crls) {
      await writeFile(join(dir, CRL_DIR, crl.name), crl.der);
    }
    return crls;
  };
  return (now = new Date()) => {
    if (!current || now.getTime() - signedAt >= CRL_RESIGN_MS) {
      signedAt = now.getTime();
      current = sign(now);
      // A failed signing is tried again on the next call.
      current.catch(() => {
        current = null;
      });
    }
    return current;
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
  revocationUrls: { crl: string[]; ocsp: string[] },
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
    revocationUrls,
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
  return {
    root,
    issuing,
    issuer,
    issuingNotAfter,
    issuingKeyInfo: issuingKey.privateKeyInfo,
  };
}

/**
 * NCA's file names: GOST512_<hex>.p12 for a GOST 2015 key,
 * AUTH_RSA256_<hex>.p12 and RSA256_<hex>.p12 (the signing key) for RSA.
 */
function filePrefix(person: PersonSpec): string {
  if (person.algorithm === 'gost') return 'GOST512';
  return person.kind === 'sign' ? 'RSA256' : 'AUTH_RSA256';
}

async function generateDemoPki(
  dir: string,
  origin: string,
): Promise<DemoPki> {
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

  const crlBaseUrl = `${origin}${DEMO_PKI_PATH}`;
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    password: DEMO_PASSWORD,
    createdAt: new Date(now).toISOString(),
    issuingNotAfter: issuingNotAfter.toISOString(),
    crlBaseUrl,
    revoked: [],
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
      {
        crl: [crlBaseUrl + CRL_FILE[person.algorithm]],
        ocsp: [crlBaseUrl + DEMO_OCSP_NAME],
      },
    );
    const cert = pkijs.Certificate.fromBER(bufferSource(certificate));
    const serial = toHex(cert.serialNumber.valueBlock.valueHexView);
    if (person.kind === 'revoked-auth') {
      manifest.revoked.push({
        algorithm: person.algorithm,
        serial,
        date: new Date(now).toISOString(),
      });
    }
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
      serial,
    });
  }

  await writeFile(join(dir, ROOT_FILE), gostCas.root);
  await writeFile(join(dir, ISSUING_FILE), gostCas.issuing);
  await writeFile(join(dir, RSA_ROOT_FILE), rsaCas.root);
  await writeFile(join(dir, RSA_ISSUING_FILE), rsaCas.issuing);
  // Demo only (see CA_KEYS_DIR): readable by this user alone.
  await mkdir(join(dir, CA_KEYS_DIR), { recursive: true, mode: 0o700 });
  for (const [algorithm, cas] of [
    ['gost', gostCas],
    ['rsa', rsaCas],
  ] as const) {
    await writeFile(
      join(dir, CA_KEYS_DIR, CA_KEY_FILE[algorithm]),
      cas.issuingKeyInfo,
      { mode: 0o600 },
    );
  }
  await writeFile(join(dir, 'README.txt'), readme(manifest));
  // The manifest goes last, through a rename, so that a run cut short
  // leaves no manifest and the next run starts over.
  const temp = join(dir, `${MANIFEST}.tmp`);
  await writeFile(temp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(temp, join(dir, MANIFEST));

  const loaded = await loadDemoPki(dir);
  if (!loaded.pki) throw new Error(`The demo PKI in ${dir} did not load back.`);
  return loaded.pki;
}

const KIND_TEXT: Record<DemoKeyKind, string> = {
  auth: 'login key, valid',
  sign: 'signing key (SIGN): a portal refuses it for login',
  'expired-auth': 'login key, expired: a portal refuses it',
  'revoked-auth':
    'login key, revoked (on the CRL): refused with CERT_REVOKED',
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
    `The issuing CAs' private keys are in ${CA_KEYS_DIR}/, so that the ` +
      'demo server can sign CRLs: a demo CA only, never to be copied.',
    `CRLs: ${manifest.crlBaseUrl}${CRL_FILE.gost} and ` +
      `${CRL_FILE.rsa} (last signed copies in ${CRL_DIR}/); OCSP: ` +
      `${manifest.crlBaseUrl}${DEMO_OCSP_NAME}.`,
    `Delete this folder to generate a new demo PKI.`,
    '',
  ].join('\n');
}
