/**
 * Formatting that reads the same in every locale: the original portal shows
 * dates as "20.10.2018 (13:00)" whatever the language.
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
