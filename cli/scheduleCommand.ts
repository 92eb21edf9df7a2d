import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { DateTime } from 'luxon';
import { dailyScheduleOptions, DEFAULT_SCHEDULE_ID } from '../lib/dailySchedule';
import { runDateForScheduledTime } from '../lib/runDate';
import { scheduledRunInputSchema } from '../schemas/run';
import { UsageError, type Command } from './args';
import { INPUT_HELP, INPUT_OPTIONS, settingsFrom, settingsSourceFrom, writableOutDirFrom } from './inputOptions';
import { table } from './table';
import { withRunningServer } from './temporalSession';

const SUBCOMMANDS = ['create', 'describe', 'list', 'pause', 'unpause', 'trigger', 'delete'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const OVERLAP_POLICIES: Record<string, ScheduleOverlapPolicy> = {
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  skip: ScheduleOverlapPolicy.SKIP,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

const out = (text: string) => process.stdout.write(`${text}\n`);

function localTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm:ss ZZ");
}

function parseOverlap(value: unknown): ScheduleOverlapPolicy {
  const policy = OVERLAP_POLICIES[String(value ?? 'buffer_all').toLowerCase()];
  if (!policy) throw new UsageError(`--overlap must be one of ${Object.keys(OVERLAP_POLICIES).join(', ')}, got '${value}'`);
  return policy;
}

async function create(client: Client, taskQueue: string, scheduleId: string, values: Record<string, unknown>): Promise<number> {
  const settings = settingsFrom(values); // validated now, and read again by every action
  const at = String(values.at ?? '02:00');
  const input = scheduledRunInputSchema.parse({ outDir: await writableOutDirFrom(values), settingsSource: settingsSourceFrom(values) });
  const overlap = parseOverlap(values.overlap);
  let options: ScheduleOptions;
  try {
    options = dailyScheduleOptions({
      scheduleId,
      taskQueue,
      at,
      businessTimeZone: settings.businessTimeZone,
      catchupWindow: String(values['catchup-window'] ?? '2 days'),
      overlap,
      input,
    });
  } catch (error) {
    throw new UsageError((error as Error).message); // a time of day or a catch-up window that does not parse
  }
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) {
      throw new UsageError(`schedule '${scheduleId}' already exists: 'segflow schedule describe --id ${scheduleId}' shows it; ` +
        'delete it first to create it anew, or give another --id');
    }
    throw error;
  }
  out(`Created schedule '${scheduleId}': every day at ${at} ${settings.businessTimeZone}, each run processing the day before.`);
  return describe(client, scheduleId);
}

async function describe(client: Client, scheduleId: string): Promise<number> {
  const description = await client.schedule.getHandle(scheduleId).describe();
  const zone = description.spec.timezone ?? 'UTC';
  const action = description.action.type === 'startWorkflow' ? description.action : null;
  const input = scheduledRunInputSchema.safeParse(action?.args?.[0]);
  out(`Schedule '${scheduleId}': ${description.state.paused ? `PAUSED${description.state.note ? ` (${description.state.note})` : ''}` : 'active'}`);
  out(table([
    ['time zone', zone],
    ['catch-up window', `${Math.round(description.policies.catchupWindow / 3_600_000)} h`],
    ['overlap policy', String(description.policies.overlap)],
    ['inputs', input.success ? `${input.data.settingsSource.kind} ${input.data.settingsSource.path}` : '-'],
    ['snapshots', input.success ? input.data.outDir : '-'],
    ['actions taken', String(description.info.numActionsTaken)],
  ]));
  out('Next actions:');
  out(table(description.info.nextActionTimes.slice(0, 3).map((time) => [localTime(time, zone), `run date ${runDateForScheduledTime(time, zone)}`])));
  out('Recent actions:');
  const recent = [];
  for (const taken of description.info.recentActions.slice(-5)) {
    const { workflowId, firstExecutionRunId } = taken.action.workflow;
    const status = await client.workflow.getHandle(workflowId, firstExecutionRunId).describe().then((d) => d.status.name, () => 'unknown');
    recent.push([localTime(taken.scheduledAt, zone), `run date ${runDateForScheduledTime(taken.scheduledAt, zone)}`, status, workflowId]);
  }
  out(table(recent));
  return 0;
}

