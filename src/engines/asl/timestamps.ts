/**
 * Timestamps in the States Language are the RFC 3339 profile of ISO 8601 with
 * an uppercase "T" and an uppercase "Z" when no numeric offset is given
 * (https://states-language.net/spec.html#timestamps). Anything else, such as
 * "2016-12-05 21:29:29Z" or a missing zone, is not a timestamp: Choice rules
 * then compare false and Wait states fail.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a timestamp to epoch milliseconds, keeping sub-millisecond digits as
 * a fraction so that Choice comparisons see nanosecond differences.
 * Returns undefined when the string is not a valid timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (offsetHours * 60 + offsetMins) * (zone.startsWith('-') ? -1 : 1);
  }
  const wholeMs = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  const fractionMs = fraction === undefined ? 0 : Number(`0${fraction}`) * 1000;
  return wholeMs + fractionMs;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Formats epoch milliseconds the way Step Functions writes context timestamps:
 * ISO 8601 in UTC, with the fraction dropped when it is zero
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 */
export function formatTimestamp(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
