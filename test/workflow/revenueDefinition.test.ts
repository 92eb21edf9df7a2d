import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../../lib/config';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import type { RevenueDefinition } from '../../schemas/config';
import { readParquet } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * revenue.definition on the UCI Online Retail fixture, whose C-invoices are cancellation documents: one run
 * per definition, the same run date and input.
 */
const UCI_CONFIG = path.join(__dirname, '..', 'fixtures', 'uci-online-retail', 'segflow.config.json');
const RUN_DATE = '2011-12-09';

let temporal: TestTemporal;
let scratch: string;
const published: Record<RevenueDefinition, { outDir: string }> = { net: { outDir: '' }, gross: { outDir: '' } };

const table = (definition: RevenueDefinition, name: string, orderBy = 'member_id') =>
  readParquet(path.join(partitionDir(published[definition].outDir, name, RUN_DATE), PART_FILE), orderBy);
const byMember = (rows: Record<string, unknown>[], column: string) =>
  Object.fromEntries(rows.map((row) => [row.member_id, row[column]]));

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-revenue-'));
  for (const definition of ['net', 'gross'] as const) {
    const settings = loadConfigFile(UCI_CONFIG);
    settings.revenue.definition = definition;
    published[definition].outDir = path.join(scratch, definition);
    await temporal.run({ runDate: RUN_DATE, outDir: published[definition].outDir, settings });
  }
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

// 17850 bought 46.74 and cancelled nothing. 14527 bought 34.80 (536380) and got the 27.50 discount invoice
// C536379. 15311 bought 3 for 13.95 (536384) and cancelled one, 4.65, through C536383.
const NET = { '14527': 34.8 - 27.5, '15311': 13.95 - 4.65, '17850': 46.74 };
const GROSS = { '14527': 34.8, '15311': 13.95, '17850': 46.74 };

test.each([
  ['net', NET],
  ['gross', GROSS],
] as const)('the %s definition sets rfm monetary, customers revenue and clv revenue alike', async (definition, expected) => {
  const rfm = byMember(await table(definition, 'rfm'), 'monetary');
  const customers = await table(definition, 'customers');
  const clv = await table(definition, 'clv');
  for (const [member, revenue] of Object.entries(expected)) {
    expect([member, rfm[member]]).toEqual([member, expect.closeTo(revenue, 9)]);
    expect([member, byMember(customers, 'revenue')[member]]).toEqual([member, expect.closeTo(revenue, 9)]);
    expect([member, byMember(clv, 'revenue')[member]]).toEqual([member, expect.closeTo(revenue, 9)]);
    // Each of them placed one purchase order except 17850, who placed two.
    const orders = member === '17850' ? 2 : 1;
    expect([member, byMember(customers, 'avg_order_value')[member]]).toEqual([member, expect.closeTo(revenue / orders, 9)]);
  }
});

test('the facts behind both definitions are published whichever is chosen', async () => {
  for (const definition of ['net', 'gross'] as const) {
    const customers = await table(definition, 'customers');
    expect(byMember(customers, 'gross_revenue')).toEqual(
      Object.fromEntries(Object.entries(GROSS).map(([member, revenue]) => [member, expect.closeTo(revenue, 9)])),
    );
    expect(byMember(customers, 'net_revenue')).toEqual(
      Object.fromEntries(Object.entries(NET).map(([member, revenue]) => [member, expect.closeTo(revenue, 9)])),
    );
    expect(byMember(customers, 'returned_amount')).toEqual({ '14527': 27.5, '15311': 4.65, '17850': 0 });
  }
});

test('segment revenue follows the definition: the gross total exceeds the net one by the cancellations', async () => {
  const total = async (definition: RevenueDefinition) =>
    (await table(definition, 'rfm_segments', 'segment')).reduce((sum, row) => sum + (row.revenue as number), 0);
  expect((await total('gross')) - (await total('net'))).toBeCloseTo(27.5 + 4.65, 9);
});

test('the manifest states the definition', async () => {
  for (const definition of ['net', 'gross'] as const) {
    const manifest = JSON.parse(await fs.readFile(manifestPath(published[definition].outDir, RUN_DATE), 'utf8'));
    expect(manifest.statistics.revenueDefinition).toBe(definition);
  }
});
