// Every rule of src/core/iin.ts, with the synthetic IINs of domain.md §5.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageInYears,
  checkIin,
  iinCheckDigit,
  isValidIin,
  NCA_TEST_IINS,
  normalizeIin,
  type IinProblem,
} from '../../src/core/iin.js';

/** The same first 11 digits with the check digit the rules give. */
function withCheck(first11: string): string {
  const check = iinCheckDigit(first11);
  assert.notEqual(check, null, `${first11} has no check digit`);
  return first11 + String(check);
}

function problemOf(input: string): IinProblem | null {
  const result = checkIin(input);
  return result.valid ? null : result.problem;
}

describe('valid IINs from the domain notes', () => {
  const cases: Array<[string, string, 'male' | 'female']> = [
    ['850115300011', '1985-01-15', 'male'],
    ['900625400121', '1990-06-25', 'female'],
    ['201205500031', '2020-12-05', 'male'],
    ['230901601012', '2023-09-01', 'female'],
    ['191111600032', '2019-11-11', 'female'],
  ];
  for (const [iin, birthDate, sex] of cases) {
    it(`${iin} is born ${birthDate}, ${sex}`, () => {
      assert.deepEqual(checkIin(iin), {
        valid: true,
        facts: { iin, birthDate, sex },
      });
      assert.equal(isValidIin(iin), true);
    });
  }
});

describe('check digit', () => {
  it('uses weights 1..11 when they do not give 10', () => {
    // 8·1+5·2+0·3+1·4+1·5+5·6+3·7+0+0+0+1·11 = 89; 89 mod 11 = 1.
    assert.equal(iinCheckDigit('85011530001'), 1);
  });

  it('recomputes with weights 3..11,1,2 when the first pass gives 10', () => {
    // 850115300205 is valid only through the second weighting.
    const digits = [...'85011530020'].map(Number);
    const first = digits.reduce((s, d, i) => s + d * (i + 1), 0) % 11;
    assert.equal(first, 10);
    assert.equal(iinCheckDigit('85011530020'), 5);
    assert.equal(isValidIin('850115300205'), true);
  });

  it('gives null when both weightings give 10 (never issued)', () => {
    assert.equal(iinCheckDigit('85011530028'), null);
    assert.equal(iinCheckDigit('85011530109'), null);
    for (let last = 0; last <= 9; last++) {
      assert.equal(problemOf(`85011530028${last}`), 'checksum');
    }
  });

  it('applies to BINs the same way', () => {
    assert.equal(iinCheckDigit('04054000123'), 0);
  });

  it('refuses a wrong last digit', () => {
    assert.equal(problemOf('850115300012'), 'checksum');
    assert.equal(problemOf('201205500032'), 'checksum');
    assert.equal(problemOf('850115300204'), 'checksum');
  });

  it("refuses NCA's test-person IINs, whose check digit is wrong too", () => {
    for (const iin of NCA_TEST_IINS) {
      // The 7th digit, 7, is refused first.
      assert.equal(problemOf(iin), 'unknown-century');
      assert.notEqual(iinCheckDigit(iin.slice(0, 11)), Number(iin[11]));
    }
  });
});

describe('format', () => {
  it('reports an empty value, also when only spaces were typed', () => {
    assert.equal(problemOf(''), 'empty');
    assert.equal(problemOf('  - '), 'empty');
  });

  it('reports letters and other non-digits', () => {
    assert.equal(problemOf('2012O5500031'), 'not-digits');
    assert.equal(problemOf('20120550003a'), 'not-digits');
    assert.equal(problemOf('201205_500031'), 'not-digits');
    assert.equal(problemOf('+77011234567'), 'not-digits');
  });

  it('reports a wrong length, short or long', () => {
    assert.equal(problemOf('2012055000'), 'wrong-length');
    assert.equal(problemOf('20120550003'), 'wrong-length');
    assert.equal(problemOf('2012055000311'), 'wrong-length');
  });

  it('checks the format before the length, the length before the rest', () => {
    assert.equal(problemOf('12a'), 'not-digits');
    assert.equal(problemOf('999999'), 'wrong-length');
  });
});

