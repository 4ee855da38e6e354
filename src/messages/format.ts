/**
 * Dates and IINs for display. A certificate's validity reads the same in
 * every locale, as the original portal shows it: "20.10.2018 (13:00)".
 * Calendar dates in running text (birth dates, filing dates) use the
 * locale's own words through Intl.
 *
 * Instants (a certificate's validity) are shown in Almaty's time zone, not
 * the browser's: the portal serves Almaty, and a parent abroad or on a
 * computer with a wrong zone would otherwise see another day near
 * midnight. `setTimeZone` changes it for every element on the page.
 */

/** The time zone of the portal this library was made for. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

let timeZone = DEFAULT_TIME_ZONE;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The IANA time zone dates are shown in; "Asia/Almaty" by default. */
export function getTimeZone(): string {
  return timeZone;
}

/**
 * Shows dates and times in `zone`, an IANA name such as "Asia/Aqtobe";
 * `null` goes back to "Asia/Almaty". Call it before the elements render:
 * those in the document render again at once, those inside other shadow
 * roots on their next update. Throws a RangeError for a name the browser
 * does not know, rather than silently showing another zone.
 */
export function setTimeZone(zone: string | null): void {
  const next = zone ?? DEFAULT_TIME_ZONE;
  formatterFor(next);
  timeZone = next;
  const elements = globalThis.document?.querySelectorAll<
    Element & { requestUpdate?: () => void }
  >('eds-login, iin-link-form, kinship-status');
  elements?.forEach((element) => element.requestUpdate?.());
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    // Numbers only, read back part by part: the pattern is ours, not the
    // locale's. h23, so that midnight is 00:00 and never 24:00.
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of `date` in `zone`, as two-digit strings. */
function wallClock(date: Date, zone: string) {
  const parts = formatterFor(zone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: part('day'),
    month: part('month'),
    year: part('year'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

/** "20.10.2018 (13:00)" in Almaty's time zone, or `zone`. */
export function formatDateTime(date: Date, zone = timeZone): string {
  const { day, month, year, hour, minute } = wallClock(date, zone);
  return `${day}.${month}.${year} (${hour}:${minute})`;
}

/** "20.10.2018" in Almaty's time zone, or `zone`. */
export function formatDate(date: Date, zone = timeZone): string {
  const { day, month, year } = wallClock(date, zone);
  return `${day}.${month}.${year}`;
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
export function formatPeriod(from: Date, to: Date, zone = timeZone): string {
  return `${formatDateTime(from, zone)} - ${formatDateTime(to, zone)}`;
}

/**
 * Hides the middle of an IIN (the day of birth, the century-and-sex digit
 * and the first serial digit), e.g. 201205500031 → "2012••••0031".
 */
export function maskIin(iin: string): string {
  if (iin.length !== 12) return iin;
  return `${iin.slice(0, 4)}••••${iin.slice(8)}`;
}
