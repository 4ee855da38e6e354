/**
 * Demo mode only: facts for the demo page and downloads of the demo key
 * files.
 *
 *   GET /api/demo/info                   -> DemoInfo
 *   GET /demo-keys/<folder>/<file>.p12   -> the key file
 *   GET /demo-pki/<ca>.crl               -> a demo CA's CRL, as the demo
 *                                           certificates name it
 *   POST /demo-pki/ocsp                  -> the demo CAs' OCSP answer
 *
 * Downloads are looked up in a table made from the demo PKI's own list, so
 * no other file can be reached, whatever the path says.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  DEMO_CHILDREN,
  DEMO_PARENTS,
  type DemoScenario,
} from '../demo-seed.js';
import { ApiHttpError } from '../errors.js';
import { DEMO_OCSP_NAME, DEMO_PKI_PATH } from '../pki/demo-pki.js';

/** An OCSP request names one certificate: a few hundred bytes. */
const OCSP_BODY_LIMIT = 16 * 1024;

/** What the server needs of the demo PKI (server/pki/demo-pki.ts). */
export interface DemoKeys {
  dir: string;
  password: string;
  people: Array<{
    iin: string;
    fullName: string;
    /** Absolute path of the .p12 file, inside `dir`. */
    keyFile: string;
    kind: string;
  }>;
  /** The demo CAs' CRLs, signed afresh as they age (demo-pki.ts). */
  currentCrls?: () => Promise<Array<{ name: string; der: Uint8Array }>>;
  /** The demo CAs' OCSP responder: DER request in, DER response out. */
  answerOcsp?: (request: Uint8Array) => Promise<Uint8Array>;
}

export interface DemoInfo {
  /** The folder that holds the key files, as an absolute path. */
  keyFolder: string;
  /** The password of every demo key file. */
  password: string;
  keys: Array<{
    iin: string;
    fullName: string;
    kind: string;
    fileName: string;
    /** Absolute path on the server's machine. */
    path: string;
    /** Where the page can download it. */
    url: string;
  }>;
  /** IINs to type into the linking form, and what each one shows. */
  children: Array<{
    iin: string;
    fullName: string;
    birthDate: string;
    scenario: DemoScenario;
    /** The IIN of the parent for whom the scenario holds. */
    tryAs: string;
    tryAsName: string;
  }>;
  /** Whether NCA's test persons may log in (their CA must be configured). */
  acceptsNcaTestIins: boolean;
  /** Whether logins are checked against CRLs (the revoked key refused). */
  revocationChecked: boolean;
}

export const DEMO_KEYS_PREFIX = '/demo-keys/';

/** The download path of each key file, e.g. "aigerim-sadykova/AUTH.p12". */
function downloadTable(keys: DemoKeys): Map<string, string> {
  const table = new Map<string, string>();
  for (const person of keys.people) {
    const parts = relative(keys.dir, person.keyFile).split(sep);
    // The PKI keeps each person's files in keys/<person>/; the URL leaves
    // out the "keys" folder that every path shares.
    if (parts[0] === 'keys' && parts.length > 2) parts.shift();
    if (parts.some((p) => p === '..' || p === '')) continue;
    table.set(parts.join('/'), person.keyFile);
  }
  return table;
}

export function demoRoutes(
  app: FastifyInstance,
  apiPrefix: string,
  keys: DemoKeys,
  acceptsNcaTestIins: boolean,
  revocationChecked: boolean,
): void {
  const table = downloadTable(keys);
  const urlOf = new Map([...table].map(([url, file]) => [file, url]));
  // Show the folder a person opens in a file dialog: the PKI's keys/ when
  // every key file is there.
  const keysDir = join(keys.dir, 'keys');
  const keyFolder = keys.people.every((p) =>
    p.keyFile.startsWith(keysDir + sep),
  )
    ? keysDir
    : keys.dir;

  app.get(`${apiPrefix}/demo/info`, async (request) => {
    request.outcome = 'OK';
    const info: DemoInfo = {
      keyFolder,
      password: keys.password,
      keys: keys.people.map((p) => {
        const url = urlOf.get(p.keyFile) ?? '';
        return {
          iin: p.iin,
          fullName: p.fullName,
          kind: p.kind,
          fileName: url.split('/').at(-1) ?? '',
          path: p.keyFile,
          url:
            DEMO_KEYS_PREFIX +
            url.split('/').map(encodeURIComponent).join('/'),
        };
      }),
      children: DEMO_CHILDREN.map((c) => ({
        iin: c.iin,
        fullName: c.fullName,
        birthDate: c.birthDate,
        scenario: c.scenario,
        tryAs: c.tryAs,
        tryAsName:
          DEMO_PARENTS.find((p) => p.iin === c.tryAs)?.fullName ?? c.tryAs,
      })),
      acceptsNcaTestIins,
      revocationChecked,
    };
    return info;
  });

  app.get(`${DEMO_KEYS_PREFIX}*`, async (request, reply) => {
    const wanted = (request.params as { '*': string })['*'];
    const file = table.get(wanted);
    if (!file) throw new ApiHttpError('NOT_FOUND', 'No such demo key file.');
    const bytes = await readFile(file);
    const name = wanted.split('/').at(-1)!;
    request.outcome = 'OK';
    return reply
      .type('application/x-pkcs12')
      .header(
        'content-disposition',
        `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
      )
      .header('cache-control', 'no-store')
      .send(bytes);
  });

  app.get<{ Params: { name: string } }>(
    `${DEMO_PKI_PATH}:name`,
    async (request, reply) => {
      const crls = keys.currentCrls ? await keys.currentCrls() : [];
      const crl = crls.find((c) => c.name === request.params.name);
      if (!crl) throw new ApiHttpError('NOT_FOUND', 'No such demo CRL.');
      request.outcome = 'OK';
      return reply
        .type('application/pkix-crl')
        .header('cache-control', 'no-cache')
        .send(Buffer.from(crl.der));
    },
  );

  const answerOcsp = keys.answerOcsp;
  if (!answerOcsp) return;
  // Its own scope, so that the OCSP body type is accepted here only.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/ocsp-request',
      { parseAs: 'buffer', bodyLimit: OCSP_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(`${DEMO_PKI_PATH}${DEMO_OCSP_NAME}`, async (request, reply) => {
      if (!(request.body instanceof Buffer)) {
        throw new ApiHttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send an OCSP request as application/ocsp-request.',
        );
      }
      const answer = await answerOcsp(new Uint8Array(request.body));
      request.outcome = 'OCSP_ANSWERED';
      return reply
        .type('application/ocsp-response')
        .send(Buffer.from(answer));
    });
  });
}
