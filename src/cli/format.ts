/**
 * Human output of the CLI: labelled rows, the certificate as the key list
 * shows it, and algorithm names as people know them. Dates and validity
 * periods come from src/messages/format.ts, so a terminal prints them as
 * the portal does ("20.10.2018 (13:00) - 20.10.2019 (13:00)"), in the
 * machine's time zone.
 */
import { checkIin, NCA_TEST_IINS, type IinProblem } from '../core/iin.js';
import { ALG } from '../crypto/oids.js';
import type { CertificateInfo } from '../crypto/types.js';
import { formatDateTime, formatPeriod } from '../messages/format.js';

/** "  Label      value" lines, the values in one column. */
export function rows(
  entries: Array<[string, string | undefined]>,
  indent = '  ',
): string {
  const shown = entries.filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown
    .map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`)
    .join('\n');
}

const PURPOSES: Record<CertificateInfo['purpose'], string> = {
  auth: 'auth (log in)',
  sign: 'sign (documents only)',
  both: 'both (log in and sign)',
  unknown: 'unknown',
};

const HOLDERS: Record<CertificateInfo['holder'], string> = {
  individual: 'individual',
  'legal-entity': "legal entity (an organisation's employee)",
  system: 'information system (no person named)',
};

/** The certificate's validity at `now`, in a few words. */
export function validityStatus(info: CertificateInfo, now: Date): string {
  if (now < info.notBefore) {
    return `not yet valid (from ${formatDateTime(info.notBefore)})`;
  }
  if (now > info.notAfter) {
    return `expired on ${formatDateTime(info.notAfter)}`;
  }
  return 'within its validity period (revocation not checked)';
}

/**
 * The IIN with a note when it fails the rules: NCA's test persons carry
 * IINs that are not valid, and someone handling the file should know.
 */
function iinText(iin: string): string {
  const check = checkIin(iin);
  if (check.valid) return iin;
  if (NCA_TEST_IINS.includes(iin)) {
    return `${iin} (an NCA test IIN, not a valid one)`;
  }
  return `${iin} (not a valid IIN: ${iinProblemText(check.problem)})`;
}

/** The rows the key list shows for one certificate, in its order. */
export function certificateRows(
  info: CertificateInfo,
  now: Date,
): Array<[string, string | undefined]> {
  return [
    ['Owner', info.fullName],
    ['IIN', info.iin === undefined ? undefined : iinText(info.iin)],
    ['Organisation', info.organisation],
    ['BIN', info.bin],
    ['Validity', formatPeriod(info.notBefore, info.notAfter)],
    ['Status', validityStatus(info, now)],
    ['Serial', info.serialNumber],
    ['Issuer', info.issuerCommonName],
    ['Algorithm', info.algorithmName],
    ['Purpose', PURPOSES[info.purpose]],
    ['Holder', HOLDERS[info.holder]],
  ];
}

const ALGORITHM_NAMES: Record<string, string> = {
  [ALG.sha1]: 'SHA-1',
  [ALG.sha256]: 'SHA-256',
  [ALG.sha384]: 'SHA-384',
  [ALG.sha512]: 'SHA-512',
  [ALG.streebog512]: 'Streebog-512',
  [ALG.gost2004Digest]: 'ГОСТ 34.311-95',
  '1.2.643.7.1.1.2.2': 'Streebog-256',
  '1.2.643.7.1.1.2.3': 'Streebog-512',
  [ALG.rsaEncryption]: 'RSA',
  [ALG.sha1WithRsa]: 'RSA with SHA-1',
  [ALG.sha256WithRsa]: 'RSA with SHA-256',
  [ALG.sha384WithRsa]: 'RSA with SHA-384',
  [ALG.sha512WithRsa]: 'RSA with SHA-512',
  [ALG.gost2015Signature512]: 'ГОСТ 34.10-2015 512 with Streebog-512',
  [ALG.gost2004Signature]: 'ГОСТ 34.310-2004',
  '1.2.643.7.1.1.3.2': 'ГОСТ 34.10-2012 256 with Streebog-256',
  '1.2.643.7.1.1.3.3': 'ГОСТ 34.10-2012 512 with Streebog-512',
};

/** A digest or signature algorithm's name, or its OID when unknown. */
export function algorithmName(oid: string): string {
  return ALGORITHM_NAMES[oid] ?? oid;
}

/** Why an IIN is not valid, as a clause after "not valid: ". */
export function iinProblemText(problem: IinProblem): string {
  switch (problem) {
    case 'empty':
      return 'it is empty';
    case 'not-digits':
      return 'it must contain only digits';
    case 'wrong-length':
      return 'it must be 12 digits long';
    case 'unknown-century':
      return 'the 7th digit (century and sex) must be from 1 to 6';
    case 'impossible-date':
      return 'the first 6 digits are not a real date of birth (YYMMDD) ' +
        'on or before today';
    case 'checksum':
      return 'the last (check) digit does not match the first 11';
  }
}

/**
 * JSON text with dates as ISO strings and bytes left out, two-space
 * indented, ending in a newline.
 */
export function jsonText(value: unknown): string {
  const withoutBytes = (_key: string, item: unknown) =>
    item instanceof Uint8Array ? undefined : item;
  return `${JSON.stringify(value, withoutBytes, 2)}\n`;
}
