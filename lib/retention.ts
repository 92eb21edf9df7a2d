import { DateTime } from 'luxon';
import type { RetentionPolicy } from '../schemas/config';
import type { Lease } from './leases';

/**
 * The published run dates a retention policy removes. A date stays when any rule keeps it (the newest
 * `keepLast`, or within `maxAgeDays` of the newest date), when it is the newest, when a lease covers it, or
 * when it is the date the run applying the policy has just published (a rerun of an old date must not publish
 * it only to delete it). Ages count from the newest published date, not the clock, so the same snapshots give
 * the same answer.
 */
export function datesToRemove(published: string[], policy: RetentionPolicy, leases: Lease[], justPublished?: string): string[] {
  if (policy.keepLast === undefined && policy.maxAgeDays === undefined) return [];
  const newestFirst = [...published].sort().reverse();
  const newest = newestFirst[0];
  if (!newest) return [];
  const oldestByAge =
    policy.maxAgeDays === undefined ? null : DateTime.fromISO(newest, { zone: 'UTC' }).minus({ days: policy.maxAgeDays }).toISODate()!;
  const kept = (date: string, position: number) =>
    date === newest ||
    date === justPublished ||
    (policy.keepLast !== undefined && position < policy.keepLast) ||
    (oldestByAge !== null && date >= oldestByAge) ||
    leases.some((lease) => lease.from <= date && date <= lease.to);
  return newestFirst.filter((date, position) => !kept(date, position)).sort();
}
