/**
 * The `qoltanba` command line: for people who handle NCA key files and
 * signatures. bin/qoltanba.mjs runs main() with the process's streams.
 *
 * Each command lives in its own file and returns its exit code; a
 * CliError thrown anywhere becomes a message (or, with --json, a JSON
 * object on standard output) and its own exit code.
 */
import {
  CliError,
  EXIT,
  usageError,
  type CliIo,
  type ExitCode,
} from './common.js';
import { jsonText } from './format.js';
import { runIin } from './iin.js';
import { runInspect } from './inspect.js';
import { runVerify } from './verify.js';

export const MAIN_HELP = `Usage: qoltanba <command> [options]

Commands:
  inspect <file.p12>   show the certificates of an NCA key file
  verify <file.cms>    verify a CMS signature and each of its signers
  iin <IIN>            check an IIN, decode its birth date and sex

Every command takes --json (machine-readable output) and --help.
With --json, errors are printed as {"error": {"code", "message"}} on
standard output, with the same exit code.

Exit codes:
  0   success: opened, valid
  1   verify: a signature or chain is not valid; iin: not a valid IIN
  2   usage: unknown command or option, missing argument, --password
      given, no password source
  3   a file or folder cannot be read
  4   wrong password
  5   not a key file (inspect), not a CMS signature (verify)
  6   the key file holds no private key with its certificate
  7   unsupported algorithm or kind of key (e.g. GOST 34.310-2004)
  8   damaged key file
  9   verify: detached signature without --content, or content differs
  70  internal error (please report it)
  130 interrupted at the password prompt
`;

const COMMANDS: Record<
  string,
  (args: string[], io: CliIo) => Promise<ExitCode>
> = {
  inspect: runInspect,
  verify: runVerify,
  iin: runIin,
};

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    stdin: process.stdin,
  };
}

/** Runs one command line (without "node" and the script) and its code. */
export async function main(argv: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv;
  const json = argv.includes('--json');
  try {
    if (command === undefined) {
      io.err(MAIN_HELP);
      return EXIT.usage;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(MAIN_HELP);
      return EXIT.ok;
    }
    const run = COMMANDS[command];
    if (!run) throw usageError(`Unknown command "${command}".`);
    return await run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      if (json) {
        io.out(
          jsonText({ error: { code: error.code, message: error.message } }),
        );
      } else {
        io.err(`qoltanba: ${error.message}\n`);
      }
      return error.exitCode;
    }
    const detail = error instanceof Error ? error.stack : String(error);
    if (json) {
      io.out(
        jsonText({ error: { code: 'INTERNAL', message: String(error) } }),
      );
    }
    io.err(`qoltanba: internal error, please report it:\n${detail}\n`);
    return EXIT.internal;
  }
}
