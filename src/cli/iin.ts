/**
 * `qoltanba iin <IIN>`: checks an IIN with the rules the elements and the
 * server use (src/core/iin.ts) and decodes its birth date and sex.
 */
import { checkIin, NCA_TEST_IINS, normalizeIin } from '../core/iin.js';
import { formatIsoDate } from '../messages/format.js';
import {
  COMMON_OPTIONS,
  EXIT,
  onePositional,
  parseCommandArgs,
  type CliIo,
  type ExitCode,
} from './common.js';
import { iinProblemText, jsonText, rows } from './format.js';

export const IIN_HELP = `Usage: qoltanba iin <IIN> [--json]

Checks an individual identification number (12 digits: YYMMDD birth date,
a century-and-sex digit, 4 serial digits, a check digit) and decodes its
birth date and sex. Spaces, dashes and dots in the input are ignored.

Options:
  --json      print JSON instead of text
  -h, --help  show this help

Exit codes:
  0  valid      1  not valid      2  usage
`;

export async function runIin(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('iin', args, COMMON_OPTIONS);
  if (values.help) {
    io.out(IIN_HELP);
    return EXIT.ok;
  }
  const input = onePositional('iin', positionals, 'the IIN');
  const check = checkIin(input);
  const iin = normalizeIin(input);

  if (!check.valid) {
    const reason = iinProblemText(check.problem);
    // NCA's SDK test persons carry these; people meet them in test keys.
    const testNote = NCA_TEST_IINS.includes(iin)
      ? " It is one of NCA's test IINs, which are not valid on purpose."
      : '';
    if (values.json) {
      io.out(
        jsonText({
          iin,
          valid: false,
          problem: check.problem,
          message: reason,
          ncaTestIin: NCA_TEST_IINS.includes(iin),
        }),
      );
    } else {
      io.out(`${iin}: not valid: ${reason}.${testNote}\n`);
    }
    return EXIT.invalid;
  }

  const { birthDate, sex } = check.facts;
  if (values.json) {
    io.out(jsonText({ iin, valid: true, birthDate, sex }));
  } else {
    io.out(
      `${iin}: valid\n${rows([
        ['Birth date', formatIsoDate(birthDate)],
        ['Sex', sex],
      ])}\n`,
    );
  }
  return EXIT.ok;
}
