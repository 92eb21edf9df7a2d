import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monthlyDiscountFactor } from '../../analytics/discounting';
import { loadConfigFile, settingsForDataDir } from '../../lib/config';
import { quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import { generateSample } from '../../sample/generateSample';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The clv table of a snapshot: seed 000's heuristic on the hand-made fixture (six customers, far too few to fit),
 * BG/NBD + Gamma-Gamma on 3,000 generated customers.
 */
let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-clv-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A snapshot table joined with nothing, dates as text, BIGINTs as numbers, in member_id order. */
async function snapshotTable(outDir: string, table: string, runDate: string): Promise<Row[]> {
  const file = path.join(partitionDir(outDir, table, runDate), PART_FILE);
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    const rows = await warehouse.rows(`
      SELECT * REPLACE (CAST(first_purchase_date AS VARCHAR) AS first_purchase_date,
                        CAST(last_purchase_date AS VARCHAR) AS last_purchase_date,
                        CAST(expected_next_order_date AS VARCHAR) AS expected_next_order_date)
      FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false) ORDER BY member_id`);
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])),
    );
  });
}

async function readIds(outDir: string, table: string, runDate: string): Promise<string[]> {
  const file = path.join(partitionDir(outDir, table, runDate), PART_FILE);
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) =>
    (await warehouse.rows<{ member_id: string }>(
      `SELECT member_id FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false) ORDER BY member_id`,
    )).map((r) => r.member_id),
  );
}

/** pandas.qcut(values, 4) edges: numpy's linear quantiles, as numpy's _lerp computes them. */
function quartileEdges(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [1, 2, 3].map((k) => {
    const position = ((sorted.length - 1) * k) / 4;
    const below = Math.floor(position);
    const t = position - below;
    const [a, b] = [sorted[below]!, sorted[Math.min(sorted.length - 1, below + 1)]!];
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
  });
}

function expectTiersFollowQuartiles(clv: Row[]): void {
  const edges = quartileEdges(clv.map((c) => c.total_clv as number));
  const labels = ['Low Value', 'Medium Value', 'High Value', 'Top Value'];
  for (const customer of clv) {
    const total = customer.total_clv as number;
    const bin = edges.findIndex((edge) => total <= edge);
    expect([customer.member_id, customer.clv_tier]).toEqual([customer.member_id, labels[bin === -1 ? 3 : bin]]);
  }
}

function expectNoNaN(clv: Row[]): void {
  for (const customer of clv) {
    for (const [column, value] of Object.entries(customer)) {
      if (typeof value === 'number') expect([customer.member_id, column, Number.isFinite(value)]).toEqual([customer.member_id, column, true]);
    }
  }
}

describe('on the hand-made fixture (6 customers): seed 000 heuristic', () => {
  const RUN_DATE = '2024-06-30';
  let outDir: string;
  let clv: Row[];

  beforeAll(async () => {
    outDir = path.join(scratch, 'handmade');
    const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
    await temporal.run({ runDate: RUN_DATE, outDir, settings });
    clv = await snapshotTable(outDir, 'clv', RUN_DATE);
  });

  test('one row per rfm customer, the heuristic named, no NaN', async () => {
    expect(clv.map((c) => c.member_id)).toEqual(await readIds(outDir, 'rfm', RUN_DATE));
    expect(new Set(clv.map((c) => c.clv_method))).toEqual(new Set(['heuristic']));
    expectNoNaN(clv);
    const manifest = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'));
    // The first purchase (M6, 2024-01-01 in Seoul) is 181 days before D, 182 to its end; M1 bought on 3 days.
    expect(manifest.statistics.lifetimeValue).toMatchObject({
      method: 'heuristic',
      fallbackReasons: ['6 customers, fewer than clv.minCustomers 500'],
      data: { customers: 6, historyDays: 182, repeatCustomers: 1 },
      horizonDays: 365,
      discountFactor: 1,
      bgNbd: null,
      gammaGamma: null,
    });
    expect(manifest.tables.clv.rows).toBe(6);
  });

  test('M1 and M2 (repeat buyers) and M3 (one purchase) match the hand computation', () => {
    const decay = Math.exp(-365 / 365);
    const [m1, m2, m3] = clv;
    // M1 bought on 05-01 (20), 06-20 (25) and 06-29 (20): 59 days over 2 gaps. Seed 000: 365 / 29.5 purchases
    // decayed by exp(-1), at the average order of 65 / 3; next order 30 days (29.5 rounded up) after D.
    expect(m1).toMatchObject({
      member_id: 'M1', revenue: 65, orders: 3, first_purchase_date: '2024-05-01', last_purchase_date: '2024-06-29',
      lifespan_days: 60, avg_days_between_purchases: 29.5,
      model_frequency: 2, model_recency_days: 59, model_t_days: 61, model_monetary: 22.5,
      p_alive: null, expected_next_order_date: '2024-07-30', clv_tier: 'Top Value',
    });
    expect(m1!.expected_purchases).toBeCloseTo((365 / 29.5) * decay, 12);
    expect(m1!.expected_spend).toBeCloseTo(65 / 3, 12);
    expect(m1!.predicted_clv).toBeCloseTo((65 / 3) * (365 / 29.5) * decay, 10); // ≈ 98.62
    expect(m1!.total_clv).toBeCloseTo(65 + (65 / 3) * (365 / 29.5) * decay, 10);
    // M2: 03-01 (10) and 06-01 (50), 92 days apart; average order 30; next order 92 days after D.
    expect(m2).toMatchObject({ member_id: 'M2', avg_days_between_purchases: 92, model_frequency: 1, model_t_days: 122,
      model_monetary: 50, expected_next_order_date: '2024-09-30', clv_tier: 'Top Value' });
    expect(m2!.total_clv).toBeCloseTo(60 + 30 * (365 / 92) * decay, 10); // ≈ 103.79
    // M3: one purchase of 5 (its P404 line is quarantined): seed 000 predicts a tenth of the average order.
    expect(m3).toMatchObject({
      member_id: 'M3', revenue: 5, orders: 1, lifespan_days: 1, avg_days_between_purchases: null,
      model_frequency: 0, model_recency_days: 0, model_monetary: null, expected_purchases: 0.1, expected_spend: 5,
      expected_next_order_date: null, clv_tier: 'Low Value',
    });
    expect(m3!.predicted_clv).toBeCloseTo(0.5, 12);
  });

  test('tiers are the quartiles of total CLV, as pandas.qcut cuts them', () => {
    // Totals 5.5 (M3), 11 (M5), 33 (M4), 55 (M6), 103.8 (M2), 163.6 (M1): edges 16.5, 44 and 91.6.
    expect(clv.map((c) => [c.member_id, c.clv_tier])).toEqual([
      ['M1', 'Top Value'], ['M2', 'Top Value'], ['M3', 'Low Value'], ['M4', 'Medium Value'], ['M5', 'Low Value'], ['M6', 'High Value'],
    ]);
    expectTiersFollowQuartiles(clv);
  });
});

