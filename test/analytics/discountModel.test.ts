import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trainDiscountModel, type DiscountRows } from '../../analytics/discountModel';
import {
  discountAsOfDates,
  stageInputsAsOf,
  stageTrainingRows,
  trainingColumns,
  type DiscountSensitivityInput,
} from '../../activities/discountSensitivity';
import { cutAt } from '../../activities/pointInTime';
import { settingsForDataDir } from '../../lib/config';
import { Warehouse, type Row } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';
import type { RunSettings } from '../../schemas/run';
import { SOURCE_NAMES } from '../../schemas/sources';
import { generateSample } from '../../sample/generateSample';
import { cleanBase, shuffleLabels, truncateBase } from '../support/history';

/**
 * The discount-sensitivity model on the cleaned base of 4,000 generated customers, without Temporal: trained on
 * the features as of D − 180 days labelled by the 90 days after, validated on D − 90. The generator's deal seekers
 * give it a real signal to find; with shuffled labels it must find nothing; and no row sees data after its
 * as-of date.
 */
const RUN_DATE = '2026-10-31';
let scratch: string;
let settings: RunSettings;
let input: DiscountSensitivityInput;
let baseDir: string;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-discount-'));
  await generateSample({ customers: 4000, outDir: path.join(scratch, 'data'), endDate: RUN_DATE });
  settings = settingsForDataDir(path.join(scratch, 'data'));
  baseDir = path.join(scratch, 'base');
  await cleanBase(settings, baseDir);
  input = {
    runDate: RUN_DATE,
    settings,
    stagingDir: path.join(scratch, 'staging'),
    cut: cutAt(baseDir, RUN_DATE, settings.businessTimeZone),
    loadedSources: [...SOURCE_NAMES],
  };
}, 120_000);

afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

/** The labelled rows of the training and evaluation dates, as columns for the model. */
async function labelledRows(): Promise<DiscountRows> {
  return Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await stageTrainingRows(warehouse, input);
    return trainingColumns(warehouse);
  });
}

/** Every customer's features as of `asOf` from the base in `dir`. */
async function featuresAsOf(dir: string, asOf: string): Promise<Row[]> {
  return Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await stageInputsAsOf(warehouse, input, cutAt(dir, asOf, settings.businessTimeZone), asOf);
    return warehouse.rows('SELECT * FROM discount_inputs ORDER BY member_id');
  });
}

test('the model finds the deal seekers on a date it never trained on: AUC of 0.75 or more, beating chance by far', async () => {
  const model = trainDiscountModel({ rows: await labelledRows(), l2Penalty: 1, cutoff: 0.5 });
  expect(model.converged).toBe(true);
  expect(model.trainingRows).toBeGreaterThan(800);
  expect(model.evaluationRows).toBeGreaterThan(800);
  // Deal seekers are a minority of the buyers: the label is neither rare nor common.
  expect(model.baseRate).toBeGreaterThan(0.1);
  expect(model.baseRate).toBeLessThan(0.5);
  expect(model.evaluation.model.auc).toBeGreaterThanOrEqual(0.75);
  expect(model.evaluation.model.accuracy).toBeGreaterThan(1 - model.baseRate); // better than calling nobody sensitive
  // Buying on promotion before is the strongest sign: its effect is positive and the largest.
  const strongest = [...model.coefficients].sort((a, b) => Math.abs(b.standardizedCoefficient) - Math.abs(a.standardizedCoefficient))[0]!;
  expect(strongest).toMatchObject({ feature: 'promo_order_share' });
  expect(strongest.standardizedCoefficient).toBeGreaterThan(0);
}, 120_000);

// Every label shuffled, evaluation's too: the features then say nothing about the labels.
test('with shuffled labels the model finds nothing: AUC between 0.45 and 0.55', async () => {
  const rows = await labelledRows();
  shuffleLabels(rows.sensitive, 11);
  const model = trainDiscountModel({ rows, l2Penalty: 1, cutoff: 0.5 });
  expect(model.evaluation.model.auc).toBeGreaterThanOrEqual(0.45);
  expect(model.evaluation.model.auc).toBeLessThanOrEqual(0.55);
}, 120_000);

test('no training row sees data after its as-of date: deleting everything later changes no feature', async () => {
  const asOf = discountAsOfDates(RUN_DATE, settings.discountSensitivity.horizonDays).training;
  const truncated = path.join(scratch, 'truncated');
  await truncateBase(baseDir, truncated, asOf, settings.businessTimeZone);
  const full = await featuresAsOf(baseDir, asOf);
  expect(full.length).toBeGreaterThan(1500);
  expect(full.some((row) => row.mean_promo_discount_pct !== null && row.tenure_days !== null && row.sessions_last_90d !== null)).toBe(true);
  expect(await featuresAsOf(truncated, asOf)).toEqual(full);
}, 120_000);
