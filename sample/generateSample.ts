import { promises as fs } from 'node:fs';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../lib/duckdb';
import { LineWriter } from './csvWriter';
import { Random } from './random';

export interface SampleOptions {
  customers: number;
  outDir: string;
  /** The same seed gives byte-identical files. */
  seed?: number;
  /** The last day with orders (YYYY-MM-DD, Seoul time). */
  endDate?: string;
  /** Days of history before endDate. */
  days?: number;
}

export interface SampleSummary {
  outDir: string;
  files: { source: string; file: string; rows: number }[];
}

const DAY_MS = 86_400_000;
const SEOUL_OFFSET_MINUTES = 540;
const CATEGORIES = ['Fashion', 'Beauty', 'Electronics', 'Home', 'Food', 'Books', 'Sports', 'Kids'] as const;
const REGIONS = ['Seoul', 'Busan', 'Incheon', 'Daegu', 'Daejeon', 'Gwangju', 'Gyeonggi', 'Jeju'] as const;
const OPT_IN_SPELLINGS = ['true', 'false', 'yes', 'no', '1', '0', '', 'Y', 'N'] as const;
const PLATFORMS = [
  ['PL1', 'Own web shop', 'web', 0, 0.5],
  ['PL2', 'Own app', 'app', 0, 0.3],
  ['PL3', 'Coupang', 'marketplace', 10.8, 0.12],
  ['PL4', 'Naver Smart Store', 'marketplace', 5.5, 0.08],
] as const;
const TRAFFIC_SOURCES = ['google / organic', 'naver / organic', 'naver / cpc', 'direct / none', 'email / newsletter', 'instagram / social'];

/** Buying behaviours, so that RFM scores and clusters have structure to find. */
const PERSONAS = [
  { share: 0.14, orders: [8, 24], span: [0, 1], spend: 1.3 }, // loyal
  { share: 0.28, orders: [3, 7], span: [0.15, 1], spend: 1 }, // regular
  { share: 0.28, orders: [1, 1], span: [0, 1], spend: 0.8 }, // one-time
  { share: 0.15, orders: [2, 6], span: [0, 0.45], spend: 1 }, // lapsed
  { share: 0.1, orders: [1, 3], span: [0.9, 1], spend: 0.9 }, // new
  { share: 0.05, orders: [0, 0], span: [0, 1], spend: 0 }, // signed up, never bought
] as const;

/**
 * Planted dirt, one kind per residue: member i gets kind k when i % modulus === residue. Every residue is below
 * 50, so any sample of 50 or more customers holds each kind at least once; larger ones hold ~1-2% of each.
 */
const DIRT = {
  duplicateOrder: [61, 5],
  duplicateItem: [67, 11],
  guestOrder: [71, 17],
  badPrice: [73, 19],
  zeroQuantity: [79, 23],
  badOrderDate: [83, 29],
  unknownMember: [89, 31],
  unknownProduct: [97, 37],
  badRating: [59, 3],
  badReviewDate: [101, 41],
} as const;

