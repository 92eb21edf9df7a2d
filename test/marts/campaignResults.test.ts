import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCampaignResults, latestCampaignResults } from '../../activities/campaignResults';
import { stagingFile } from '../../activities/staging';
import { quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';
import { manifestPath, PART_FILE, partitionDir, type Manifest } from '../../lib/snapshots';
import { buildSections } from '../../report/sections';
import { SnapshotTables } from '../../report/snapshotTables';
import { readParquet } from '../support/parquet';

/**
 * sql/marts/campaign_results.sql through buildCampaignResults, on a fake output folder whose earlier snapshots
 * published hand-made campaign_targets, and hand-made order lines; run date 2024-07-15, 30-day window, 90-day
 * lookback. Every expected value is worked out by hand below.
 */
const RUN_DATE = '2024-07-15';
const WINDOW = { windowDays: 30, lookbackDays: 90 };
const Z = 1.959963984540054; // Φ⁻¹(0.975)
const T_975_8 = 2.306004135204166; // the t table's 97.5% quantile at 8 degrees of freedom (2.306)

const targets = (rows: [string, string, string][]) =>
  `SELECT * FROM (VALUES ${rows.map((row) => `(${row.map(quoteLiteral).join(', ')})`).join(', ')}) AS t(member_id, campaign, assignment)`;
const VIP_JUNE = [
  ...['T1', 'T2', 'T3', 'T4', 'T5'].map((member): [string, string, string] => [member, 'vip', 'treatment']),
  ...['C1', 'C2', 'C3', 'C4', 'C5'].map((member): [string, string, string] => [member, 'vip', 'control']),
];

/** Published snapshots by run date: the query of their campaign_targets. */
const SNAPSHOTS: Record<string, string> = {
  // Older than the 90-day lookback (since 2024-04-16): not read.
  '2024-04-10': targets(VIP_JUNE),
  '2024-06-01': targets([...VIP_JUNE, ['W1', 'win_back', 'treatment']]),
  // Published before control groups existed: no assignment column, nothing to compare.
  '2024-06-15': `SELECT 'T1' AS member_id, 'vip' AS campaign`,
  '2024-07-10': targets([['T1', 'vip', 'treatment'], ['C1', 'vip', 'control']]),
  // The run date itself and a later date: not earlier snapshots, so not read.
  '2024-07-15': targets(VIP_JUNE),
  '2024-07-20': targets(VIP_JUNE),
};

const ORDER_LINES = `
  SELECT member_id, CAST(order_date AS DATE) AS order_date, is_purchase, revenue FROM (VALUES
    ('T1', '2024-06-01', true, 50.0),   -- on the target date itself: before the window
    ('T1', '2024-07-12', true, 20.0),   -- in the window of 07-10, after that of 06-01
    ('T2', '2024-07-02', true, 40.0),   -- the day after 06-01's window ends
    ('T3', '2024-07-01', true, 10.0),   -- the window's last day
    ('T4', '2024-06-05', true, 12.0),   -- two orders: one buyer, 20
    ('T4', '2024-06-20', true, 8.0),
    ('T5', '2024-06-10', true, 35.0),   -- a purchase and a return: 30 (net revenue)
    ('T5', '2024-06-15', false, -5.0),
    ('C3', '2024-06-12', false, 0.0),   -- a cancelled order: no buyer
    ('C4', '2024-06-20', true, 10.0),
    ('C5', '2024-06-25', true, 30.0),
    ('C5', '2024-07-05', true, 100.0),  -- after 06-01's window
    ('C1', '2024-07-20', true, 70.0),   -- after the run date: never read
    ('W1', '2024-06-03', true, 25.0)
  ) AS t(member_id, order_date, is_purchase, revenue)`;

let outDir: string;

beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-campaign-results-'));
  await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    for (const [runDate, query] of Object.entries(SNAPSHOTS)) {
      const file = path.join(partitionDir(outDir, 'campaign_targets', runDate), PART_FILE);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await warehouse.run(`COPY (${query}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
      await fs.mkdir(path.dirname(manifestPath(outDir, runDate)), { recursive: true });
      await fs.writeFile(manifestPath(outDir, runDate), '{}');
    }
  });
});

afterAll(async () => {
  await fs.rm(outDir, { recursive: true, force: true });
});

async function results(runDate: string, window = WINDOW): Promise<{ rows: Row[]; output: string }> {
  const stagingDir = path.join(outDir, '_staging', `run_date=${runDate}`);
  const output = stagingFile(stagingDir, 'marts', 'campaign_results');
  await buildCampaignResults({ warehouse: { timeZone: 'UTC' }, outDir, runDate, orderLines: ORDER_LINES, ...window, stagingDir });
  return { rows: await readParquet(output), output };
}

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** Each number within 1e-9 of the hand value; everything else equal. */
function expectRow(actual: Row, expected: Row): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [column, value] of Object.entries(expected)) {
    if (typeof value === 'number' && !Number.isInteger(value)) {
      expect([column, actual[column], Math.abs((actual[column] as number) - value) < 1e-9]).toEqual([column, actual[column], true]);
    } else {
      expect([column, actual[column]]).toEqual([column, value]);
    }
  }
}

const NO_INTERVALS = {
  conversion_uplift_low: null, conversion_uplift_high: null,
  conversion_relative_uplift: null, conversion_relative_uplift_low: null, conversion_relative_uplift_high: null,
};

test('treatment against control over the complete window: counts, conversion, uplift and 95% intervals by hand', async () => {
  const { rows } = await results(RUN_DATE);
  expect(rows.map((r) => [(r.target_date as Date).toISOString().slice(0, 10), r.campaign])).toEqual([
    ['2024-06-01', 'vip'], ['2024-06-01', 'win_back'], ['2024-07-10', 'vip'],
  ]);
  // vip, targets of 06-01, window 06-02..07-01, complete by 07-15.
  // Treatment T1..T5 spent 0, 0, 10, 20, 30 in it: 3 buyers of 5 (p_t = 0.6), mean 12, s² = (144 + 144 + 4 + 64 + 324) / 4 = 170.
  // Control C1..C5 spent 0, 0, 0, 10, 30: 2 buyers of 5 (p_c = 0.4), mean 8, s² = (64 + 64 + 64 + 4 + 484) / 4 = 170.
  // Conversion: uplift 0.2, SE = √(0.6·0.4/5 + 0.4·0.6/5) = √0.096 = 0.309838667696593; ± 1.959963984540054 × SE
  //   = [-0.407272629703197, 0.807272629703197].
  // Relative: 0.6 / 0.4 − 1 = 0.5; SE of ln(ratio) = √((1 − 0.6)/3 + (1 − 0.4)/2) = √0.43333 = 0.658280588604383;
  //   exp(ln 1.5 ∓ z × SE) − 1 = [-0.587178976577590, 4.450303817733952].
  // Revenue per customer: uplift 12 − 8 = 4; SE = √(170/5 + 170/5) = √68 = 8.246211251235321;
  //   Welch df = 68² / (34²/4 + 34²/4) = 4624 / 578 = 8; t(0.975, 8) = 2.306004135204166;
  //   4 ∓ 2.306004135204166 × √68 = [-15.015797245115770, 23.015797245115770].
  expectRow(rows[0]!, {
    campaign: 'vip', target_date: day('2024-06-01'), window_days: 30, window_end: day('2024-07-01'), days_observed: 30,
    window_complete: true,
    treatment_customers: 5, control_customers: 5, treatment_buyers: 3, control_buyers: 2,
    treatment_conversion: 0.6, control_conversion: 0.4,
    conversion_uplift: 0.2,
    conversion_uplift_low: 0.2 - Z * Math.sqrt(0.096), conversion_uplift_high: 0.2 + Z * Math.sqrt(0.096),
    conversion_relative_uplift: 0.5,
    conversion_relative_uplift_low: Math.exp(Math.log(1.5) - Z * Math.sqrt(0.4 / 3 + 0.6 / 2)) - 1,
    conversion_relative_uplift_high: Math.exp(Math.log(1.5) + Z * Math.sqrt(0.4 / 3 + 0.6 / 2)) - 1,
    treatment_revenue_per_customer: 12, control_revenue_per_customer: 8,
    revenue_uplift: 4,
    revenue_uplift_low: 4 - T_975_8 * Math.sqrt(68), revenue_uplift_high: 4 + T_975_8 * Math.sqrt(68),
    revenue_welch_df: 8,
  });
  expect(rows[0]!.conversion_uplift_low).toBeCloseTo(-0.407272629703197, 12);
  expect(rows[0]!.conversion_relative_uplift_high).toBeCloseTo(4.450303817733952, 12);
  expect(rows[0]!.revenue_uplift_high).toBeCloseTo(23.01579724511577, 12);
});

test('a group that is empty or too small gives no interval; an open window is observed up to the run date only', async () => {
  const { rows } = await results(RUN_DATE);
  // win_back of 06-01 held nobody out: W1 bought (25), and there is nothing to compare with.
  expectRow(rows[1]!, {
    campaign: 'win_back', target_date: day('2024-06-01'), window_days: 30, window_end: day('2024-07-01'), days_observed: 30,
    window_complete: true,
    treatment_customers: 1, control_customers: 0, treatment_buyers: 1, control_buyers: 0,
    treatment_conversion: 1, control_conversion: null, conversion_uplift: null, ...NO_INTERVALS,
    treatment_revenue_per_customer: 25, control_revenue_per_customer: null,
    revenue_uplift: null, revenue_uplift_low: null, revenue_uplift_high: null, revenue_welch_df: null,
  });
  // vip of 07-10: 5 of its 30 days observed by 07-15. T1 bought on 07-12 (20); C1's order of 07-20 is after the run
  // date. 1 of 1 against 0 of 1: both standard errors are 0 and no variance has two customers, so no interval.
  expectRow(rows[2]!, {
    campaign: 'vip', target_date: day('2024-07-10'), window_days: 30, window_end: day('2024-08-09'), days_observed: 5,
    window_complete: false,
    treatment_customers: 1, control_customers: 1, treatment_buyers: 1, control_buyers: 0,
    treatment_conversion: 1, control_conversion: 0, conversion_uplift: 1, ...NO_INTERVALS,
    treatment_revenue_per_customer: 20, control_revenue_per_customer: 0,
    revenue_uplift: 20, revenue_uplift_low: null, revenue_uplift_high: null, revenue_welch_df: null,
  });
});

test("the run summary's numbers: each campaign's latest complete window, or its latest interim reading", async () => {
  const { output } = await results(RUN_DATE);
  const latest = await latestCampaignResults({ timeZone: 'UTC' }, output);
  // vip's window of 07-10 is still open: 06-01's complete one is reported.
  expect(latest.map((r) => [r.campaign, r.targetDate, r.daysObserved])).toEqual([['vip', '2024-06-01', 30], ['win_back', '2024-06-01', 30]]);
  expect(latest[0]).toMatchObject({ windowDays: 30, treatmentCustomers: 5, controlCustomers: 5, treatmentConversion: 0.6, controlConversion: 0.4 });
  expect(latest[0]!.conversionUpliftLow).toBeCloseTo(0.2 - Z * Math.sqrt(0.096), 12);

  // On 06-20 with a 30-day lookback only 06-01's snapshot is earlier and in reach (04-10 is too old, the later ones
  // are not read): 19 days observed, in which T4 (06-05) and T5 (06-10) bought in treatment, C4 (06-20, the run
  // date) in control, W1 (06-03) in win_back.
  const { rows, output: interimOutput } = await results('2024-06-20', { windowDays: 30, lookbackDays: 30 });
  expect(rows.map((r) => [r.campaign, r.days_observed, r.window_complete, r.treatment_buyers, r.control_buyers])).toEqual([
    ['vip', 19, false, 2, 1],
    ['win_back', 19, false, 1, 0],
  ]);
  expect((await latestCampaignResults({ timeZone: 'UTC' }, interimOutput)).map((r) => [r.campaign, r.targetDate, r.daysObserved]))
    .toEqual([['vip', '2024-06-01', 19], ['win_back', '2024-06-01', 19]]);
});

test('with no earlier snapshot in reach the table is empty, with the same columns', async () => {
  const describe = (file: string) =>
    Warehouse.using({ timeZone: 'UTC' }, (warehouse) => warehouse.rows(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`));
  const full = await results(RUN_DATE);
  const none = await results('2024-04-10');
  expect(none.rows).toEqual([]);
  expect(await describe(none.output)).toEqual(await describe(full.output));
});

test("the report's campaign results: the latest complete target date, uplift in points with its interval", async () => {
  const { output } = await results(RUN_DATE);
  const published = path.join(partitionDir(outDir, 'campaign_results', RUN_DATE), PART_FILE);
  await fs.mkdir(path.dirname(published), { recursive: true });
  await fs.copyFile(output, published);
  const manifest = { runDate: RUN_DATE, inputs: [], tables: { campaign_results: { rows: 3 } } } as unknown as Manifest;
  const sections = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => buildSections(await SnapshotTables.open(warehouse, outDir, manifest)));
  const [figure] = sections.find((section) => section.id === 'results')!.figures;
  // 06-01's windows are complete, 07-10's not. vip's interval [-40.7, 80.7] points holds 0; win_back has no control.
  expect(figure!.reading).toBe('Over the 30 days after 2024-06-01, the treatment of 0 of 2 campaigns bought more than its control beyond the 95% interval.');
  expect(figure!.table.rows).toEqual([
    ['vip', 5, 5, '60.0%', '40.0%', 20, -40.7, 80.7],
    ['win_back', 1, 0, '100.0%', '-', null, null, null],
  ]);
});
