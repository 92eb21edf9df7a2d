import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { settingsForDataDir } from '../../lib/config';
import { quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';
import { listModels } from '../../lib/modelStore';
import { PART_FILE, partitionDir, publishedRunDates, readManifest } from '../../lib/snapshots';
import type { ClusteringParameters } from '../../analytics/clusterModel';
import type { RunSettings } from '../../schemas/run';
import { generateSample } from '../../sample/generateSample';
import { backfill, backfillId } from '../../workflows';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The clustering model store on 1,000 generated customers (k fixed at 3, so that refits are comparable): reuse
 * within the refit window, ids carried over a refit, refits on drift, and a backfill that trains every model
 * (clustering, lifetime value, churn) only at its refit points.
 */
let temporal: TestTemporal;
let scratch: string;
let settings: RunSettings;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-models-'));
  await generateSample({ customers: 1000, outDir: path.join(scratch, 'data') });
  const generated = settingsForDataDir(path.join(scratch, 'data'));
  settings = { ...generated, clustering: { ...generated.clustering, k: 3 } };
}, 120_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

type Refit = RunSettings['clustering']['refit'];
const withRefit = (refit: Partial<Refit>): RunSettings => ({
  ...settings,
  clustering: { ...settings.clustering, refit: { ...settings.clustering.refit, ...refit } },
});

