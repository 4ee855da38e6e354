/**
 * What every command of the CLI shares: its exit codes, its one error
 * type, argument parsing with Node's parseArgs, and reading the files it
 * is given. Nothing here prints; main.ts decides where an error goes.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Exit codes, one per kind of outcome, so that a script can tell them
 * apart. The table in main.ts's help is written from the same numbers.
 */
export const EXIT = {
  ok: 0,
  /** verify: a signature or a chain is not valid; iin: not a valid IIN. */
  invalid: 1,
  /** Unknown command or option, missing argument, no password source. */
  usage: 2,
  /** A file or folder named on the command line cannot be read. */
  unreadable: 3,
  wrongPassword: 4,
  /** The file is not a key file (inspect) or not a CMS (verify). */
  wrongKind: 5,
  /** A PKCS#12 container with no private key and its certificate. */
  noKeys: 6,
  /** A cipher, MAC or key kind this library does not support. */
  unsupported: 7,
  /** The key file is recognised but cut short or damaged. */
  damaged: 8,
  /** verify: detached and no --content, or --content differs. */
  content: 9,
  /** A bug: an error nobody planned for. */
  internal: 70,
  /** The user pressed Ctrl-C at the password prompt. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the user should read, with its exit code and stable code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    /** Stable and machine-readable, e.g. WRONG_PASSWORD; shown in --json. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function usageError(message: string, command?: string): CliError {
  const help = command ? `qoltanba ${command} --help` : 'qoltanba --help';
  return new CliError(EXIT.usage, 'USAGE', `${message}\nSee ${help}.`);
}

/**
 * parseArgs in strict mode, its errors turned into usage errors that name
 * the command's help.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

interface StrictConfig<T extends Options> {
  args: string[];
  options: T;
  allowPositionals: true;
  strict: true;
}

export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<StrictConfig<T>>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw usageError(message, command);
  }
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Exactly one positional argument, else a usage error naming it. */
export function onePositional(
  command: string,
  positionals: string[],
  what: string,
): string {
  if (positionals.length === 0) {
    throw usageError(`Give ${what}.`, command);
  }
  if (positionals.length > 1) {
    throw usageError(
      `Give one ${what}, not ${positionals.length} arguments.`,
      command,
    );
  }
  return positionals[0]!;
}

/** A file's bytes, or an error that says which file and why. */
export async function readInputFile(
  path: string,
  what: string,
): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw unreadable(path, what, error);
  }
}

export function unreadable(
  path: string,
  what: string,
  error: unknown,
): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'there is no such file or folder'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENOTDIR'
          ? 'it is not a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
  return new CliError(
    EXIT.unreadable,
    'UNREADABLE',
    `Cannot read the ${what} ${path}: ${why}.`,
  );
}

/** Where a command writes; main.ts gives the process's streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
}
