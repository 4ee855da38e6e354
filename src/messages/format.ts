/**
 * Dates and IINs for display. A certificate's validity reads the same in
 * every locale, as the original portal shows it: "20.10.2018 (13:00)".
 * Calendar dates in running text (birth dates, filing dates) use the
 * locale's own words through Intl.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** "20.10.2018 (13:00)" in the browser's time zone. */
export function formatDateTime(date: Date): string {
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return `${formatDate(date)} (${time})`;
}

/** "20.10.2018" in the browser's time zone. */
export function formatDate(date: Date): string {
  const day = pad(date.getDate());
  const month = pad(date.getMonth() + 1);
  return `${day}.${month}.${date.getFullYear()}`;
}

/** "2020-12-05" (a calendar date with no time zone) as "05.12.2020". */
export function formatIsoDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return year && month && day ? `${day}.${month}.${year}` : isoDate;
}

// English on a Kazakh portal reads day-month-year, as British English does.
const INTL_LOCALE: Record<string, string> = { en: 'en-GB' };

/**
 * "2020-12-05" (a calendar date with no time zone) in the words of a
 * locale: "2020 ж. 5 желтоқсан", "5 декабря 2020 г.", "5 December 2020".
 */
export function formatLongDate(isoDate: string, locale: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (!year || !month || !day) return isoDate;
  const parts = new Intl.DateTimeFormat(INTL_LOCALE[locale] ?? locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(new Date(Date.UTC(year, month - 1, day)));
  const monthName = parts.find((p) => p.type === 'month')?.value ?? '';
  // Some browsers ship ICU without Kazakh month names (Debian's Chromium
  // prints "2023 M09 1"); then write CLDR's Kazakh pattern ourselves.
  if (locale === 'kk' && /\d/.test(monthName)) {
    return `${year} ж. ${day} ${KK_MONTHS[month - 1]}`;
  }
  return parts.map((p) => p.value).join('');
}

const KK_MONTHS = [
  'қаңтар',
  'ақпан',
  'наурыз',
  'сәуір',
  'мамыр',
  'маусым',
  'шілде',
  'тамыз',
  'қыркүйек',
  'қазан',
  'қараша',
  'желтоқсан',
];

/**
 * The validity period as the original portal prints it:
 * "20.10.2018 (13:00) - 20.10.2019 (13:00)".
 */
export function formatPeriod(from: Date, to: Date): string {
  return `${formatDateTime(from)} - ${formatDateTime(to)}`;
}

/**
 * Hides the middle of an IIN (the day of birth, the century-and-sex digit
 * and the first serial digit), e.g. 201205500031 → "2012••••0031".
 */
export function maskIin(iin: string): string {
  if (iin.length !== 12) return iin;
  return `${iin.slice(0, 4)}••••${iin.slice(8)}`;
}
