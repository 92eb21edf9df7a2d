import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { buildTable } from '../activities/tableBuilder';
import { quoteLiteral, Warehouse } from '../lib/duckdb';
import { DEFAULT_MEMORY_LIMIT } from '../schemas/config';

export interface BasketRulesMeasure {
  lines: number;
  orders: number;
  rules: number;
  seconds: number;
}

/**
 * Order lines for the association rules alone: `lines` purchase lines in baskets of 4, 500k customers in 4
 * clusters, a catalogue of 5,000 products and three staples bought together in 40% of the orders (so that seed
 * 002's support of 0.2 leaves pairs and a triple to count, as a grocery's bread, milk and eggs would).
 * Written once into `cacheDir` as Parquet.
 */
async function basketLines(cacheDir: string, lines: number): Promise<{ orderLines: string; clusters: string }> {
  const dir = path.join(cacheDir, `baskets-${lines}`);
  const orderLines = path.join(dir, 'order_lines.parquet');
  const clusters = path.join(dir, 'clusters.parquet');
  if (!existsSync(clusters)) {
    await fs.mkdir(dir, { recursive: true });
    await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
      await warehouse.run('SELECT setseed(0.14)');
      await warehouse.run(`
        COPY (
          SELECT 'O' || (i // 4) AS order_id, 'M' || hash(i // 4) % 500000 AS member_id, true AS is_purchase,
                 CASE WHEN hash(i // 4) % 10 < 4 AND i % 4 < 3 THEN 'S' || i % 4
                      ELSE 'P' || CAST(floor(random() * 5000) AS INTEGER) END AS product_id
          FROM range(${lines}) AS t(i)
        ) TO ${quoteLiteral(orderLines)} (FORMAT parquet)`);
      await warehouse.run(`
        COPY (SELECT 'M' || m AS member_id, CAST(m % 4 AS INTEGER) AS cluster, 'cluster ' || m % 4 AS cluster_name
              FROM range(500000) AS t(m))
        TO ${quoteLiteral(clusters)} (FORMAT parquet)`);
    });
  }
  return { orderLines, clusters };
}

/** sql/marts/association_rules.sql as the baskets stage runs it, at seed 002's thresholds. */
export async function measureBasketRules(cacheDir: string, lines: number, scratch: string): Promise<BasketRulesMeasure> {
  const { orderLines, clusters } = await basketLines(cacheDir, lines);
  const started = process.hrtime.bigint();
  const rules = await buildTable({
    warehouse: { timeZone: 'UTC', memoryLimit: DEFAULT_MEMORY_LIMIT, tempDirectory: path.join(scratch, 'basket-spill') },
    inputs: { order_lines: orderLines, clusters },
    variables: { min_support: { value: 0.2, type: 'DOUBLE' }, min_confidence: { value: 0.7, type: 'DOUBLE' } },
    model: 'marts/association_rules.sql',
    output: path.join(scratch, 'association_rules.parquet'),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { lines, orders: lines / 4, rules, seconds };
}
