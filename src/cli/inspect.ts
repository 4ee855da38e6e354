/**
 * `qoltanba inspect <file.p12>`: opens a key file and shows each key's
 * certificate the way the key list of <eds-login> shows it.
 *
 * The password never comes from an argument: the shell history and the
 * process list would keep it. It comes from --password-stdin, then
 * QOLTANBA_PASSWORD, then a prompt with hidden input on a terminal.
 */
import { basename } from 'node:path';
import { describeCertificate } from '../crypto/certificate-info.js';
import { openKeyFile } from '../crypto/pkcs12.js';
import { KeyFileError, type KeyFileErrorCode } from '../crypto/types.js';
import {
  CliError,
  COMMON_OPTIONS,
  EXIT,
  onePositional,
  parseCommandArgs,
  readInputFile,
  usageError,
  type CliIo,
  type ExitCode,
} from './common.js';
import { certificateRows, jsonText, rows } from './format.js';

export const PASSWORD_ENV = 'QOLTANBA_PASSWORD';

export const INSPECT_HELP = `Usage: qoltanba inspect <file.p12>
         [--password-stdin] [--json]

Opens a PKCS#12 key file (.p12) as NCA issues it and shows each key's
certificate: owner, IIN, validity, serial number, issuer, algorithm,
purpose (auth, sign or both) and holder.

The password is read from, in this order:
  --password-stdin        standard input (one trailing newline removed)
  QOLTANBA_PASSWORD       the environment variable, when it is set
  a prompt                on a terminal, with the input hidden
A password on the command line (--password) is refused: the shell
history and the process list would keep it.

Options:
  --password-stdin  read the password from standard input
  --json            print JSON instead of text
  -h, --help        show this help

Exit codes:
  0  the file opened          5  not a key file
  2  usage, no password       6  no private key in the file
  3  the file cannot be read  7  unsupported algorithm or kind of key
  4  wrong password           8  damaged key file
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  'password-stdin': { type: 'boolean' },
} as const;

/** Exit code and stable code for each reason a key file does not open. */
const KEY_FILE_EXITS: Record<KeyFileErrorCode, ExitCode> = {
  WRONG_PASSWORD: EXIT.wrongPassword,
  NOT_A_KEY_FILE: EXIT.wrongKind,
  NO_KEYS: EXIT.noKeys,
  UNSUPPORTED_ALGORITHM: EXIT.unsupported,
  UNSUPPORTED_KEY: EXIT.unsupported,
  CORRUPT_FILE: EXIT.damaged,
};

/** What the user reads for each reason, naming the file. */
function keyFileMessage(error: KeyFileError, file: string): string {
  switch (error.code) {
    case 'WRONG_PASSWORD':
      return `The password for ${file} is wrong. Check the keyboard ` +
        'layout and Caps Lock.';
    case 'NOT_A_KEY_FILE':
      return `${file} is not a key file (PKCS#12, .p12). A certificate ` +
        '(.cer, .crt) holds no private key; choose the .p12 file NCA ' +
        'issued.';
    case 'NO_KEYS':
      return `${file} is a PKCS#12 container without a private key and ` +
        'its certificate.';
    case 'UNSUPPORTED_ALGORITHM':
      return `${file} is protected with an algorithm this tool does not ` +
        `support${error.detail ? ` (${error.detail})` : ''}.`;
    case 'UNSUPPORTED_KEY':
      return `${file} holds a kind of key this tool does not support: ` +
        `${error.message} Use NCALayer for it.`;
    case 'CORRUPT_FILE':
      // The reader's reason is for developers: after the advice.
      return `${file} is damaged or incomplete: copy it again from where ` +
        `you keep it. (${error.message.replace(/\.$/, '')})`;
  }
}

/** Refuses --password before parseArgs sees it, with the reason. */
function refusePasswordArgument(args: string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    if (arg === '--password' || arg.startsWith('--password=')) {
      throw new CliError(
        EXIT.usage,
        'PASSWORD_ARGUMENT',
        'A password is never taken as an argument: the shell history ' +
          'and the process list would keep it, where other users ' +
          `may read it. Type it at the prompt, set ${PASSWORD_ENV}, or ` +
          'pipe it in with --password-stdin.',
      );
    }
  }
}

/** Everything on standard input, less one trailing newline. */
async function readStdinPassword(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * Reads a line from the terminal without echoing it. Raw mode hands over
 * every key, so Enter, Backspace, Ctrl-C and Ctrl-D are handled here.
 */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const { stdin } = io;
  // Raw mode before the prompt: keys typed as soon as it shows must not
  // be echoed by the terminal.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.err('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      // An escape sequence (arrow keys, F-keys) is not part of a password.
      if (chunk.startsWith('\u001b')) return;
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') {
          return finish(
            new CliError(EXIT.interrupted, 'INTERRUPTED', 'Interrupted.'),
          );
        }
        if (char === '\u0004') {
          if (value === '') {
            return finish(
              new CliError(EXIT.usage, 'NO_PASSWORD', 'No password given.'),
            );
          }
          return finish();
        }
        if (char === '\u007f' || char === '\b') {
          value = [...value].slice(0, -1).join('');
        } else if (char >= ' ') {
          value += char;
        }
      }
    };
    stdin.on('data', onData);
    stdin.resume();
    io.err(prompt);
  });
}

async function readPassword(
  io: CliIo,
  fromStdin: boolean,
  file: string,
): Promise<string> {
  if (fromStdin) return readStdinPassword(io.stdin);
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY) return promptHidden(io, `Password for ${file}: `);
  throw new CliError(
    EXIT.usage,
    'NO_PASSWORD',
    'No password: standard input is not a terminal to prompt on. Set ' +
      `${PASSWORD_ENV} or pipe the password in with --password-stdin.`,
  );
}

export async function runInspect(
  args: string[],
  io: CliIo,
): Promise<ExitCode> {
  refusePasswordArgument(args);
  const { values, positionals } = parseCommandArgs('inspect', args, OPTIONS);
  if (values.help) {
    io.out(INSPECT_HELP);
    return EXIT.ok;
  }
  const path = onePositional('inspect', positionals, 'the key file (.p12)');
  if (values['password-stdin'] && io.stdin.isTTY) {
    throw usageError(
      '--password-stdin needs the password piped in, not a terminal.',
      'inspect',
    );
  }
  const bytes = await readInputFile(path, 'key file');
  const name = basename(path);
  const password = await readPassword(
    io,
    values['password-stdin'] === true,
    name,
  );

  let opened;
  try {
    opened = await openKeyFile(bytes, password);
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    throw new CliError(
      KEY_FILE_EXITS[error.code],
      error.code,
      keyFileMessage(error, name),
    );
  }

  const now = new Date();
  const keys = opened.keys.map((key) => ({
    keyAlgorithmOid: key.keyAlgorithmOid,
    friendlyName: key.friendlyName,
    localKeyId: key.localKeyId,
    certificate: describeCertificate(key.certificate),
  }));
  if (values.json) {
    io.out(
      jsonText({
        file: path,
        keys,
        certificateCount: opened.certificates.length,
      }),
    );
    return EXIT.ok;
  }
  const count = keys.length === 1 ? '1 key' : `${keys.length} keys`;
  const blocks = keys.map(
    (key, i) =>
      `Key ${i + 1}\n${rows(certificateRows(key.certificate, now))}\n`,
  );
  io.out(`${name}: ${count}\n\n${blocks.join('\n')}`);
  return EXIT.ok;
}
