import type { ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ScheduledRunInput } from '../schemas/run';
import { scheduledSegmentationRun } from '../workflows';

export const DEFAULT_SCHEDULE_ID = 'segflow-daily';

export interface DailyScheduleOptions {
  scheduleId: string;
  taskQueue: string;
  /** Local time of day in the business time zone: HH:MM or HH:MM:SS. */
  at: string;
  businessTimeZone: string;
  /** How long after a missed action (server or worker down) it is still taken, e.g. '2 days'. */
  catchupWindow: string;
  overlap: ScheduleOverlapPolicy;
  input: ScheduledRunInput;
}

/** Parses HH:MM[:SS] into calendar fields, or throws an error saying what was expected. */
export function timeOfDay(at: string): { hour: number; minute: number; second: number } {
  const match = at.match(/^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/);
  if (!match) throw new Error(`'${at}' is not a time of day: use HH:MM or HH:MM:SS on a 24-hour clock, e.g. 02:30`);
  return { hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? 0) };
}

/** Parses a duration such as '2 days', '12h' or '90m' into milliseconds, or throws saying what was expected. */
export function catchupWindowMs(value: string): number {
  let milliseconds: number;
  try {
    milliseconds = msToNumber(value as Duration);
  } catch {
    milliseconds = NaN;
  }
  if (!Number.isFinite(milliseconds) || milliseconds < 60_000) {
    throw new Error(`'${value}' is not a catch-up window: give a duration of at least a minute, e.g. '2 days', '12h' or '90m'`);
  }
  return milliseconds;
}

/**
 * The Temporal Schedule of the daily run: one action a day at a local time in the business time zone (the
 * server applies the zone's DST rules). Each action runs the day before its nominal time, so the dates of
 * two actions never coincide. BUFFER_ALL runs caught-up actions one after the other, oldest first, so each
 * date's segment transitions compare with the date before it.
 */
export function dailyScheduleOptions(options: DailyScheduleOptions): ScheduleOptions {
  return {
    scheduleId: options.scheduleId,
    spec: { calendars: [{ ...timeOfDay(options.at), comment: `daily segmentation at ${options.at}` }], timezone: options.businessTimeZone },
    action: {
      type: 'startWorkflow',
      workflowType: scheduledSegmentationRun,
      workflowId: options.scheduleId,
      taskQueue: options.taskQueue,
      args: [options.input],
    },
    policies: { overlap: options.overlap, catchupWindow: catchupWindowMs(options.catchupWindow) },
    memo: { at: options.at, businessTimeZone: options.businessTimeZone },
  };
}
