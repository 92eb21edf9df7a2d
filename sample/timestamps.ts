import type { Random, Weighted } from '../lib/random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Asia/Seoul has kept UTC+9 without daylight saving since 1988, so business time is a fixed shift from UTC. */
const SEOUL_OFFSET_HOURS = 9;

/** The history the sample covers, as instants in milliseconds: from `start` (included) to `end` (excluded). */
export interface HistoryWindow {
  start: number;
  end: number;
  days: number;
}

/** `days` whole Seoul days ending with endDate (YYYY-MM-DD). */
export function historyWindow(endDate: string, days: number): HistoryWindow {
  const end = Date.parse(`${endDate}T00:00:00+09:00`) + DAY;
  return { start: end - days * DAY, end, days };
}

/** The Seoul calendar date (YYYY-MM-DD) of an instant. */
export function seoulDate(instant: number): string {
  return new Date(instant + SEOUL_OFFSET_HOURS * HOUR).toISOString().slice(0, 10);
}

/** Relative number of orders and visits starting in each Seoul hour: a lunch bump and a late-evening peak. */
const HOURLY_ACTIVITY = [3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 6, 6, 6, 7, 8, 9, 10, 10, 7];
const HOURS: Weighted<number>[] = HOURLY_ACTIVITY.map((weight, hour) => [hour, weight]);

/** Milliseconds after Seoul midnight at which something happens that day, in whole seconds. */
export function timeOfDay(random: Random): number {
  return random.weighted(HOURS) * HOUR + random.integer(0, 3599) * 1000;
}

interface TimestampStyle {
  offsetHours: number;
  /** What follows the seconds: a UTC offset, Z, or nothing for naive business time. */
  suffix: string;
  dateTimeSeparator: 'T' | ' ';
}

/**
 * How exported timestamps look. Mostly Seoul time with its offset, but systems behind an export disagree:
 * some write UTC, one a US offset, and some naive local time, which means business time (Asia/Seoul).
 */
const TIMESTAMP_STYLES: Weighted<TimestampStyle>[] = [
  [{ offsetHours: 9, suffix: '+09:00', dateTimeSeparator: 'T' }, 76],
  [{ offsetHours: 9, suffix: '', dateTimeSeparator: ' ' }, 10],
  [{ offsetHours: 0, suffix: 'Z', dateTimeSeparator: 'T' }, 7],
  [{ offsetHours: 0, suffix: '+00:00', dateTimeSeparator: 'T' }, 4],
  [{ offsetHours: -5, suffix: '-05:00', dateTimeSeparator: 'T' }, 3],
];

/** An instant as one of the exported styles, for example 2026-03-04T10:15:00+09:00 or 2026-03-04 10:15:00. */
export function exportedTimestamp(random: Random, instant: number): string {
  const style = random.weighted(TIMESTAMP_STYLES);
  const local = new Date(instant + style.offsetHours * HOUR).toISOString().slice(0, 19);
  return `${local.replace('T', style.dateTimeSeparator)}${style.suffix}`;
}

/** An instant in UTC, for files whose readers store instants rather than text. */
export function utcTimestamp(instant: number): string {
  return `${new Date(instant).toISOString().slice(0, 19)}Z`;
}
