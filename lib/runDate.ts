import { DateTime } from 'luxon';
import { runDateSchema } from '../schemas/run';

export const RUN_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses YYYY-MM-DD strictly (no 2024-02-30) or throws an error that says what was expected. */
export function parseRunDate(value: string): string {
  if (!runDateSchema.safeParse(value).success) {
    throw new Error(`run date '${value}' is not a calendar date in the form YYYY-MM-DD`);
  }
  return value;
}

/**
 * The first instant after the run date in the business time zone, as UTC ISO 8601. A run for D sees exactly the
 * rows whose time is before this instant. Computed by luxon so that DST days (23 or 25 hours) are right.
 */
export function endOfRunDateExclusive(runDate: string, businessTimeZone: string): string {
  const start = DateTime.fromISO(parseRunDate(runDate), { zone: businessTimeZone }).startOf('day');
  return start.plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: true })!;
}

/** The calendar date `days` after (negative: before) a run date. */
export function shiftRunDate(runDate: string, days: number): string {
  return DateTime.fromISO(parseRunDate(runDate), { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Yesterday in the business time zone: the default date of a scheduled daily run. */
export function yesterdayIn(businessTimeZone: string, now: DateTime = DateTime.now()): string {
  return now.setZone(businessTimeZone).minus({ days: 1 }).toISODate()!;
}

/** Every calendar date from `from` to `to`, both included, oldest first. */
export function runDatesBetween(from: string, to: string): string[] {
  const first = DateTime.fromISO(parseRunDate(from), { zone: 'UTC' });
  const last = DateTime.fromISO(parseRunDate(to), { zone: 'UTC' });
  if (last < first) throw new Error(`the range ends (${to}) before it starts (${from})`);
  const dates: string[] = [];
  for (let date = first; date <= last; date = date.plus({ days: 1 })) dates.push(date.toISODate()!);
  return dates;
}

/**
 * The run date of a scheduled action: the day before the action's nominal time in the business time zone.
 * The nominal time, not the clock, so that an action that fires late or is caught up after downtime still
 * processes the day it was meant for.
 */
export function runDateForScheduledTime(nominalTime: Date, businessTimeZone: string): string {
  return DateTime.fromJSDate(nominalTime, { zone: businessTimeZone }).minus({ days: 1 }).toISODate()!;
}