async function list(client: Client): Promise<number> {
  const rows: string[][] = [];
  for await (const schedule of client.schedule.list()) {
    const next = schedule.info.nextActionTimes[0];
    const zone = schedule.spec?.timezone ?? 'UTC';
    rows.push([schedule.scheduleId, schedule.state.paused ? 'paused' : 'active', next ? `next ${localTime(next, zone)}` : 'no next action']);
  }
  out(rows.length > 0 ? table(rows) : "No schedules. Create one with 'segflow schedule create'.");
  return 0;
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'Create and manage the Temporal Schedule that runs the daily segmentation.',
  usage: `segflow schedule ${SUBCOMMANDS.join('|')} [options]`,
  positionals: true,
  options: {
    id: { type: 'string' },
    at: { type: 'string' },
    'catchup-window': { type: 'string' },
    overlap: { type: 'string' },
    note: { type: 'string' },
    ...INPUT_OPTIONS,
  },
  help: {
    create: 'create the schedule (options below); it fires while a server and worker run',
    'describe | list': 'show one schedule (state, next and recent actions with their run dates) | all schedules',
    'pause | unpause': 'stop or resume the daily actions (--note says why)',
    trigger: 'take an action now: it processes yesterday in the business time zone',
    delete: 'delete the schedule (published snapshots stay)',
    '--id ID': `schedule id (default: ${DEFAULT_SCHEDULE_ID})`,
    '--at HH:MM': 'local time of the daily action in the business time zone (default: 02:00)',
    '--catchup-window D': "missed actions within this long are still taken after downtime (default: '2 days')",
    '--overlap POLICY': 'buffer_all (default: caught-up actions run in order), buffer_one, skip or allow_all',
    '--note TEXT': 'with pause or unpause: the reason, shown by describe',
    ...INPUT_HELP,
    'TEMPORAL_ADDRESS': "the cluster holding the schedule (default: the local 'segflow server')",
    '-h, --help': 'show this help',
  },
  async run(values, positionals) {
    const [subcommand, ...extra] = positionals;
    if (!SUBCOMMANDS.includes(subcommand as Subcommand) || extra.length > 0) {
      throw new UsageError(`say what to do: segflow schedule ${SUBCOMMANDS.join('|')} (got '${positionals.join(' ')}')`);
    }
    const scheduleId = String(values.id ?? DEFAULT_SCHEDULE_ID);
    return withRunningServer(async ({ client, endpoint }) => {
      const handle = client.schedule.getHandle(scheduleId);
      try {
        switch (subcommand as Subcommand) {
          case 'create':
            return await create(client, endpoint.taskQueue, scheduleId, values);
          case 'describe':
            return await describe(client, scheduleId);
          case 'list':
            return await list(client);
          case 'pause':
            await handle.pause(values.note ? String(values.note) : 'paused with segflow schedule pause');
            out(`Paused schedule '${scheduleId}'. 'segflow schedule unpause' resumes it.`);
            return 0;
          case 'unpause':
            await handle.unpause(values.note ? String(values.note) : 'unpaused with segflow schedule unpause');
            out(`Schedule '${scheduleId}' is active again.`);
            return 0;
          case 'trigger':
            await handle.trigger();
            out(`Triggered schedule '${scheduleId}': an action starts now and processes yesterday's date. ` +
              `'segflow schedule describe --id ${scheduleId}' shows it.`);
            return 0;
          case 'delete':
            await handle.delete();
            out(`Deleted schedule '${scheduleId}'. Published snapshots are untouched.`);
            return 0;
        }
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) {
          throw new UsageError(`there is no schedule '${scheduleId}' on ${endpoint.address}; 'segflow schedule list' shows the schedules`);
        }
        throw error;
      }
    });
  },
};