const has = (member: number, kind: keyof typeof DIRT) => member % DIRT[kind][0] === DIRT[kind][1];
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ISO 8601 at a UTC offset, as exports mix them: +09:00 mostly, some Z, +00:00, -05:00, and naive Seoul time. */
function formatTimestamp(ms: number, random: Random): string {
  const draw = random.next();
  const offset = draw < 0.7 || draw >= 0.9 ? SEOUL_OFFSET_MINUTES : draw < 0.8 ? 0 : draw < 0.85 ? 0 : -300;
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (draw >= 0.9) return local.replace('T', ' '); // naive: business time
  if (draw >= 0.7 && draw < 0.8) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

function seoulDate(ms: number): string {
  return new Date(ms + SEOUL_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

function money(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Writes realistic, deterministic sample data for all sources into outDir, with a segflow.config.json. */
export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const random = new Random(options.seed ?? 7);
  const endDate = options.endDate ?? '2026-10-31';
  const days = options.days ?? 730;
  const windowEnd = Date.parse(`${endDate}T23:59:59+09:00`);
  const windowStart = windowEnd - days * DAY_MS;
  await fs.mkdir(options.outDir, { recursive: true });
  const file = (name: string) => path.join(options.outDir, name);

  const products = Array.from({ length: 40 }, (_, i) => ({
    id: `P${pad(i + 1, 4)}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    price: money(random.logNormal(3, 0.8) + 2),
  }));
  const productsOut = new LineWriter(file('products.csv'), ['product_id', 'product_name', 'category', 'list_price']);
  for (const p of products) await productsOut.csv([p.id, `${p.category} item ${p.id.slice(1)}`, p.category, p.price]);

  const platformsOut = new LineWriter(file('platforms.csv'), ['platform_id', 'platform_name', 'platform_type', 'commission_pct']);
  for (const [id, name, type, commission] of PLATFORMS) await platformsOut.csv([id, name, type, commission]);

  const promotions = Array.from({ length: 10 }, (_, i) => {
    const starts = windowStart + Math.floor(((i + 0.5) / 10) * days) * DAY_MS;
    return { id: `PR${pad(i + 1)}`, starts, ends: starts + random.integer(7, 30) * DAY_MS, discount: random.pick([5, 10, 15, 20, 30]) };
  });
  const promotionsOut = new LineWriter(file('promotions.csv'), ['promotion_id', 'promotion_name', 'promotion_type', 'discount_pct', 'starts_on', 'ends_on']);
  for (const p of promotions) {
    await promotionsOut.csv([p.id, `Promotion ${p.id}`, random.pick(['coupon', 'seasonal', 'bundle']), p.discount, seoulDate(p.starts), seoulDate(p.ends)]);
  }

  const members = new LineWriter(file('members.csv'), ['member_id', 'joined_at', 'birth_year', 'gender', 'region', 'marketing_opt_in']);
  const orders = new LineWriter(file('orders.csv'), ['order_id', 'ordered_at', 'member_id', 'status', 'platform_id', 'promotion_id']);
  const items = new LineWriter(file('order_items.csv'), ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price']);
  const reviews = new LineWriter(file('reviews.jsonl'));
  const sessionsCsv = file('ga_sessions.tmp.csv');
  const sessions = new LineWriter(sessionsCsv, ['session_id', 'member_id', 'session_start', 'traffic_source', 'pageviews', 'session_duration_sec']);
  let orderCount = 0;
  let sessionCount = 0;

  const writeSession = async (memberId: string, ms: number) => {
    sessionCount++;
    await sessions.csv([`S${pad(sessionCount, 8)}`, memberId, new Date(ms).toISOString().slice(0, 19) + 'Z', random.pick(TRAFFIC_SOURCES), random.integer(1, 25), random.integer(10, 1800)]);
  };

  for (let member = 0; member < options.customers; member++) {
    const memberId = `M${pad(member + 1, 6)}`;
    let draw = random.next();
    const persona = PERSONAS.find((p) => (draw -= p.share) < 0) ?? PERSONAS[1];
    const plantsOrderDirt = (Object.keys(DIRT) as (keyof typeof DIRT)[]).some((kind) => has(member, kind));
    const orderTotal = Math.max(random.integer(persona.orders[0], persona.orders[1]), plantsOrderDirt ? 1 : 0);
    const from = windowStart + persona.span[0] * days * DAY_MS;
    const to = windowStart + persona.span[1] * days * DAY_MS;
    const dates = Array.from({ length: orderTotal }, () => from + random.next() * (to - from)).sort((a, b) => a - b);
    const bigSpender = random.chance(0.08) ? 4 : 1;

    const joined = (dates[0] ?? from + random.next() * (to - from)) - random.integer(0, 60) * DAY_MS;
    const birthYear = random.chance(0.1) ? '' : String(random.integer(1960, 2006));
    await members.csv([memberId, formatTimestamp(Math.max(joined, windowStart - 365 * DAY_MS), random), birthYear, random.pick(['F', 'M', 'F', 'M', '']), random.pick(REGIONS), random.pick(OPT_IN_SPELLINGS)]);

    for (const [index, orderedAt] of dates.entries()) {
      orderCount++;
      const orderId = `O${pad(orderCount, 7)}`;
      const promotion = promotions.find((p) => orderedAt >= p.starts && orderedAt <= p.ends + DAY_MS);
      const status = random.chance(0.02) ? 'cancelled' : 'completed';
      let buyer = memberId;
      if (index === 0 && has(member, 'guestOrder')) buyer = '';
      if (index === 0 && has(member, 'unknownMember')) buyer = `M9${pad(member + 1, 6)}`;
      const when = index === 0 && has(member, 'badOrderDate') ? random.pick(['2026-13-45 25:00', 'not a date']) : formatTimestamp(orderedAt, random);
      let platform = random.next();
      const platformId = PLATFORMS.find((p) => (platform -= p[4]) < 0)?.[0] ?? 'PL1';
      const orderRow = [orderId, when, buyer, status, platformId, promotion && random.chance(0.6) ? promotion.id : ''];
      await orders.csv(orderRow);
      if (index === 0 && has(member, 'duplicateOrder')) await orders.csv(orderRow);

      const lines: { product: string; quantity: number; price: number }[] = [];
      for (let line = 1; line <= random.integer(1, 4); line++) {
        const product = random.pick(products);
        const price = money(product.price * persona.spend * bigSpender * (promotion ? 1 - promotion.discount / 100 : 1));
        lines.push({ product: product.id, quantity: random.integer(1, 3), price });
      }
      if (index === 0 && has(member, 'badPrice')) lines[0]!.price = member % 2 === 0 ? 0 : -lines[0]!.price;
      if (index === 0 && has(member, 'zeroQuantity')) lines[0]!.quantity = 0;
      if (index === 0 && has(member, 'unknownProduct')) lines[0]!.product = 'P9999';
      for (const [position, line] of lines.entries()) {
        const itemRow = [orderId, position + 1, line.product, line.quantity, line.price];
        await items.csv(itemRow);
        if (index === 0 && position === 0 && has(member, 'duplicateItem')) await items.csv(itemRow);
      }

      // A return: a later order of the same member giving one line back, quantity negative.
      if (status === 'completed' && random.chance(0.03) && orderedAt + 20 * DAY_MS < windowEnd) {
        orderCount++;
        const returnId = `O${pad(orderCount, 7)}`;
        await orders.csv([returnId, formatTimestamp(orderedAt + random.integer(2, 20) * DAY_MS, random), memberId, 'returned', platformId, '']);
        await items.csv([returnId, 1, lines[0]!.product, -1, lines[0]!.price]);
      }

      const badRating = index === 0 && has(member, 'badRating');
      const badDate = index === 0 && has(member, 'badReviewDate');
      if (badRating || badDate || (random.chance(0.3) && orderedAt + 10 * DAY_MS < windowEnd)) {
        await reviews.line(JSON.stringify({
          review_id: `R${pad(reviews.rows + 1, 7)}`,
          member_id: memberId,
          product_id: lines[0]!.product,
          rating: badRating ? random.pick([0, 6]) : Math.min(5, Math.max(1, Math.round(4 + random.next() * 2 - random.next() * 2.5))),
          reviewed_at: badDate ? 'last tuesday' : formatTimestamp(orderedAt + random.integer(1, 10) * DAY_MS, random),
        }));
      }
      for (let s = random.integer(1, 3); s > 0; s--) await writeSession(memberId, orderedAt - random.integer(0, 3 * 24 * 60) * 60_000);
    }
    if (member % 3 === 0) await writeSession('', windowStart + random.next() * days * DAY_MS); // anonymous visitor
  }

  const writers = { products: productsOut, platforms: platformsOut, promotions: promotionsOut, members, orders, order_items: items, reviews };
  for (const writer of [...Object.values(writers), sessions]) await writer.close();

  // GA exports arrive as Parquet here, so the sample exercises all three readers.
  const sessionsParquet = file('ga_sessions.parquet');
  await Warehouse.using('UTC', (warehouse) =>
    warehouse.writeParquet(`SELECT * FROM read_csv(${quoteLiteral(sessionsCsv)}, header = true, all_varchar = true)`, sessionsParquet),
  );
  await fs.rm(sessionsCsv);

  const config = {
    businessTimeZone: 'Asia/Seoul',
    sources: {
      orders: { path: 'orders.csv' },
      order_items: { path: 'order_items.csv' },
      members: { path: 'members.csv' },
      products: { path: 'products.csv' },
      promotions: { path: 'promotions.csv' },
      platforms: { path: 'platforms.csv' },
      reviews: { path: 'reviews.jsonl' },
      ga_sessions: { path: 'ga_sessions.parquet' },
    },
  };
  await fs.writeFile(file('segflow.config.json'), `${JSON.stringify(config, null, 2)}\n`);

  return {
    outDir: options.outDir,
    files: [
      ...Object.entries(writers).map(([source, writer]) => ({ source, file: writer.file, rows: writer.rows })),
      { source: 'ga_sessions', file: sessionsParquet, rows: sessionCount },
    ],
  };
}
