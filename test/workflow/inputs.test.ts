import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { PART_FILE, partitionDir } from '../../lib/snapshots';
import { loadConfigFile } from '../../lib/config';
import { readParquet } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/** A user's own export through the column mapping: the UCI Online Retail layout, one line-level file. */
const UCI_CONFIG = path.join(__dirname, '..', 'fixtures', 'uci-online-retail', 'segflow.config.json');
const RUN_DATE = '2011-12-09';

let temporal: TestTemporal;
let outDir: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-inputs-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

test('the UCI Online Retail layout runs through the column mapping, C-invoices reversing revenue', async () => {
  const result = await temporal.run({ runDate: RUN_DATE, outDir, settings: loadConfigFile(UCI_CONFIG) });

  const orders = result.sources.find((s) => s.source === 'orders')!;
  // 10 lines: one malformed (an extra field), one without CustomerID, one on 2011-12-10 (after the run date).
  expect([orders.rowsIn, orders.rowsKept, orders.rowsQuarantined, orders.rowsAfterRunDate]).toEqual([10, 7, 2, 1]);
  expect(result.sources.filter((s) => s.status === 'missing').map((s) => s.source).sort()).toEqual(
    ['ga_sessions', 'marketing_spend', 'members', 'order_items', 'platforms', 'products', 'promotions', 'reviews', 'service_contacts'],
  );

  const quarantine = await readParquet(path.join(partitionDir(outDir, 'quarantine', RUN_DATE), PART_FILE), 'line');
  expect(quarantine.map((q) => [q.row_ref, q.reason])).toEqual([
    ['online_retail.csv:5', 'malformed_row'],
    ['online_retail.csv:8', 'missing_member'], // still line 8: the rejected line 5 is counted
  ]);
  expect(quarantine[0]!.detail).toContain('EXTRA FIELD');

  const rfm = await readParquet(path.join(partitionDir(outDir, 'rfm', RUN_DATE), PART_FILE));
  const byMember = Object.fromEntries(rfm.map((r) => [r.member_id, r]));
  // 17850: invoices 536365 (15.30 + 20.34) and 536366 (11.10) on 2010-12-01, 373 days before the run date.
  expect(byMember['17850']).toMatchObject({ frequency: 2, recency_days: 373 });
  expect(byMember['17850']!.monetary).toBeCloseTo(46.74, 9);
  // 14527: 536380 (34.80) less the C536379 discount reversal (27.50); the C-invoice is not a purchase.
  expect(byMember['14527']).toMatchObject({ frequency: 1, recency_days: 373 });
  expect(byMember['14527']!.monetary).toBeCloseTo(7.3, 9);
  // 15311: bought 3 on 2011-11-30 (13.95), returned 1 through C536383 (-4.65).
  expect(byMember['15311']).toMatchObject({ frequency: 1, recency_days: 9 });
  expect(byMember['15311']!.monetary).toBeCloseTo(9.3, 9);

  // Without members, reviews or sessions the features that need them are null, not zero.
  const customers = await readParquet(path.join(partitionDir(outDir, 'customers', RUN_DATE), PART_FILE));
  expect(customers.map((c) => c.member_id)).toEqual(['14527', '15311', '17850']);
  for (const customer of customers) {
    expect(customer).toMatchObject({ review_count: null, ga_sessions_30d: null, joined_at: null, favorite_category: null, acquisition_channel: null });
  }
  // Without members or sessions no channel is known, and without spend no CAC: one row of channel NULL per month
  // of first purchases (December 2010 and November 2011) and in total.
  const channels = await readParquet(path.join(partitionDir(outDir, 'channel_kpis', RUN_DATE), PART_FILE), 'period DESC, month');
  expect(channels.map((c) => [c.channel, c.period, c.new_customers, c.spend, c.cac])).toEqual([
    [null, 'total', 3, null, null],
    [null, 'month', 2, null, null],
    [null, 'month', 1, null, null],
  ]);
});

test('a file without a mapped column fails the run, naming the file, the column and the fix', async () => {
  const settings = loadConfigFile(UCI_CONFIG);
  settings.sources.orders!.columns.order_id = 'Invoice';
  const failure = await temporal.run({ runDate: '2011-12-08', outDir, settings }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause?.cause as Error;
  expect(cause.message).toContain("online_retail.csv: missing required column(s) 'Invoice' (mapped to order_id)");
  expect(cause.message).toContain('sources.orders.columns');
});
