import { promises as fs } from 'node:fs';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../lib/duckdb';
import { SOURCE_NAMES, type SourceName } from '../schemas/sources';
import { Catalog } from './catalog';
import { CustomerHistory, MEMBER_COLUMNS, ORDER_COLUMNS, ORDER_ITEM_COLUMNS, SESSION_COLUMNS, type HistoryFiles } from './customerHistory';
import { DirtPlan } from './dirt';
import { csvLine, LineWriter, type Field } from './lineWriter';
import { MarketingSpend } from './marketingSpend';
import { PLATFORMS } from './platforms';
import { createPromotions, endsOn, startsOn } from './promotions';
import { CONTACT_COLUMNS, ServiceDesk } from './serviceContacts';
import { Random } from '../lib/random';
import { parseRunDate } from '../lib/runDate';
import { historyWindow } from './timestamps';

export interface SampleOptions {
  customers: number;
  outDir: string;
  /** The same options with the same seed give byte-identical files. Default 7. */
  seed?: number;
  /** The last day with orders, YYYY-MM-DD in Asia/Seoul. Default 2026-10-31. */
  endDate?: string;
  /** Days of history up to and including endDate. Default 730. */
  days?: number;
}

export interface SampleSummary {
  outDir: string;
  files: { source: string; file: string; rows: number }[];
}

/** The file each source is written to; GA sessions come as Parquet so the sample exercises every reader. */
export const SAMPLE_FILES: Record<SourceName, string> = {
  orders: 'orders.csv',
  order_items: 'order_items.csv',
  members: 'members.csv',
  reviews: 'reviews.jsonl',
  products: 'products.csv',
  promotions: 'promotions.csv',
  platforms: 'platforms.csv',
  ga_sessions: 'ga_sessions.parquet',
  marketing_spend: 'marketing_spend.csv',
  service_contacts: 'service_contacts.csv',
};

/** Any constant will do: it only sets the dirt's random stream (see dirt.ts) apart from the customers'. */
const DIRT_STREAM = 0x5eed_d127;
/** Likewise for acquisition channels, service contacts and spend, and for their dirt (see CrmFeeds). */
const CRM_STREAM = 0x0c4a_77e1;
const CRM_DIRT_STREAM = 0x0c4a_d127;

function validated(options: SampleOptions): Required<SampleOptions> {
  const { customers, outDir, seed = 7, endDate = '2026-10-31', days = 730 } = options;
  if (!Number.isSafeInteger(customers) || customers < 1) {
    throw new RangeError(`customers must be a whole number of at least 1, got ${customers}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${days}`);
  try {
    parseRunDate(endDate);
  } catch (error) {
    throw new RangeError(`endDate: ${(error as Error).message}`);
  }
  return { customers, outDir, seed, endDate, days };
}

/**
 * Writes realistic, deterministic sample data for every source into outDir, with a segflow.config.json that
 * reads them: customers of several kinds, their orders, returns, reviews, GA sessions and service contacts over
 * `days` days, the acquisition channel that brought them, the marketing spend behind the paid channels, and at
 * small rates the dirt real exports have (see dirt.ts). Rows are streamed, so any size fits in memory.
 */
export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const { customers, outDir, seed, endDate, days } = validated(options);
  const window = historyWindow(endDate, days);
  const random = new Random(seed);
  const fileOf = (source: SourceName) => path.join(outDir, SAMPLE_FILES[source]);
  await fs.mkdir(outDir, { recursive: true });

  const catalog = new Catalog(random);
  const promotions = createPromotions(random, window);
  const referenceRows = {
    products: await writeCsvFile(
      fileOf('products'),
      ['product_id', 'product_name', 'category', 'list_price'],
      catalog.products.map((product) => [product.id, product.name, product.category, product.listPrice]),
    ),
    promotions: await writeCsvFile(
      fileOf('promotions'),
      ['promotion_id', 'promotion_name', 'promotion_type', 'discount_pct', 'starts_on', 'ends_on'],
      [...promotions.events, promotions.memberCoupon].map((promotion) => {
        const { id, name, type, discountPct } = promotion;
        return [id, name, type, discountPct, startsOn(promotion), endsOn(promotion)];
      }),
    ),
    platforms: await writeCsvFile(
      fileOf('platforms'),
      ['platform_id', 'platform_name', 'platform_type', 'commission_pct'],
      PLATFORMS.map(([platform]) => [platform.id, platform.name, platform.type, platform.commissionPct]),
    ),
  };

  const sessionsCsv = `${fileOf('ga_sessions')}.csv.tmp`;
  const files: HistoryFiles = {
    members: new LineWriter(fileOf('members'), MEMBER_COLUMNS),
    orders: new LineWriter(fileOf('orders'), ORDER_COLUMNS),
    orderItems: new LineWriter(fileOf('order_items'), ORDER_ITEM_COLUMNS),
    reviews: new LineWriter(fileOf('reviews')),
    sessions: new LineWriter(sessionsCsv, Object.keys(SESSION_COLUMNS)),
    serviceContacts: new LineWriter(fileOf('service_contacts'), CONTACT_COLUMNS),
  };
  const crmRandom = new Random(seed ^ CRM_STREAM);
  const crmDirt = new DirtPlan(new Random(seed ^ CRM_DIRT_STREAM));
  const crm = {
    random: crmRandom,
    serviceDesk: new ServiceDesk(crmRandom, crmDirt, files.serviceContacts, window),
    marketingSpend: new MarketingSpend(crmRandom, crmDirt, window),
  };
  const history = new CustomerHistory(random, new DirtPlan(new Random(seed ^ DIRT_STREAM)), catalog, promotions, window, files, crm);
  const writers = Object.values(files);
  for (let index = 0; index < customers; index++) {
    history.write(index);
    for (const writer of writers) await writer.flushIfFull();
  }
  for (const writer of writers) await writer.close();
  const spendRows = await crm.marketingSpend.write(fileOf('marketing_spend'));

  const sessionColumns = Object.entries(SESSION_COLUMNS).map(([name, type]) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`);
  const sessionRows = await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.writeParquet(
      `SELECT * FROM read_csv(${quoteLiteral(sessionsCsv)}, header = true, columns = {${sessionColumns.join(', ')}})`,
      fileOf('ga_sessions'),
    ),
  );
  await fs.rm(sessionsCsv);

  const config = {
    businessTimeZone: 'Asia/Seoul',
    sources: Object.fromEntries(SOURCE_NAMES.map((source) => [source, { path: SAMPLE_FILES[source] }])),
  };
  await fs.writeFile(path.join(outDir, 'segflow.config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const rows: Record<SourceName, number> = {
    ...referenceRows,
    orders: files.orders.rows,
    order_items: files.orderItems.rows,
    members: files.members.rows,
    reviews: files.reviews.rows,
    ga_sessions: sessionRows,
    marketing_spend: spendRows,
    service_contacts: files.serviceContacts.rows,
  };
  return { outDir, files: SOURCE_NAMES.map((source) => ({ source, file: fileOf(source), rows: rows[source] })) };
}

async function writeCsvFile(file: string, header: readonly string[], rows: readonly Field[][]): Promise<number> {
  const writer = new LineWriter(file, header);
  for (const row of rows) writer.write(csvLine(row));
  await writer.close();
  return writer.rows;
}
