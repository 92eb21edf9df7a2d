import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The command line as a user runs it: the compiled bin/segflow.js (npm test builds dist/ first). */
const BIN = path.join(__dirname, '..', '..', 'bin', 'segflow.js');
const segflow = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const { TEMPORAL_ADDRESS: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...inherited, ...env }, timeout: 170_000 });
};

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');

/** A fresh folder for one command-line test: its snapshot root, and the embedded dev server's state. */
function freshWork(prefix: string) {
  const work = mkdtempSync(path.join(os.tmpdir(), `segflow-cli-${prefix}-`));
  return { work, out: path.join(work, 'out'), env: { SEGFLOW_STATE_DIR: path.join(work, 'state') } };
}

test.each(['run', 'backfill', 'runs', 'report', 'models', 'train', 'schedule', 'worker', 'generate', 'server'])('segflow %s --help describes its options', (command) => {
  const result = segflow([command, '--help']);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`Usage: segflow ${command}`.replace('segflow worker', 'TEMPORAL_ADDRESS=host:7233 segflow worker'));
  expect(result.stdout).toContain('-h, --help');
});

test('segflow --help lists the commands; an unknown command says so', () => {
  expect(segflow(['--help']).stdout).toMatch(/run .*\n.*backfill .*\n.*runs .*\n.*report .*\n.*models .*\n.*train .*\n.*schedule .*\n.*worker .*\n.*generate .*\n.*server /);
  const unknown = segflow(['rnu']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain("unknown command 'rnu'");
});

test('a configuration mistake exits 2 with the field named, before any server starts', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segflow-cli-config-'));
  const config = path.join(dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ sources: { orders: { path: 'o.csv', columns: { member: 'CustomerID' } } } }));
  const result = segflow(['run', '--config', config, '--date', '2024-01-01']);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("sources.orders.columns.member: 'member' is not a column of orders");
});

test.each([
  ['an impossible date', ['run', '--date', '2026-02-30', '--data', FIXTURE], "--date: run date '2026-02-30' is not a calendar date"],
  ['a word for a date', ['run', '--date', 'yesterday', '--data', FIXTURE], "--date: run date 'yesterday' is not a calendar date"],
  ['an impossible --from', ['backfill', '--from', '2024-02-30', '--to', '2024-03-01', '--data', FIXTURE], "--from: run date '2024-02-30'"],
  ['an unknown option', ['run', '--dat', '2024-06-30'], "Unknown option '--dat'. Run 'segflow run --help' for the options."],
  ['a negative number', ['backfill', '--from', '2024-06-01', '--to', '2024-06-02', '--concurrency', '-1'], "Option '--concurrency' argument is ambiguous."],
  ['a fraction', ['backfill', '--from', '2024-06-01', '--to', '2024-06-02', '--concurrency', '1.5'], "--concurrency must be a whole number, got '1.5'"],
  ['a missing configuration file', ['run', '--config', path.join(FIXTURE, 'nope.json')], 'nope.json does not exist'],
  ['a folder as the configuration file', ['run', '--config', FIXTURE], `configuration file ${FIXTURE} is a folder`],
  ['a missing data folder', ['run', '--data', path.join(FIXTURE, 'nope')], 'nope does not exist'],
  ['a file as the data folder', ['run', '--data', path.join(FIXTURE, 'orders.csv')], 'orders.csv is a file, not a folder'],
  ['a worker without a server', ['worker'], 'TEMPORAL_ADDRESS is not set'],
  ['an unknown model to train', ['train', '--model', 'rfm', '--data', FIXTURE], "--model must be one of clustering, clv, churn, got 'rfm'"],
  [
    'an --out below a file',
    ['run', '--data', FIXTURE, '--date', '2024-06-30', '--out', path.join(FIXTURE, 'orders.csv', 'out')],
    `cannot write to ${path.join(FIXTURE, 'orders.csv', 'out')}: ${path.join(FIXTURE, 'orders.csv')} is a file, not a folder`,
  ],
  [
    'a backfill --out that is a file',
    ['backfill', '--from', '2024-06-01', '--to', '2024-06-02', '--data', FIXTURE, '--out', path.join(FIXTURE, 'orders.csv')],
    'Give --out a folder you can write to.',
  ],
])('a usage mistake (%s) exits 2 with one line and no stack trace', (_case, args, message) => {
  const result = segflow(args);
  expect(result.stderr).toContain(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.status).toBe(2);
});

test.each(['0', '1.5', 'two'])('a worker refuses SEGFLOW_MAX_CONCURRENT_ACTIVITIES=%s, naming the variable', (value) => {
  const result = segflow(['worker'], { TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, SEGFLOW_MAX_CONCURRENT_ACTIVITIES: value });
  expect(result.stderr.trim()).toBe(
    `segflow worker: SEGFLOW_MAX_CONCURRENT_ACTIVITIES must be a positive whole number (activities a worker runs at once), got '${value}'`,
  );
  expect(result.status).toBe(2);
});

