/**
 * `qoltanba verify <file.cms>`: verifies every signer of a CMS SignedData
 * (attached, or detached with --content) and prints each signer and the
 * verdict.
 *
 * The verdict: every signer's signature is valid and, when trust anchors
 * are given, every signer's certificate chains to one of them at the
 * checked time. Whether the signer's certificate was within its validity
 * at that time is shown but does not decide it: a document signature
 * outlives its certificate, and --at lets the user check the moment of
 * signing.
 */
import { basename } from 'node:path';
import {
  verifyCms,
  VerifyError,
  type CmsReport,
  type CmsSignerReport,
} from '../crypto/cms-verify.js';
import { formatDateTime } from '../messages/format.js';
import { loadTrustAnchors } from '../../server/trust-anchors.js';
import {
  CliError,
  COMMON_OPTIONS,
  EXIT,
  onePositional,
  parseCommandArgs,
  readInputFile,
  unreadable,
  usageError,
  type CliIo,
  type ExitCode,
} from './common.js';
import { guessFileKind } from './file-kind.js';
import { algorithmName, jsonText, rows } from './format.js';

export const VERIFY_HELP = `Usage: qoltanba verify <file.cms> [--content FILE]
         [--trust-anchors DIR] [--at ISO-TIME] [--json]

Verifies a CMS SignedData (.cms, .p7s, .der; DER, base64 or PEM) as
NCALayer and Kalkan make it, and prints each signer: name, IIN,
algorithm, signing time, and the signature, time and chain verdicts.

The signature is valid when every signer's signature is valid and, with
--trust-anchors, every signer's certificate chains to one of the anchors
at the checked time. Whether a certificate was within its validity at
that time is shown but does not decide the verdict; check at the moment
of signing with --at.

Options:
  --content FILE        the signed content of a detached signature
  --trust-anchors DIR   a folder of CA certificates (.cer, .crt, .pem,
                        .der; DER or PEM) the chains must end at
  --at ISO-TIME         check at this time (e.g. 2022-09-28T12:00:00Z)
                        instead of now
  --json                print JSON instead of text
  -h, --help            show this help

Exit codes:
  0  valid                      5  not a CMS signature
  1  not valid                  9  detached and no --content, or the
  2  usage                         attached content differs from it
  3  a file cannot be read
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  content: { type: 'string' },
  'trust-anchors': { type: 'string' },
  at: { type: 'string' },
} as const;

function parseTime(text: string): Date {
  // Only ISO 8601 forms; Date.parse also takes "March 3", which a script
  // should not rely on.
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(
    text,
  )
    ? new Date(text)
    : new Date(NaN);
  if (Number.isNaN(time.getTime())) {
    throw usageError(
      `--at ${text} is not an ISO 8601 time such as 2022-09-28T12:00:00Z.`,
      'verify',
    );
  }
  return time;
}

async function trustAnchorsFrom(dir: string): Promise<Uint8Array[]> {
  let anchors: Uint8Array[];
  try {
    anchors = await loadTrustAnchors(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) {
      throw unreadable(dir, 'trust anchor folder', error);
    }
    throw new CliError(
      EXIT.unreadable,
      'UNREADABLE',
      `In the trust anchor folder ${dir}: ${(error as Error).message}.`,
    );
  }
  // An empty folder would silently turn chain checking off.
  if (anchors.length === 0) {
    throw new CliError(
      EXIT.unreadable,
      'NO_TRUST_ANCHORS',
      `The trust anchor folder ${dir} holds no certificate files ` +
        '(.cer, .crt, .pem, .der).',
    );
  }
  return anchors;
}

/** DER stays bytes; anything else is text (base64 or PEM). */
function cmsInput(bytes: Uint8Array): string | Uint8Array {
  return bytes[0] === 0x30 ? bytes : new TextDecoder().decode(bytes);
}

/** The CLI's verdict on one signer (see the module comment). */
function signerValid(signer: CmsSignerReport): boolean {
  return signer.signatureValid && signer.chainValid !== false;
}

function verifyFailure(
  error: VerifyError,
  hasContent: boolean,
  input: Uint8Array,
): CliError {
  if (error.code === 'CONTENT_MISMATCH') {
    return new CliError(
      EXIT.content,
      error.code,
      hasContent
        ? `${error.message} Leave out --content for an attached signature.`
        : 'The signature is detached: it does not carry the signed ' +
            'content. Give the content with --content FILE.',
    );
  }
  if (error.code !== 'SIGNATURE_MALFORMED') {
    return new CliError(EXIT.wrongKind, error.code, error.message);
  }
  // Say what the file is rather than where the parser stopped.
  const kind = guessFileKind(input);
  const what =
    kind === 'key-file'
      ? 'This is a key file (PKCS#12), not a signature. To see its keys: ' +
        'qoltanba inspect FILE.'
      : kind === 'certificate'
        ? 'This is a certificate, not a signature. To see it: qoltanba ' +
          'inspect FILE.'
        : kind === 'signature'
          ? `This signature is damaged or not as CMS requires (${
              error.message.replace(/^Not a CMS signature: |\.$/g, '')
            }).`
          : 'This file is not a CMS signature.';
  return new CliError(
    EXIT.wrongKind,
    error.code,
    `${what} Give a CMS SignedData file: DER, base64 or PEM.`,
  );
}

function timeText(signer: CmsSignerReport, at: Date): string {
  const info = signer.certificate;
  if (signer.timeValid) return `valid at ${formatDateTime(at)}`;
  if (!info) return 'not checked (no certificate)';
  return at < info.notBefore
    ? `not yet valid: valid from ${formatDateTime(info.notBefore)}, ` +
        `checked at ${formatDateTime(at)}`
    : `expired on ${formatDateTime(info.notAfter)}, ` +
        `checked at ${formatDateTime(at)}`;
}

function chainText(signer: CmsSignerReport): string {
  if (signer.chainValid === null) return 'not checked (no --trust-anchors)';
  return signer.chainValid
    ? 'valid: chains to a trust anchor'
    : 'NOT VALID: does not chain to a trust anchor at that time';
}

function signerBlock(signer: CmsSignerReport, at: Date): string {
  const info = signer.certificate;
  const signature = signer.signatureValid
    ? 'valid'
    : `NOT VALID: ${signer.error?.message ?? 'unknown reason'}`;
  // The certificate's key names the scheme as people know it; without a
  // certificate, the SignerInfo's own signature algorithm has to do.
  const scheme =
    info?.algorithmName ?? algorithmName(signer.signatureAlgorithm);
  return `Signer ${signer.index + 1}\n${rows([
    ['Name', info?.fullName ?? '(certificate not included)'],
    ['IIN', info?.iin],
    ['Organisation', info?.organisation],
    ['BIN', info?.bin],
    ['Issuer', info?.issuerCommonName],
    ['Algorithm', `${scheme}, ${algorithmName(signer.digestAlgorithm)}`],
    [
      'Signing time',
      signer.signingTime ? formatDateTime(signer.signingTime) : 'not given',
    ],
    ['Signature', signature],
    ['Certificate', timeText(signer, at)],
    ['Chain', chainText(signer)],
  ])}\n`;
}

function verdictText(
  valid: boolean,
  report: CmsReport,
  anchored: boolean,
  at: Date,
): string {
  const signers = report.signers.length;
  if (signers === 0) return 'NOT VALID: the signature has no signers.';
  if (!valid) {
    const bad = report.signers.filter((s) => !signerValid(s)).length;
    return `NOT VALID: ${bad} of ${signers} signer(s) failed.`;
  }
  const verdict = anchored
    ? 'VALID: every signature is valid and chains to a trust anchor.'
    : 'VALID: every signature is valid. Chains were not checked: give ' +
      '--trust-anchors to check who issued the certificates.';
  const outside = report.signers.filter((s) => !s.timeValid).length;
  if (outside === 0) return verdict;
  // Not part of the verdict (see the module comment), but never hidden.
  return (
    `${verdict}
