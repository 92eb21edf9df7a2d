import { endOfRunDateExclusive, runDateForScheduledTime, runDatesBetween } from '../../lib/runDate';

test('a scheduled action processes the day before its nominal time, on the business calendar', () => {
  // 02:00 in Seoul on Nov 23 is 17:00 UTC on Nov 22: the run date is Nov 22 in Seoul, not Nov 21.
  expect(runDateForScheduledTime(new Date('2026-11-22T17:00:00Z'), 'Asia/Seoul')).toBe('2026-11-22');
  expect(runDateForScheduledTime(new Date('2026-11-22T17:00:00Z'), 'UTC')).toBe('2026-11-21');
  // An action caught up a day late still processes the date of its nominal time.
  expect(runDateForScheduledTime(new Date('2024-03-10T07:30:00Z'), 'America/New_York')).toBe('2024-03-09');
});

test('run date ranges include both ends and cross month and leap-day boundaries', () => {
  expect(runDatesBetween('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  expect(runDatesBetween('2024-01-01', '2024-12-31')).toHaveLength(366);
  expect(() => runDatesBetween('2024-02-02', '2024-02-01')).toThrow('the range ends (2024-02-01) before it starts (2024-02-02)');
});

test('the end of a run date follows the business zone through DST', () => {
  expect(endOfRunDateExclusive('2024-03-09', 'America/New_York')).toBe('2024-03-10T05:00:00Z');
  expect(endOfRunDateExclusive('2024-03-10', 'America/New_York')).toBe('2024-03-11T04:00:00Z');
});