test('segflow run starts its own dev server and worker, prints each stage and the summary', () => {
  const { work, out, env } = freshWork('run');
  const result = segflow(['run', '--data', FIXTURE, '--date', '2024-06-30', '--out', out], env);
  expect(result.stderr).toContain('Starting a Temporal dev server');
  expect(result.stderr).toMatch(/✓ ingest[\s\S]*✓ publish[\s\S]*✓ report/);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Run 2024-06-30 published.');
  expect(result.stdout).toMatch(/orders\s+16\s+11\s+4\s+1/);
  expect(result.stdout).toMatch(/Champions\s+2/);
  expect(result.stdout).toContain('Segments (6 customers scored; top 20% bring 56.8% of revenue):');
  expect(result.stdout).toMatch(/Clusters \(k = 2 as configured, silhouette \d\.\d{3}\):/);
  // Six customers are too few to fit lifetime value or churn: their fallbacks score, and the line says so.
  expect(result.stdout).toMatch(
    /^Models: clustering 2024-06-30_\w{8} trained by this run, because no clustering model trained as of 2024-06-30 or earlier; clv none \(its fallback scored; the manifest says why\); churn none \(its fallback scored; the manifest says why\)\.$/m,
  );
  expect(existsSync(path.join(out, '_runs', 'run_date=2024-06-30', 'manifest.json'))).toBe(true);
  const report = path.join(out, '_reports', 'run_date=2024-06-30', 'report.html');
  expect(result.stdout).toContain(`Report: ${report}`);
  expect(existsSync(report)).toBe(true);
  expect(existsSync(path.join(work, 'state', 'temporal.sqlite'))).toBe(true);
});

test('a second embedded run on the same state folder waits for the first, then runs; neither shows a server error', async () => {
  const { out, env } = freshWork('twice');
  const { TEMPORAL_ADDRESS: _ignored, ...inherited } = process.env;
  const first = spawn(process.execPath, [BIN, 'run', '--data', FIXTURE, '--date', '2024-06-30', '--out', out], {
    env: { ...inherited, ...env },
  });
  let firstErr = '';
  first.stderr.on('data', (chunk) => (firstErr += chunk));
  const firstExit = new Promise<number | null>((resolve) => first.on('close', resolve));
  const lock = path.join(env.SEGFLOW_STATE_DIR, 'temporal.sqlite.lock');
  let second: ReturnType<typeof segflow>;
  try {
    while (!existsSync(lock)) await new Promise((resolve) => setTimeout(resolve, 100));
    second = segflow(['run', '--data', FIXTURE, '--date', '2024-06-30', '--out', `${out}-2`], env);
  } catch (failure) {
    first.kill(); // do not leave the first run behind
    throw failure;
  }
  expect(await firstExit).toBe(0);
  expect(firstErr).toMatch(/✓ publish/);
  expect(second.stderr).toContain(`Waiting for pid ${first.pid} ('segflow run --data ${FIXTURE}`);
  expect(second.stderr).toContain(`to finish with the dev server state in ${env.SEGFLOW_STATE_DIR}`);
  expect(second.stderr).toMatch(/✓ publish/);
  for (const output of [firstErr, second.stderr]) expect(output).not.toMatch(/database is locked|SQLITE_BUSY|address already in use|^\s+at /im);
  expect(second.status).toBe(0);
  expect(existsSync(path.join(`${out}-2`, '_runs', 'run_date=2024-06-30', 'manifest.json'))).toBe(true);
  expect(existsSync(lock)).toBe(false);
});

test.each([
  ['review-truncated-last-line', 0],
  ['orders-header-only', 1],
])('segflow run --data on the bad-input case %s exits %i', (name, code) => {
  const { work, out, env } = freshWork('corpus');
  const corpus = path.join(__dirname, '..', 'fixtures', 'bad-input');
  const data = path.join(work, 'data');
  cpSync(path.join(corpus, '_base'), data, { recursive: true });
  cpSync(path.join(corpus, name), data, { recursive: true, filter: (file) => path.basename(file) !== 'case.json' });
  const result = segflow(['run', '--data', data, '--date', '2024-06-30', '--out', out], env);
  const { messageContains = [] } = JSON.parse(readFileSync(path.join(corpus, name, 'case.json'), 'utf8')) as { messageContains?: string[] };
  for (const fragment of messageContains) expect(result.stderr).toContain(fragment);
  expect([result.status, result.stderr]).toEqual([code, expect.anything()]); // stderr shown when the code differs
});

test('a run for a date before any purchase fails, says why and publishes nothing', () => {
  const { out, env } = freshWork('early');
  const result = segflow(['run', '--data', FIXTURE, '--date', '2023-06-02', '--out', out], env);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    'no valid orders up to 2023-06-02: 12 valid orders are dated after it and 4 rows were quarantined ' +
      '(duplicate_row 1, missing_member 1, unknown_member 1, unparseable_timestamp 1)',
  );
  expect(existsSync(path.join(out, '_runs', 'run_date=2023-06-02', 'manifest.json'))).toBe(false);
});

