import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ingest } from '../../activities/ingest';
import { loadConfigFile } from '../../lib/config';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { PART_FILE, partitionDir } from '../../lib/snapshots';
import type { RunSettings } from '../../schemas/run';
import { readParquet } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * Exports that carry the amount paid for a line (line_amount) instead of a unit price: mapped so, they publish
 * what the same data with unit prices publishes, in the line-level orders layout and in order_items.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const UCI_RUN_DATE = '2011-12-09';
const HANDMADE_RUN_DATE = '2024-06-30';

/**
 * test/fixtures/uci-online-retail/online_retail.csv with LineTotal = Quantity × UnitPrice in place of UnitPrice,
 * and two more lines: one of quantity 0 that carries an amount, one whose amount and quantity disagree in sign.
 */
const UCI_TOTALS = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,LineTotal,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,15.30,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,20.34,17850,United Kingdom
536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,11.10,17850,United Kingdom
536386,22139,RETROSPOT TEA SET,2,12/1/2010 9:00,9.90,15311,United Kingdom,EXTRA FIELD
C536379,D,Discount,-1,12/1/2010 9:41,-27.50,14527,United Kingdom
536380,22961,JAM MAKING SET PRINTED,24,12/1/2010 9:41,34.80,14527,United Kingdom
536381,22139,RETROSPOT TEA SET,2,12/9/2011 12:00,9.90,,United Kingdom
536382,22139,RETROSPOT TEA SET,2,12/10/2011 12:00,9.90,12583,France
C536383,35004C,SET OF 3 COLOURED FLYING DUCKS,-1,12/1/2010 9:49,-4.65,15311,United Kingdom
536384,35004C,SET OF 3 COLOURED FLYING DUCKS,3,11/30/2011 10:00,13.95,15311,United Kingdom
536387,POST,POSTAGE,0,12/1/2010 9:00,18.00,17850,United Kingdom
C536388,22139,RETROSPOT TEA SET,-2,12/1/2010 9:05,9.90,17850,United Kingdom
`;

/**
 * The tables whose every value derives from revenue: they must not tell the two layouts apart. Without a members
 * file no customer has given consent (campaignPolicy.unknownConsent), so the UCI export has no campaign_targets;
 * campaign_suppressed lists its customers instead.
 */
const REVENUE_TABLES = ['customers', 'rfm', 'rfm_segments', 'clv', 'churn_features', 'campaign_suppressed', 'campaign_plan', 'reengagement'];

let temporal: TestTemporal;
let scratch: string;

const tableOf = (outDir: string, runDate: string, name: string) =>
  readParquet(path.join(partitionDir(outDir, name, runDate), PART_FILE), 'ALL');

async function writeConfig(dir: string, config: unknown): Promise<RunSettings> {
  const file = path.join(dir, 'segflow.config.json');
  await fs.writeFile(file, JSON.stringify(config));
  return loadConfigFile(file);
}

/** The UCI fixture's configuration, the orders file and its column mapping replaced. */
async function uciSettings(dir: string, file: string, columns: Record<string, string>): Promise<RunSettings> {
  const config = JSON.parse(await fs.readFile(path.join(FIXTURES, 'uci-online-retail', 'segflow.config.json'), 'utf8'));
  config.sources.orders.path = file;
  config.sources.orders.columns = columns;
  return writeConfig(dir, config);
}

const UCI_COLUMNS = {
  order_id: 'InvoiceNo', product_id: 'StockCode', quantity: 'Quantity', ordered_at: 'InvoiceDate', member_id: 'CustomerID',
};

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-line-amounts-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('the line-level orders layout (UCI Online Retail with line totals)', () => {
  let pricedOut: string;
  let totalsOut: string;

  beforeAll(async () => {
    const dir = path.join(scratch, 'uci');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'online_retail_totals.csv'), UCI_TOTALS);
    pricedOut = path.join(scratch, 'uci-priced-out');
    totalsOut = path.join(scratch, 'uci-totals-out');
    await temporal.run({ runDate: UCI_RUN_DATE, outDir: pricedOut, settings: loadConfigFile(path.join(FIXTURES, 'uci-online-retail', 'segflow.config.json')) });
    const settings = await uciSettings(dir, 'online_retail_totals.csv', { ...UCI_COLUMNS, line_amount: 'LineTotal' });
    await temporal.run({ runDate: UCI_RUN_DATE, outDir: totalsOut, settings });
  });

  test.each(REVENUE_TABLES)('%s is the same as with unit prices', async (name) => {
    const priced = await tableOf(pricedOut, UCI_RUN_DATE, name);
    expect(priced.length).toBeGreaterThan(0);
    expect(await tableOf(totalsOut, UCI_RUN_DATE, name)).toEqual(priced);
  });

  test('a line of quantity 0 with an amount, and an amount against its quantity\'s sign, are quarantined', async () => {
    const quarantine = await tableOf(totalsOut, UCI_RUN_DATE, 'quarantine');
    expect(quarantine.filter((q) => (q.line as number) > 11).map((q) => [q.row_ref, q.reason, q.field, q.detail])).toEqual([
      ['online_retail_totals.csv:12', 'zero_quantity', 'quantity', 'quantity is 0: its line_amount 18.00 has no units to price'],
      ['online_retail_totals.csv:13', 'non_positive_price', 'line_amount',
        'line_amount 9.9 for quantity -2 is a unit price not greater than zero (a cancellation or return line has a negative amount and quantity)'],
    ]);
    // Everything else is quarantined as with unit prices.
    const priced = await tableOf(pricedOut, UCI_RUN_DATE, 'quarantine');
    expect(quarantine.filter((q) => (q.line as number) <= 11).map((q) => [q.line, q.reason])).toEqual(priced.map((q) => [q.line, q.reason]));
  });
});

test('order_items with line_amount publish what the same items with unit prices publish', async () => {
  const dir = path.join(scratch, 'handmade');
  await fs.cp(path.join(FIXTURES, 'handmade'), dir, { recursive: true });
  const items = path.join(dir, 'order_items.csv');
  await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.run(`
      COPY (SELECT order_id, line_number, product_id, quantity, quantity * unit_price AS line_amount
            FROM read_csv(${quoteLiteral(path.join(FIXTURES, 'handmade', 'order_items.csv'))}))
      TO ${quoteLiteral(items)} (HEADER)`),
  );
  const pricedOut = path.join(scratch, 'handmade-priced-out');
  const totalsOut = path.join(scratch, 'handmade-totals-out');
  await temporal.run({ runDate: HANDMADE_RUN_DATE, outDir: pricedOut, settings: loadConfigFile(path.join(FIXTURES, 'handmade', 'segflow.config.json')) });
  await temporal.run({ runDate: HANDMADE_RUN_DATE, outDir: totalsOut, settings: loadConfigFile(path.join(dir, 'segflow.config.json')) });

  for (const name of REVENUE_TABLES) {
    const priced = await tableOf(pricedOut, HANDMADE_RUN_DATE, name);
    expect([name, priced.length > 0]).toEqual([name, true]);
    expect([name, await tableOf(totalsOut, HANDMADE_RUN_DATE, name)]).toEqual([name, priced]);
  }
  // The line of price 0 is now one of amount 0: the same reason, found on the column the file has.
  const reasons = async (outDir: string) =>
    (await tableOf(outDir, HANDMADE_RUN_DATE, 'quarantine')).map((q) => [q.row_ref, q.reason, q.field]);
  expect(await reasons(totalsOut)).toEqual(
    (await reasons(pricedOut)).map(([ref, reason, field]) => [ref, reason, field === 'unit_price' ? 'line_amount' : field]),
  );
});

describe('a source of order lines maps exactly one of unit_price and line_amount', () => {
  const failureOf = async (settings: RunSettings) => {
    const failure = await ingest({ settings, baseDir: scratch }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    return failure as ApplicationFailure;
  };

  test('neither: the file is missing a price column, named with both choices', async () => {
    const dir = path.join(scratch, 'neither');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'online_retail_totals.csv'), UCI_TOTALS);
    const failure = await failureOf(await uciSettings(dir, 'online_retail_totals.csv', UCI_COLUMNS));
    expect(failure.type).toBe('MissingColumn');
    expect(failure.message).toContain("online_retail_totals.csv: missing required column(s) 'unit_price' or 'line_amount'.");
    expect(failure.message).toContain('sources.orders.columns');
  });

  test('both: the file has a unit price and a mapped line amount', async () => {
    const dir = path.join(scratch, 'both');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'order_items.csv'), 'order_id,line_number,product_id,quantity,unit_price,LineTotal\nO1,1,P1,2,10,20\n');
    await fs.cp(path.join(FIXTURES, 'handmade', 'orders.csv'), path.join(dir, 'orders.csv'));
    const settings = await writeConfig(dir, {
      sources: { orders: { path: 'orders.csv' }, order_items: { path: 'order_items.csv', columns: { line_amount: 'LineTotal' } } },
    });
    const failure = await failureOf(settings);
    expect(failure.type).toBe('AmbiguousLinePrice');
    expect(failure.message).toContain(
      "order_items.csv: order_items has both 'unit_price' and 'LineTotal' (mapped to line_amount), and a line is priced by one of them",
    );
  });
});
