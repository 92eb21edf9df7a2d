import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChurnParameters, ChurnTraining } from '../../activities/churn';
import type { ClvTraining } from '../../activities/lifetimeValue';
import { expectedPurchases, probabilityAlive } from '../../analytics/bgNbd';
import type { ClvParameters } from '../../analytics/clvPrediction';
import { settingsForDataDir } from '../../lib/config';
import { quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';
import { listModels, type StoredModel } from '../../lib/modelStore';
import { TRAINED_ON_REQUEST } from '../../lib/refitPolicy';
import { manifestPath, PART_FILE, partitionDir, readManifest } from '../../lib/snapshots';
import type { RunSettings, SegmentationRunResult } from '../../schemas/run';
import { generateSample } from '../../sample/generateSample';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * Lifetime value and churn through the model store on 1,000 generated customers, one snapshot root for the whole
 * file, dates in order: reuse inside the refit window with scores from the stored parameters, refits on drift
 * and not below it, a version trained by `segflow train`, and a configuration change. The clustering's own
 * behaviour, and a backfill's refit points, are test/workflow/clusterModels.test.ts's.
 */
let temporal: TestTemporal;
let scratch: string;
let dataDir: string;
let outDir: string;
let settings: RunSettings;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-model-store-'));
  dataDir = path.join(scratch, 'data');
  outDir = path.join(scratch, 'out');
  await generateSample({ customers: 1000, outDir: dataDir });
  settings = settingsForDataDir(dataDir);
}, 120_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

const withRefit = (clv: Partial<RunSettings['clv']['refit']>, churn: Partial<RunSettings['churn']['refit']>): RunSettings => ({
  ...settings,
  clv: { ...settings.clv, refit: { ...settings.clv.refit, ...clv } },
  churn: { ...settings.churn, refit: { ...settings.churn.refit, ...churn } },
});