async function clusters(outDir: string, runDate: string): Promise<Row[]> {
  const file = path.join(partitionDir(outDir, 'clusters', runDate), PART_FILE);
  return Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false) ORDER BY member_id`),
  );
}

/** A customer's standardized features but those a day's passing moves (recency and purchase consistency). */
const activityOf = (row: Row) =>
  JSON.stringify(Object.entries(row).filter(([key]) => key.endsWith('_scaled') && !/recency|consistency/.test(key)));

describe('daily runs into one snapshot root', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = path.join(scratch, 'daily');
  });

  test('two dates inside the refit window share the model: customers sit at its nearest centroid, and idle ones keep their id', async () => {
    const first = await temporal.run({ runDate: '2026-10-29', outDir, settings });
    const second = await temporal.run({ runDate: '2026-10-30', outDir, settings });
    expect(first.models.clustering!).toMatchObject({ version: expect.stringMatching(/^2026-10-29_/), refitted: true });
    expect(first.models.clustering!.reason).toBe('no clustering model trained as of 2026-10-29 or earlier');
    expect(second.models.clustering!).toEqual({ ...first.models.clustering!, refitted: false, reason: null });

    const [before, after] = [await clusters(outDir, '2026-10-29'), await clusters(outDir, '2026-10-30')];
    // Every customer sits in the nearest centroid of the stored model, by the published standardized features.
    const [model] = await listModels<ClusteringParameters>(outDir, 'clustering');
    for (const row of after) {
      const scaled = model!.parameters.features.map((f) => row[`${f.name}_scaled`] as number);
      const distance = (centroid: number[]) => centroid.reduce((sum, c, i) => sum + (c - scaled[i]!) ** 2, 0);
      const nearest = model!.parameters.clusters.reduce((best, c) => (distance(c.centroid) < distance(best.centroid) ? c : best));
      expect([row.member_id, row.cluster, row.cluster_name]).toEqual([row.member_id, nearest.id, nearest.name]);
    }
    // Customers who did nothing in between only aged a day: they keep their cluster.
    const previous = new Map(before.map((row) => [row.member_id, row]));
    const idle = after.filter((row) => previous.has(row.member_id) && activityOf(previous.get(row.member_id)!) === activityOf(row));
    expect(idle.length).toBeGreaterThan(after.length / 3);
    const moved = idle.filter((row) => previous.get(row.member_id)!.cluster !== row.cluster);
    expect(moved.length).toBeLessThanOrEqual(idle.length * 0.01);
  }, 180_000);

  test('a refit of persisting clusters keeps their ids and names, and says which model it replaced', async () => {
    const result = await temporal.run({ runDate: '2026-10-31', outDir, settings: withRefit({ everyDays: 1 }) });
    expect(result.models.clustering!.refitted).toBe(true);
    expect(result.models.clustering!.reason).toMatch(/^2026-10-29_\w{8} is 2 days old \(clustering.refit.everyDays 1\)$/);
    const models = await listModels<ClusteringParameters>(outDir, 'clustering');
    expect(models.map((m) => m.version)).toEqual([expect.stringMatching(/^2026-10-29_/), result.models.clustering!.version]);
    expect(models[1]!.previousVersion).toBe(models[0]!.version);
    const named = (m: (typeof models)[number]) => m.parameters.clusters.map((c) => [c.id, c.name]).sort();
    expect(named(models[1]!)).toEqual(named(models[0]!));

    const [before, after] = [await clusters(outDir, '2026-10-30'), await clusters(outDir, '2026-10-31')];
    const previous = new Map(before.map((row) => [row.member_id, row.cluster]));
    const kept = after.filter((row) => previous.get(row.member_id) === row.cluster).length;
    expect(kept / after.length).toBeGreaterThan(0.9);
  }, 180_000);

  test('drift beyond the threshold refits; below it the model is reused', async () => {
    const calm = await temporal.run({ runDate: '2026-11-01', outDir, settings });
    expect(calm.models.clustering!.refitted).toBe(false);
    const { drift } = (JSON.parse(await fs.readFile(calm.manifestPath, 'utf8')) as { statistics: { clustering: { drift: { farShare: number } } } })
      .statistics.clustering;
    expect(drift.farShare).toBeLessThan(settings.clustering.refit.maxFarShare);

    const strict = await temporal.run({ runDate: '2026-11-01', outDir, settings: withRefit({ maxFarShare: drift.farShare / 2 }) });
    expect(strict.models.clustering!.refitted).toBe(true);
    expect(strict.models.clustering!.reason).toMatch(/% of customers lie beyond their cluster's training 95th percentile/);
  }, 180_000);
});

test('a 20-date backfill with refit.everyDays 7 trains each model 3 times, each date scoring with versions trained at or before it', async () => {
  const outDir = path.join(scratch, 'backfill');
  const [from, to] = ['2026-10-12', '2026-10-31'];
  await temporal.client.workflow.execute(backfill, {
    workflowId: backfillId(from, to),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ from, to, outDir, settings, concurrency: 3, force: false, datesPerRun: 50 }],
  });
  const dates = await publishedRunDates(outDir);
  expect(dates).toHaveLength(20);
  const manifests = await Promise.all(dates.map((date) => readManifest(outDir, date)));
  for (const model of ['clustering', 'clv', 'churn'] as const) {
    const used = manifests.map((manifest) => [manifest.runDate, manifest.models![model]!] as const);
    expect([model, used.filter(([, use]) => use.refitted).map(([date]) => date)]).toEqual([model, ['2026-10-12', '2026-10-19', '2026-10-26']]);
    // Every date scores with the version of the latest refit point at or before it.
    for (const [date, use] of used) expect([model, date, use.version.slice(0, 10)]).toEqual([model, date, date < '2026-10-19' ? '2026-10-12' : date < '2026-10-26' ? '2026-10-19' : '2026-10-26']);
  }

  const list = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'segflow.js'), 'models', 'list', '--out', outDir], { encoding: 'utf8' });
  expect(list.status).toBe(0);
  expect(list.stdout).toMatch(/clustering +2026-10-12_\w{8} +2026-10-12 +k 3, mean distance [\d.]+ +7 dates, 2026-10-12 to 2026-10-18 +no clustering model/);
  expect(list.stdout).toMatch(/clustering +2026-10-26_\w{8} +2026-10-26 +k 3, mean distance [\d.]+ +6 dates, 2026-10-26 to 2026-10-31 +2026-10-19_\w{8} is 7 days old/);
  expect(list.stdout).toMatch(/clv +2026-10-19_\w{8} +2026-10-19 +holdout [\d.]+ purchases predicted, \d+ made \([+-][\d.]+%\) +7 dates, 2026-10-19 to 2026-10-25 +2026-10-12_\w{8} is 7 days old/);
  expect(list.stdout).toMatch(/churn +2026-10-12_\w{8} +2026-10-12 +AUC 0\.\d{3} on 2026-07-14 \(heuristic 0\.\d{3}\) +7 dates, 2026-10-12 to 2026-10-18 +no churn model/);
}, 600_000);