describe('normalization', () => {
  it('removes spaces, dashes, dots and non-breaking spaces', () => {
    assert.equal(normalizeIin(' 2012 0550-0031 '), '201205500031');
    assert.equal(normalizeIin('2012.0550.0031'), '201205500031');
    assert.equal(normalizeIin('2012\u00a00550\u20130031'), '201205500031');
    assert.equal(normalizeIin('2012\t0550\n0031'), '201205500031');
  });

  it('keeps letters, so they are reported', () => {
    assert.equal(normalizeIin('2012 O550'), '2012O550');
  });

  it('lets checkIin accept pasted forms', () => {
    assert.equal(isValidIin('2012 0550 0031'), true);
    assert.equal(isValidIin('201205-500031'), true);
  });
});

describe('century and sex digit', () => {
  it('refuses 0 and 7 to 9', () => {
    for (const digit of ['0', '7', '8', '9']) {
      assert.equal(problemOf(`201205${digit}00031`), 'unknown-century');
    }
  });

  it('maps 1/2 to the 1800s, 3/4 to the 1900s, 5/6 to the 2000s', () => {
    const years: Array<[string, string, 'male' | 'female']> = [
      ['1', '1899', 'male'],
      ['2', '1899', 'female'],
      ['3', '1999', 'male'],
      ['4', '1999', 'female'],
      ['5', '2099', 'male'],
      ['6', '2099', 'female'],
    ];
    // 2099 lies ahead, so the check runs as if on a day after it.
    const later = new Date('2100-01-01T00:00:00Z');
    for (const [digit, year, sex] of years) {
      const result = checkIin(withCheck(`991231${digit}0000`), later);
      assert.ok(result.valid, digit);
      assert.equal(result.facts.birthDate, `${year}-12-31`);
      assert.equal(result.facts.sex, sex);
    }
  });
});

describe('birth date', () => {
  it('refuses a month or day that does not exist', () => {
    assert.equal(problemOf('201305500031'), 'impossible-date');
    assert.equal(problemOf('200005500031'), 'impossible-date');
    assert.equal(problemOf('201200500031'), 'impossible-date');
    assert.equal(problemOf('200431500031'), 'impossible-date');
    assert.equal(problemOf('201232500031'), 'impossible-date');
  });

  it('knows leap years, 1900 and 2000 included', () => {
    assert.equal(isValidIin(withCheck('04022950000')), true);
    assert.equal(isValidIin(withCheck('00022950000')), true);
    assert.equal(problemOf('010229500000'), 'impossible-date');
    // 1900 was not a leap year.
    assert.equal(problemOf('000229300000'), 'impossible-date');
  });

  it('checks the date before the check digit', () => {
    assert.equal(problemOf('201305500030'), 'impossible-date');
  });
});

describe('age', () => {
  const on = (iso: string) => new Date(`${iso}T12:00:00Z`);

  it('counts whole years, turning on the birthday', () => {
    assert.equal(ageInYears('2019-11-11', on('2026-11-10')), 6);
    assert.equal(ageInYears('2019-11-11', on('2026-11-11')), 7);
    assert.equal(ageInYears('2020-12-05', on('2026-12-03')), 5);
    assert.equal(ageInYears('1985-01-15', on('2026-01-14')), 40);
    assert.equal(ageInYears('1985-01-15', on('2026-01-15')), 41);
  });

  it('handles a 29 February birthday', () => {
    assert.equal(ageInYears('2020-02-29', on('2027-02-28')), 6);
    assert.equal(ageInYears('2020-02-29', on('2027-03-01')), 7);
  });

  it('says 191111600032 is 7 from November 2026 on', () => {
    const result = checkIin('191111600032');
    assert.ok(result.valid);
    assert.equal(ageInYears(result.facts.birthDate, on('2026-12-01')), 7);
    assert.equal(ageInYears(result.facts.birthDate, on('2026-10-01')), 6);
  });
});

describe('birth date in the future', () => {
  const on = (iso: string) => new Date(`${iso}T12:00:00Z`);

  it('refuses an IIN born after today, accepts it once that day came', () => {
    // 270101500036 has a right check digit and a real date, 2027-01-01.
    const before = checkIin('270101500036', on('2026-12-03'));
    assert.deepEqual(before, { valid: false, problem: 'impossible-date' });
    const after = checkIin('270101500036', on('2027-01-01'));
    assert.ok(after.valid);
    assert.equal(after.facts.birthDate, '2027-01-01');
  });
});
