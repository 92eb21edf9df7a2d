import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trainChurnModel } from '../../analytics/churnModel';
import { churnAsOfDates, stageTrainingRows, trainingColumns, type ChurnInput } from '../../activities/churn';
import { cutAt } from '../../activities/pointInTime';
import { stagingFile } from '../../activities/staging';
import { settingsForDataDir } from '../../lib/config';
import { parquetFile, quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import type { RunSettings } from '../../schemas/run';
import { generateSample } from '../../sample/generateSample';
import { cleanBase, shuffleLabels, truncateBase } from '../support/history';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The churn model on 4,000 generated customers: trained on past as-of dates, evaluated on a later one, and
 * published with its coefficients and metrics. The generator gives churn warning signs, so the model must find
 * them; with shuffled labels it must find nothing; and no training row may see data after its as-of date. The
 * same run checks the discount-sensitivity model end to end (its own tests: test/analytics/discountModel.test.ts).
 */
const RUN_DATE = '2026-10-31';
let temporal: TestTemporal;
let scratch: string;
let settings: RunSettings;
let outDir: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-churn-'));
  await generateSample({ customers: 4000, outDir: path.join(scratch, 'data') });
  settings = settingsForDataDir(path.join(scratch, 'data'));
  outDir = path.join(scratch, 'out');
  await temporal.run({ runDate: RUN_DATE, outDir, settings });
}, 300_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A snapshot table's rows, BIGINTs as numbers. */
async function snapshotRows(table: string, orderBy: string, where = 'true'): Promise<Row[]> {
  const file = path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE);
  const rows = await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false) WHERE ${where} ORDER BY ${orderBy}`),
  );
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

test('the model beats both baselines on a date it never trained on, and says so in model_metrics and the manifest', async () => {
  const { churn } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  expect(churn).toMatchObject({
    method: 'logistic_regression',
    fallbackReasons: [],
    evaluationAsOf: '2026-08-02',
    trainingAsOf: ['2026-05-04', '2026-04-04', '2026-03-05', '2026-02-03'],
    beatsBaselines: true,
  });
  const metrics = await snapshotRows('model_metrics', 'method, metric', "model = 'churn'");
  const auc = Object.fromEntries(metrics.filter((m) => m.metric === 'auc').map((m) => [m.method, m.value as number]));
  expect(auc.logistic_regression).toBeGreaterThanOrEqual(0.75);
  expect(auc.logistic_regression).toBeGreaterThan(auc.heuristic!);
  expect(auc.logistic_regression).toBeGreaterThanOrEqual(auc.one_minus_p_alive!);
  expect(auc.logistic_regression).toBe(churn.model.evaluation.model.auc);
  for (const row of metrics) {
    expect(row).toMatchObject({ rows: churn.model.evaluationRows, window_days: 90 });
    expect(row.beats_baselines).toBe(row.method === 'logistic_regression' ? true : null);
  }
  const rocMetrics = Array.from({ length: 21 }, (_, k) => `tpr_at_fpr_${(k / 20).toFixed(2)}`);
  expect(new Set(metrics.map((m) => m.metric))).toEqual(new Set(['auc', 'log_loss', 'precision', 'recall', 'base_rate', ...rocMetrics]));
  // The ROC curve at 21 false-positive rates, for the report: from the manifest's figures, rising, ending at 1,
  // its trapezoids within a step's error of the AUC.
  for (const method of ['logistic_regression', 'heuristic', 'one_minus_p_alive']) {
    const curve = rocMetrics.map((metric) => metrics.find((m) => m.method === method && m.metric === metric)!.value as number);
    expect(curve.every((tpr, k) => k === 0 || tpr >= curve[k - 1]!)).toBe(true);
    expect(curve[20]).toBe(1);
    const area = curve.slice(1).reduce((sum, tpr, k) => sum + (tpr + curve[k]!) / 2 / 20, 0);
    expect(Math.abs(area - auc[method]!)).toBeLessThan(0.02);
  }
  expect(rocMetrics.map((metric) => metrics.find((m) => m.method === 'logistic_regression' && m.metric === metric)!.value)).toEqual(
    churn.model.evaluation.model.truePositiveRates,
  );
});

test('churn_model explains every published probability: its coefficients give each customer log-odds', async () => {
  const model = await snapshotRows('churn_model', 'feature');
  const intercept = model.find((m) => m.feature === '(intercept)')!;
  const features = model.filter((m) => m !== intercept);
  expect(features.length).toBeGreaterThan(10);
  // The generated service contacts sour as customers drift: their features are in the model.
  expect(features.map((f) => f.feature)).toEqual(expect.arrayContaining(['service_contacts_90d', 'mean_satisfaction_90d', 'repeat_contacts_90d']));
  const customers = await snapshotRows('churn_features', 'member_id');
  expect(customers.length).toBeGreaterThan(3000);
  for (const customer of customers) {
    const logOdds = features.reduce(
      (sum, f) => sum + (f.coefficient as number) * ((customer[f.feature as string] as number | null) ?? (f.training_mean as number)),
      intercept.coefficient as number,
    );
    expect(customer.churn_method).toBe('logistic_regression');
    expect(customer.churn_probability).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 5);
  }
});

test("lifetime value's holdout check compares BG/NBD with the naive rate on the same purchases", async () => {
  const metrics = await snapshotRows('model_metrics', 'method, metric', "model = 'clv_purchases'");
  expect(metrics.map((m) => [m.method, m.metric])).toEqual([
    ['bg_nbd', 'actual_purchases'], ['bg_nbd', 'mean_absolute_error'], ['bg_nbd', 'predicted_purchases'],
    ['naive_rate', 'actual_purchases'], ['naive_rate', 'mean_absolute_error'], ['naive_rate', 'predicted_purchases'],
  ]);
  const actual = metrics.filter((m) => m.metric === 'actual_purchases').map((m) => m.value);
  expect(actual[0]).toBe(actual[1]);
  // Purchase days after the holdout's start (2026-08-02) by customers who had bought by then, counted independently.
  const orders = path.join(scratch, 'data', 'orders.csv');
  const counted = await Warehouse.using({ timeZone: settings.businessTimeZone }, (warehouse) =>
    warehouse.scalar<bigint>(`
      WITH days AS (SELECT DISTINCT member_id, CAST(TRY_CAST(ordered_at AS TIMESTAMPTZ) AS DATE) AS day
                    FROM read_csv(${quoteLiteral(orders)}, all_varchar = true) WHERE status <> 'cancelled'
                      AND TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NOT NULL)
      SELECT count(*) FROM days WHERE day > DATE '2026-08-02' AND day <= DATE '2026-10-31'
        AND member_id IN (SELECT member_id FROM days WHERE day <= DATE '2026-08-02')`),
  );
  expect(actual[0]).toBeLessThanOrEqual(Number(counted));
  expect(actual[0]).toBeGreaterThan(Number(counted) * 0.9); // quarantined rows aside
});

test('discount sensitivity is trained and evaluated beside seed 004, and campaign_targets offers each segment its level', async () => {
  const { discountSensitivity } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  expect(discountSensitivity).toMatchObject({
    method: 'logistic_regression',
    fallbackReasons: [],
    trainingAsOf: '2026-05-04', // D − 2 × 90: its labels end where evaluation's features start
    evaluationAsOf: '2026-08-02',
    seed004: { accuracy: 0.82, f1: 0.77, auc: 0.85 },
  });
  const metrics = await snapshotRows('model_metrics', 'method, metric', "model = 'discount_sensitivity'");
  const figure = (method: string, metric: string) => metrics.find((m) => m.method === method && m.metric === metric)!.value as number;
  expect(figure('logistic_regression', 'auc')).toBeGreaterThanOrEqual(0.75);
  expect(figure('logistic_regression', 'auc')).toBe(discountSensitivity.model.evaluation.model.auc);
  expect(figure('logistic_regression', 'accuracy')).toBe(discountSensitivity.model.evaluation.model.accuracy);
  expect(new Set(metrics.map((m) => `${m.method} ${m.metric}`))).toEqual(
    new Set(['logistic_regression', 'past_promo_order_share'].flatMap((method) =>
      ['accuracy', 'auc', 'base_rate', 'f1', 'log_loss', 'precision', 'recall'].map((metric) => `${method} ${metric}`))),
  );
  for (const row of metrics) expect(row).toMatchObject({ rows: discountSensitivity.model.evaluationRows, window_days: 90 });

  const customers = await snapshotRows('discount_sensitivity', 'member_id');
  expect(customers).toHaveLength((await snapshotRows('churn_features', 'member_id')).length); // every buyer
  for (const customer of customers) {
    expect(customer.discount_method).toBe('logistic_regression');
    expect(customer.discount_probability).toBeGreaterThan(0);
    expect(customer.discount_probability).toBeLessThan(1);
  }
  // Each segment's level from its mean probability and the default thresholds, and the default discount of the level.
  const levels = await snapshotRows('discount_levels', 'segment');
  const { levelThresholds, levelDiscountPct } = settings.discountSensitivity;
  for (const segment of levels) {
    const mean = segment.mean_discount_probability as number;
    const level = mean >= levelThresholds.high ? 'high' : mean >= levelThresholds.medium ? 'medium' : mean >= levelThresholds.low ? 'low' : 'none';
    expect([segment.segment, segment.discount_level, segment.recommended_discount_pct]).toEqual([segment.segment, level, levelDiscountPct[level]]);
  }
  expect(new Set(levels.map((l) => l.discount_level)).size).toBeGreaterThan(1);
  const levelOf = new Map(levels.map((l) => [l.segment, l]));
  const targets = await snapshotRows('campaign_targets', 'member_id');
  expect(targets.length).toBeGreaterThan(100);
  let offeredByLevel = 0;
  for (const target of targets) {
    const [code, ...more] = (target.reason_codes as string[]).filter((c) => c.startsWith('discount:'));
    expect(more).toEqual([]);
    if (code!.startsWith('discount:none_bought_within_')) {
      expect(target.discount_pct).toBe(0);
      continue;
    }
    const level = levelOf.get(target.segment as string)!;
    expect([code, target.discount_pct]).toEqual([`discount:${level.discount_level}_sensitivity`, level.recommended_discount_pct]);
    offeredByLevel++;
  }
  expect(offeredByLevel).toBeGreaterThan(100);
});

describe('on the cleaned base of the same data', () => {
  let baseDir: string;
  let input: ChurnInput;

  beforeAll(async () => {
    baseDir = path.join(scratch, 'base');
    await cleanBase(settings, baseDir);
    input = {
      runDate: RUN_DATE,
      settings,
      stagingDir: path.join(scratch, 'staging'),
      cut: cutAt(baseDir, RUN_DATE, settings.businessTimeZone),
      loadedSources: ['orders', 'order_items', 'members', 'reviews', 'ga_sessions', 'products', 'promotions', 'platforms', 'service_contacts'],
      hasPAlive: true,
      outDir,
    };
  }, 120_000);

  /** The training rows of `asOf` from the base in `dir`, every column but the label (which looks ahead). */
  async function featuresAsOf(dir: string, asOf: string): Promise<Row[]> {
    return Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      await stageTrainingRows(warehouse, { ...input, cut: { ...input.cut, baseDir: dir } }, [asOf]);
      return warehouse.rows('SELECT * EXCLUDE (churned) FROM churn_training_rows ORDER BY member_id');
    });
  }

  test('no training row sees data after its as-of date: deleting everything later changes no feature', async () => {
    const asOf = churnAsOfDates(RUN_DATE, settings.churn).training[0]!;
    const truncated = path.join(scratch, 'truncated');
    await truncateBase(baseDir, truncated, asOf, settings.businessTimeZone);
    const full = await featuresAsOf(baseDir, asOf);
    expect(full.length).toBeGreaterThan(1000);
    expect(await featuresAsOf(truncated, asOf)).toEqual(full);
  }, 120_000);

  test('without service contacts their features are NULL for everyone, and the model leaves them out', async () => {
    const withoutContacts = path.join(scratch, 'without-contacts');
    await fs.cp(path.join(baseDir, 'base'), path.join(withoutContacts, 'base'), { recursive: true });
    // What clean writes for a source that is not there: the table without rows.
    await Warehouse.using({ timeZone: settings.businessTimeZone }, (warehouse) =>
      warehouse.run(`COPY (SELECT * FROM ${parquetFile(stagingFile(baseDir, 'base', 'service_contacts'))} WHERE false)
                     TO ${quoteLiteral(stagingFile(withoutContacts, 'base', 'service_contacts'))} (FORMAT parquet)`),
    );
    const { training, evaluation } = churnAsOfDates(RUN_DATE, settings.churn);
    const absent = { ...input, cut: { ...input.cut, baseDir: withoutContacts }, loadedSources: input.loadedSources.filter((s) => s !== 'service_contacts') };
    const rows = await Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      await stageTrainingRows(warehouse, absent, [...training, evaluation]);
      return trainingColumns(warehouse);
    });
    const serviceFeatures = ['service_contacts_90d', 'mean_satisfaction_90d', 'repeat_contacts_90d'] as const;
    for (const feature of serviceFeatures) expect([feature, rows.features[feature].every(Number.isNaN)]).toEqual([feature, true]);
    const dates = [...training.map((asOf) => ({ asOf, role: 'training' as const })), { asOf: evaluation, role: 'evaluation' as const }];
    const model = trainChurnModel({ rows, dates, l2Penalty: 1, cutoff: 0.5, usePAlive: true });
    expect(model.droppedFeatures).toEqual(expect.arrayContaining([...serviceFeatures]));
    for (const feature of serviceFeatures) expect(model.coefficients.map((c) => c.feature)).not.toContain(feature);
  }, 120_000);

  // Every label shuffled, evaluation's too: the features then say nothing about the labels. (With only the training
  // labels shuffled the model is a random direction in feature space, and one of those can rank churners well
  // by chance when most features track recency.)
  test('with shuffled labels the model finds nothing: AUC between 0.45 and 0.55', async () => {
    const { training, evaluation } = churnAsOfDates(RUN_DATE, settings.churn);
    const rows = await Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      await stageTrainingRows(warehouse, input, [...training, evaluation]);
      return trainingColumns(warehouse);
    });
    shuffleLabels(rows.churned, 11);
    const dates = [...training.map((asOf) => ({ asOf, role: 'training' as const })), { asOf: evaluation, role: 'evaluation' as const }];
    const model = trainChurnModel({ rows, dates, l2Penalty: 1, cutoff: 0.5, usePAlive: true });
    expect(model.evaluation.model.auc).toBeGreaterThanOrEqual(0.45);
    expect(model.evaluation.model.auc).toBeLessThanOrEqual(0.55);
  }, 120_000);
});