async function snapshotRows(table: string, runDate: string): Promise<Row[]> {
  const file = path.join(partitionDir(outDir, table, runDate), PART_FILE);
  return Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false) ORDER BY member_id`),
  );
}

async function statistics(result: SegmentationRunResult) {
  const manifest = JSON.parse(await fs.readFile(manifestPath(outDir, result.runDate), 'utf8'));
  return manifest.statistics as {
    lifetimeValue: { holdout: { purchaseError: number; asOf: string } };
    churn: { evaluationAsOf: string; model: { evaluation: { model: { auc: number } } } };
  };
}

async function stored<Parameters, Training>(model: 'clv' | 'churn', version: string): Promise<StoredModel<Parameters, Training>> {
  const found = (await listModels<Parameters, Training>(outDir, model)).find((m) => m.version === version);
  if (!found) throw new Error(`no ${model} version ${version}`);
  return found;
}

/** The command line against the test's server and worker; spawned, so that the worker in this process runs on. */
function segflow(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { TEMPORAL_ADDRESS: _ignored, ...inherited } = process.env;
  const env = { ...inherited, TEMPORAL_ADDRESS: temporal.endpoint.address, TEMPORAL_TASK_QUEUE: temporal.endpoint.taskQueue };
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'segflow.js'), ...args], { env });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('a second date inside the refit window scores with the stored lifetime value and churn models', async () => {
  const first = await temporal.run({ runDate: '2026-10-28', outDir, settings });
  const second = await temporal.run({ runDate: '2026-10-29', outDir, settings });
  for (const model of ['clv', 'churn'] as const) {
    expect(first.models[model]).toEqual({
      version: expect.stringMatching(/^2026-10-28_\w{8}$/),
      trainedAsOf: '2026-10-28',
      refitted: true,
      reason: `no ${model} model trained as of 2026-10-28 or earlier`,
    });
    expect(second.models[model]).toEqual({ ...first.models[model], refitted: false, reason: null });
    expect((await readManifest(outDir, '2026-10-29')).models![model]).toMatchObject({ version: first.models[model]!.version, refitted: false });
  }

  // Lifetime value from the stored BG/NBD parameters: P(alive) and expected purchases of each customer's history.
  const clvModel = await stored<ClvParameters, ClvTraining>('clv', first.models.clv!.version);
  const clv = await snapshotRows('clv', '2026-10-29');
  expect(clv.length).toBeGreaterThan(900);
  for (const c of clv) {
    const history = [c.model_frequency, c.model_recency_days, c.model_t_days] as [number, number, number];
    expect(c.clv_method).toBe('bg_nbd_gamma_gamma');
    expect(c.p_alive).toBeCloseTo(probabilityAlive(clvModel.parameters.bgNbd, ...history), 12);
    expect(c.expected_purchases).toBeCloseTo(expectedPurchases(clvModel.parameters.bgNbd, ...history, settings.clv.horizonDays), 12);
  }

  // Churn from the stored coefficients: the log-odds of each customer's features as of 2026-10-29.
  const churnModel = await stored<ChurnParameters, ChurnTraining>('churn', first.models.churn!.version);
  expect(churnModel.training.asOfDates).toEqual(['2026-05-01', '2026-04-01', '2026-03-02', '2026-01-31']);
  const customers = await snapshotRows('churn_features', '2026-10-29');
  expect(customers.length).toBeGreaterThan(900);
  for (const customer of customers) {
    const logOdds = churnModel.parameters.coefficients.reduce((sum, { feature, mean, std, standardizedCoefficient }) => {
      const value = customer[feature] as number | bigint | null; // counts are BIGINT
      return value === null ? sum : sum + (standardizedCoefficient * (Number(value) - mean)) / std;
    }, churnModel.parameters.intercept);
    expect(customer.churn_probability).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 5);
  }
}, 180_000);

test('drift beyond the thresholds refits lifetime value and churn; just within them the stored models stay', async () => {
  const runDate = '2026-10-30';
  const loose = await temporal.run({ runDate, outDir, settings: withRefit({ maxPurchaseError: 100 }, { minAuc: 0.01 }) });
  expect([loose.models.clv!.refitted, loose.models.churn!.refitted]).toEqual([false, false]);
  const { lifetimeValue, churn } = await statistics(loose);
  const error = Math.abs(lifetimeValue.holdout.purchaseError);
  const auc = churn.model.evaluation.model.auc;
  expect(lifetimeValue.holdout.asOf).toBe('2026-08-01');
  expect(churn.evaluationAsOf).toBe('2026-08-01');

  const within = await temporal.run({ runDate, outDir, settings: withRefit({ maxPurchaseError: error * 1.01 }, { minAuc: auc * 0.99 }) });
  expect(within.models).toEqual(loose.models);

  const beyond = await temporal.run({ runDate, outDir, settings: withRefit({ maxPurchaseError: error * 0.99 }, { minAuc: auc * 1.01 }) });
  expect(beyond.models.clv).toMatchObject({ version: expect.stringMatching(/^2026-10-30_/), refitted: true });
  expect(beyond.models.clv!.reason).toMatch(
    new RegExp(`^it predicted [\\d.]+ purchases after 2026-08-01 against \\d+ made \\([+-]\\d+\\.\\d%, clv.refit.maxPurchaseError ${error * 0.99}\\)$`),
  );
  expect(beyond.models.churn).toMatchObject({ version: expect.stringMatching(/^2026-10-30_/), refitted: true });
  expect(beyond.models.churn!.reason).toBe(`its AUC on 2026-08-01 is ${auc.toFixed(3)}, below churn.refit.minAuc ${auc * 1.01}`);
  const refitted = await stored<ChurnParameters, ChurnTraining>('churn', beyond.models.churn!.version);
  expect(refitted.previousVersion).toBe(loose.models.churn!.version);
}, 240_000);

test('segflow train --model churn stores a new version, which the next run scores with', async () => {
  const trained = await segflow(['train', '--model', 'churn', '--date', '2026-11-01', '--data', dataDir, '--out', outDir]);
  expect(trained.stderr).toContain('segflow train churn as of 2026-11-01: workflow segflow-train-2026-11-01');
  expect(trained.status).toBe(0);
  const [, version] = trained.stdout.match(/churn +(2026-11-01_\w{8}) +new version; runs for 2026-11-01 and later score with it/)!;
  const churnModel = await stored<ChurnParameters, ChurnTraining>('churn', version!);
  expect(churnModel.reason).toBe(TRAINED_ON_REQUEST);
  expect((await listModels(outDir, 'clustering')).map((m) => m.trainedAsOf)).not.toContain('2026-11-01');
  await expect(fs.readdir(outDir)).resolves.not.toContain('_staging');

  const next = await temporal.run({ runDate: '2026-11-02', outDir, settings });
  expect(next.models.churn).toEqual({ version, trainedAsOf: '2026-11-01', refitted: false, reason: null });

  const again = await segflow(['train', '--model', 'churn', '--date', '2026-11-01', '--data', dataDir, '--out', outDir]);
  expect(again.stdout).toMatch(new RegExp(`churn +${version} +kept: trained as of 2026-11-01 with this configuration already`));
}, 240_000);

test('a configuration change refits the models it shapes', async () => {
  const changed = { ...settings, revenue: { definition: 'gross' as const }, churn: { ...settings.churn, l2Penalty: 2 } };
  const result = await temporal.run({ runDate: '2026-11-03', outDir, settings: changed });
  expect(result.models.clv).toMatchObject({ refitted: true, reason: expect.stringMatching(/^the clv configuration or its features changed since 2026-10-30_\w{8}$/) });
  expect(result.models.churn).toMatchObject({ refitted: true, reason: expect.stringMatching(/^the churn configuration or its features changed since 2026-11-01_\w{8}$/) });
}, 180_000);
