import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DateTime } from 'luxon';
import { dailyScheduleOptions } from '../../lib/dailySchedule';
import { runDateForScheduledTime } from '../../lib/runDate';
import { publishedRunDates, readManifest } from '../../lib/snapshots';
import { segmentationRunId } from '../../workflows';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

const FIXTURE_CONFIG = path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json');
const ZONE = 'Asia/Seoul'; // the fixture's business time zone
let temporal: TestTemporal;
let outDir: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-schedule-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

test('the daily schedule fires at its local time and publishes the day before its nominal time', async () => {
  // A few seconds from now, on the business clock: the action is taken by the server, not by the test.
  const at = DateTime.now().setZone(ZONE).plus({ seconds: 4 }).toFormat('HH:mm:ss');
  const handle = await temporal.client.schedule.create(
    dailyScheduleOptions({
      scheduleId: `segflow-test-daily-${path.basename(outDir)}`,
      taskQueue: temporal.endpoint.taskQueue,
      at,
      businessTimeZone: ZONE,
      catchupWindow: '1 hour',
      overlap: ScheduleOverlapPolicy.BUFFER_ALL,
      input: { outDir, settingsSource: { kind: 'config', path: FIXTURE_CONFIG } },
    }),
  );
  try {
    let taken = (await handle.describe()).info.recentActions;
    for (let waited = 0; taken.length === 0 && waited < 60_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      taken = (await handle.describe()).info.recentActions;
    }
    expect(taken).toHaveLength(1);
    const { scheduledAt, action } = taken[0]!;
    expect(DateTime.fromJSDate(scheduledAt, { zone: ZONE }).toFormat('HH:mm:ss')).toBe(at);
    const result = await temporal.client.workflow.getHandle(action.workflow.workflowId).result();

    const runDate = runDateForScheduledTime(scheduledAt, ZONE);
    expect(result).toEqual({ runDate, outcome: 'published', manifestPath: expect.stringContaining(runDate) });
    expect(await publishedRunDates(outDir)).toEqual([runDate]);
    expect((await readManifest(outDir, runDate)).workflowId).toBe(segmentationRunId(runDate));
  } finally {
    await handle.delete();
  }
});