test('with the thresholds lowered, six customers are fitted, the fits do not converge, and the heuristic says why; a discount rate applies', async () => {
  const RUN_DATE = '2024-06-30';
  const outDir = path.join(scratch, 'handmade-unconverged');
  const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
  await temporal.run({ runDate: RUN_DATE, outDir, settings: { ...settings, clv: { ...settings.clv, minCustomers: 1, minHistoryDays: 1, monthlyDiscountRate: 0.01 } } });
  const { lifetimeValue } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  expect(lifetimeValue).toMatchObject({
    method: 'heuristic',
    fallbackReasons: ['the BG/NBD fit did not converge', 'the Gamma-Gamma fit did not converge'],
    bgNbd: { converged: false, standardErrors: null, customers: 6 },
    gammaGamma: { converged: false, standardErrors: null, customers: 2 }, // M1 and M2 bought again
    monthlyDiscountRate: 0.01,
  });
  expect(lifetimeValue.discountFactor).toBeCloseTo(monthlyDiscountFactor(365, 0.01), 15);
  const clv = await snapshotTable(outDir, 'clv', RUN_DATE);
  expect(new Set(clv.map((c) => c.clv_method))).toEqual(new Set(['heuristic']));
  expectNoNaN(clv);
  for (const customer of clv) {
    const undiscounted = (customer.expected_purchases as number) * (customer.expected_spend as number);
    expect(customer.predicted_clv).toBeCloseTo(undiscounted * lifetimeValue.discountFactor, 10);
  }
});

describe('on 3,000 generated customers: BG/NBD + Gamma-Gamma', () => {
  const RUN_DATE = '2026-10-31';
  let outDir: string;
  let clv: Row[];
  let statistics: Record<string, any>;

  beforeAll(async () => {
    await generateSample({ customers: 3000, outDir: path.join(scratch, 'generated') });
    outDir = path.join(scratch, 'generated-out');
    await temporal.run({ runDate: RUN_DATE, outDir, settings: settingsForDataDir(path.join(scratch, 'generated')) });
    clv = await snapshotTable(outDir, 'clv', RUN_DATE);
    statistics = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics.lifetimeValue;
  }, 300_000);

  test('the models are fitted, converged, and their parameters are in the manifest', () => {
    expect(statistics.method).toBe('bg_nbd_gamma_gamma');
    expect(statistics.fallbackReasons).toEqual([]);
    for (const fit of [statistics.bgNbd, statistics.gammaGamma]) {
      expect(fit.converged).toBe(true);
      expect(Number.isFinite(fit.logLikelihood)).toBe(true);
      for (const [name, value] of Object.entries(fit.parameters)) {
        expect([name, value]).toEqual([name, expect.any(Number)]);
        expect(fit.standardErrors[name]).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(statistics.bgNbd.parameters)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(Object.keys(statistics.gammaGamma.parameters)).toEqual(['p', 'q', 'gamma']);
    expect(statistics.bgNbd.customers).toBe(clv.length);
    expect(statistics.gammaGamma.customers).toBe(clv.filter((c) => (c.model_frequency as number) > 0 && (c.model_monetary as number) > 0).length);
  });

  test('one row per rfm customer, no NaN, P(alive) in [0, 1], tiers by quartiles', async () => {
    expect(clv.map((c) => c.member_id)).toEqual(await readIds(outDir, 'rfm', RUN_DATE));
    expect(new Set(clv.map((c) => c.clv_method))).toEqual(new Set(['bg_nbd_gamma_gamma']));
    expectNoNaN(clv);
    for (const customer of clv) {
      expect(customer.p_alive as number).toBeGreaterThanOrEqual(0);
      expect(customer.p_alive as number).toBeLessThanOrEqual(1);
      expect(customer.expected_purchases as number).toBeGreaterThanOrEqual(0);
      expect(customer.predicted_clv).toBeCloseTo((customer.expected_purchases as number) * (customer.expected_spend as number), 8);
      expect(customer.total_clv).toBeCloseTo((customer.revenue as number) + (customer.predicted_clv as number), 8);
      // A next order is expected only from customers likely alive, and always after the run date.
      if ((customer.p_alive as number) < 0.5) expect(customer.expected_next_order_date).toBeNull();
      else expect((customer.expected_next_order_date as string) > RUN_DATE).toBe(true);
    }
    expect(new Set(clv.map((c) => c.model_frequency === 0 ? c.p_alive : 1))).toEqual(new Set([1])); // no repeat: alive
    expectTiersFollowQuartiles(clv);
  });
});
