import { maxConcurrentActivitiesFromEnv } from '../../lib/temporalConnection';

afterEach(() => {
  delete process.env.SEGFLOW_MAX_CONCURRENT_ACTIVITIES;
});

test('a worker runs 2 activities at once unless SEGFLOW_MAX_CONCURRENT_ACTIVITIES says otherwise', () => {
  expect(maxConcurrentActivitiesFromEnv()).toBe(2);
  process.env.SEGFLOW_MAX_CONCURRENT_ACTIVITIES = '5';
  expect(maxConcurrentActivitiesFromEnv()).toBe(5);
});

test.each(['0', '-1', '1.5', 'two', ' 3'])('SEGFLOW_MAX_CONCURRENT_ACTIVITIES=%j is refused', (value) => {
  process.env.SEGFLOW_MAX_CONCURRENT_ACTIVITIES = value;
  expect(() => maxConcurrentActivitiesFromEnv()).toThrow(`must be a positive whole number (activities a worker runs at once), got '${value}'`);
});