test('segflow backfill draws its progress, publishes every date, and segflow runs lists them', () => {
  const { out, env } = freshWork('backfill');
  const result = segflow(['backfill', '--from', '2024-06-28', '--to', '2024-06-30', '--concurrency', '2', '--data', FIXTURE, '--out', out], env);
  expect(result.status).toBe(0);
  expect(result.stderr).toContain('segflow backfill 2024-06-28 .. 2024-06-30: 3 dates, at most 2 at a time');
  expect(result.stderr).toContain('[##############################] 3/3 dates · 0 running · 0 failed');
  expect(result.stdout).toMatch(/published now\s+3/);

  const runs = segflow(['runs', '--out', out]);
  expect(runs.status).toBe(0);
  // M8 is a member with an unreadable birth year, and C4 a service contact with satisfaction 7: each kept, with
  // a warning. C5's member M99 is unknown: quarantined, with the fixture's 13 other bad rows.
  expect(runs.stdout).toMatch(/2024-06-28  published\s+6\s+5\s+0\s+14\s+2\s/);
  expect(runs.stdout).toMatch(/2024-06-30  published\s+7\s+6\s+1\s+14\s+2\s/);

  // A date a backfill has leased shows as in use; table files without a manifest show as incomplete.
  mkdirSync(path.join(out, '_leases'), { recursive: true });
  const lease = { holder: 'segflow-backfill-x', from: '2024-06-29', to: '2024-06-29', createdAt: '2024-07-01T00:00:00Z' };
  writeFileSync(path.join(out, '_leases', 'segflow-backfill-x.json'), JSON.stringify(lease));
  mkdirSync(path.join(out, 'rfm', 'run_date=2024-06-01'));
  const states = segflow(['runs', '--out', out]).stdout;
  expect(states).toMatch(/2024-06-29  published, in use by segflow-backfill-x/);
  expect(states).toMatch(/2024-06-01  incomplete: tables without a manifest/);
  expect(states).toMatch(/2024-06-28  published\s/);

  const again = segflow(['backfill', '--from', '2024-06-28', '--to', '2024-06-30', '--data', FIXTURE, '--out', out], env);
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/already published, skipped\s+3/);
});

test('segflow backfill and schedule name a usage mistake and exit 2', () => {
  const missing = segflow(['backfill', '--from', '2024-06-28']);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('--from and --to are required');
  const reversed = segflow(['backfill', '--from', '2024-06-28', '--to', '2024-06-01']);
  expect(reversed.stderr).toContain('--to 2024-06-01 is before --from 2024-06-28');
  const noVerb = segflow(['schedule']);
  expect(noVerb.status).toBe(2);
  expect(noVerb.stderr).toContain('say what to do: segflow schedule create|describe|list|pause|unpause|trigger|delete');
  const badTime = segflow(['schedule', 'create', '--at', '25:00', '--data', FIXTURE], {
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
  });
  expect(badTime.status).toBe(2);
  expect(badTime.stderr).toContain("'25:00' is not a time of day");
});

test('segflow schedule create, describe, pause, list and delete on a running server', () => {
  const { work, out } = freshWork('schedule');
  const id = `segflow-cli-test-${path.basename(work)}`;
  const env = { TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, TEMPORAL_TASK_QUEUE: id };
  const created = segflow(['schedule', 'create', '--id', id, '--at', '03:30', '--data', FIXTURE, '--out', out], env);
  expect(created.stderr).toBe('');
  expect(created.status).toBe(0);
  expect(created.stdout).toContain(`Created schedule '${id}': every day at 03:30 Asia/Seoul, each run processing the day before.`);
  expect(created.stdout).toMatch(/overlap policy\s+BUFFER_ALL/);
  expect(created.stdout).toMatch(/catch-up window\s+48 h/);
  // Each next action at 03:30 Seoul time processes the day before it.
  const next = [...created.stdout.matchAll(/(\d{4}-\d{2}-\d{2}) 03:30:00 \+09:00\s+run date (\d{4}-\d{2}-\d{2})/g)];
  expect(next).toHaveLength(3);
  for (const [, day, runDate] of next) {
    expect(new Date(`${day}T00:00:00Z`).getTime() - new Date(`${runDate}T00:00:00Z`).getTime()).toBe(86_400_000);
  }

  expect(segflow(['schedule', 'create', '--id', id, '--data', FIXTURE], env).stderr).toContain(`schedule '${id}' already exists`);
  expect(segflow(['schedule', 'pause', '--id', id, '--note', 'warehouse migration'], env).status).toBe(0);
  expect(segflow(['schedule', 'describe', '--id', id], env).stdout).toContain(`Schedule '${id}': PAUSED (warehouse migration)`);
  expect(segflow(['schedule', 'list'], env).stdout).toMatch(new RegExp(`${id}\\s+paused`));
  expect(segflow(['schedule', 'unpause', '--id', id], env).status).toBe(0);
  expect(segflow(['schedule', 'delete', '--id', id], env).stdout).toContain(`Deleted schedule '${id}'`);
  const gone = segflow(['schedule', 'describe', '--id', id], env);
  expect(gone.status).toBe(2);
  expect(gone.stderr).toContain(`there is no schedule '${id}'`);
});