Note: ${outside} of ${signers} signer(s) had a ` +
    `certificate outside its validity at ${formatDateTime(at)}; ` +
    'check at the signing time with --at.'
  );
}

function jsonReport(
  path: string,
  report: CmsReport,
  valid: boolean,
  at: Date,
  anchorCount: number | null,
) {
  return {
    file: path,
    valid,
    time: at,
    trustAnchors: anchorCount,
    detached: report.detached,
    contentType: report.contentType,
    contentLength: report.content?.length ?? null,
    signers: report.signers.map((signer) => ({
      index: signer.index,
      valid: signerValid(signer),
      name: signer.certificate?.fullName ?? null,
      iin: signer.certificate?.iin ?? null,
      signingTime: signer.signingTime ?? null,
      digestAlgorithm: {
        oid: signer.digestAlgorithm,
        name: algorithmName(signer.digestAlgorithm),
      },
      signatureAlgorithm: {
        oid: signer.signatureAlgorithm,
        name: algorithmName(signer.signatureAlgorithm),
      },
      signatureValid: signer.signatureValid,
      timeValid: signer.timeValid,
      chainValid: signer.chainValid,
      error: signer.error ?? null,
      certificate: signer.certificate ?? null,
    })),
  };
}

export async function runVerify(
  args: string[],
  io: CliIo,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('verify', args, OPTIONS);
  if (values.help) {
    io.out(VERIFY_HELP);
    return EXIT.ok;
  }
  const path = onePositional('verify', positionals, 'the CMS file');
  const at = values.at === undefined ? new Date() : parseTime(values.at);
  const cms = await readInputFile(path, 'CMS file');
  const content =
    values.content === undefined
      ? undefined
      : await readInputFile(values.content, 'content file');
  const anchorsDir = values['trust-anchors'];
  const trustAnchors =
    anchorsDir === undefined ? undefined : await trustAnchorsFrom(anchorsDir);

  let report: CmsReport;
  try {
    report = await verifyCms({
      cms: cmsInput(cms),
      time: at,
      ...(content ? { content } : {}),
      ...(trustAnchors ? { trustAnchors } : {}),
    });
  } catch (error) {
    if (error instanceof VerifyError) {
      throw verifyFailure(error, content !== undefined, cms);
    }
    // verifyCms names a list entry it cannot read as a certificate.
    const message = error instanceof Error ? error.message : '';
    if (anchorsDir !== undefined && message.startsWith('trustAnchors[')) {
      throw new CliError(
        EXIT.unreadable,
        'UNREADABLE',
        `A file in the trust anchor folder ${anchorsDir} is not a ` +
          `certificate (${message})`,
      );
    }
    throw error;
  }

  const valid =
    report.signers.length > 0 && report.signers.every(signerValid);
  const code = valid ? EXIT.ok : EXIT.invalid;
  if (values.json) {
    const count = trustAnchors?.length ?? null;
    io.out(jsonText(jsonReport(path, report, valid, at, count)));
    return code;
  }
  const signers = report.signers.length;
  const kind = report.detached ? 'detached' : 'attached';
  const header =
    `${basename(path)}: ${kind} content of ` +
    `${report.content?.length ?? 0} bytes, ` +
    `${signers === 1 ? '1 signer' : `${signers} signers`}, ` +
    `checked at ${formatDateTime(at)}`;
  const blocks = report.signers.map((signer) => signerBlock(signer, at));
  io.out(
    `${header}\n\n${blocks.join('\n')}\n` +
      `${verdictText(valid, report, trustAnchors !== undefined, at)}\n`,
  );
  return code;
}
