/**
 * IIN (individual identification number) rules, as pure functions with no
 * DOM, so the elements, the server and the CLI share one implementation.
 *
 * An IIN is 12 digits: YYMMDD birth date, a century-and-sex digit, a 4-digit
 * serial and a check digit.
 */

/** Why an IIN is not valid. Each maps to its own localized message. */
export type IinProblem =
  | 'empty'
  | 'not-digits'
  | 'wrong-length'
  | 'unknown-century'
  | 'impossible-date'
  | 'checksum';

export interface IinFacts {
  iin: string;
  /** Birth date as YYYY-MM-DD. */
  birthDate: string;
  sex: 'male' | 'female';
}

export type IinCheck =
  | { valid: true; facts: IinFacts }
  | { valid: false; problem: IinProblem };

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/**
 * Removes what people paste around an IIN: spaces, dashes, dots, non-breaking
 * spaces. Letters are kept, so that they can be reported as not digits.
 */
export function normalizeIin(input: string): string {
  return input.replace(/[\s\u00a0\-‐-―.]/g, '');
}

/**
 * The check digit for the first 11 digits, or null when both weightings give
 * 10 (such a number is never issued).
 */
export function iinCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const weigh = (weights: number[]) =>
    digits.reduce((sum, digit, i) => sum + digit * weights[i]!, 0) % 11;
  let check = weigh(FIRST_WEIGHTS);
  if (check === 10) check = weigh(SECOND_WEIGHTS);
  return check === 10 ? null : check;
}

/** The century a 7th digit stands for (1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s). */
function centuryOf(digit: number): number | null {
  if (digit >= 1 && digit <= 6) return 1800 + Math.floor((digit - 1) / 2) * 100;
  return null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/**
 * Checks an IIN and, when valid, decodes it. A birth date after `today`
 * (default now) is impossible: an IIN is issued at birth.
 */
export function checkIin(input: string, today: Date = new Date()): IinCheck {
  const iin = normalizeIin(input);
  if (iin === '') return { valid: false, problem: 'empty' };
  if (!/^\d+$/.test(iin)) return { valid: false, problem: 'not-digits' };
  if (iin.length !== 12) return { valid: false, problem: 'wrong-length' };

  const centuryDigit = Number(iin[6]);
  const century = centuryOf(centuryDigit);
  if (century === null) return { valid: false, problem: 'unknown-century' };

  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const birth = Date.UTC(year, month - 1, day);
  if (!isRealDate(year, month, day) || birth > today.getTime()) {
    return { valid: false, problem: 'impossible-date' };
  }
  if (iinCheckDigit(iin.slice(0, 11)) !== Number(iin[11])) {
    return { valid: false, problem: 'checksum' };
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    valid: true,
    facts: {
      iin,
      birthDate: `${year}-${pad(month)}-${pad(day)}`,
      sex: centuryDigit % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** True when the IIN passes every rule. */
export function isValidIin(input: string): boolean {
  return checkIin(input).valid;
}

/**
 * Whole years of age on a given day (default today, UTC), from a YYYY-MM-DD
 * birth date.
 */
export function ageInYears(birthDate: string, on: Date = new Date()): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [
    number,
    number,
    number,
  ];
  let age = on.getUTCFullYear() - year;
  const beforeBirthday =
    on.getUTCMonth() + 1 < month ||
    (on.getUTCMonth() + 1 === month && on.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/**
 * NCA's test persons carry IIN123456789011 and IIN123456789012, which fail the
 * check digit. Only a test or demo configuration accepts them.
 */
export const NCA_TEST_IINS: readonly string[] = ['123456789011', '123456789012'];
