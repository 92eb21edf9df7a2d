import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../lib/duckdb';
import { PROJECT_ROOT } from '../lib/projectRoot';
import { generateSample } from '../sample/generateSample';

/** The last day of the generated history: the run date every scale is measured on. */
export const BENCH_RUN_DATE = '2026-10-31';

/**
 * `segflow generate` data for `customers` customers, generated once into `cacheDir` and reused (the generator
 * is deterministic, and a million customers take minutes to write). A folder is complete once its config is.
 */
export async function sampleData(cacheDir: string, customers: number): Promise<string> {
  const dir = path.join(cacheDir, `sample-${customers}`);
  if (!existsSync(path.join(dir, 'segflow.config.json'))) {
    process.stderr.write(`generating ${customers.toLocaleString('en')} customers into ${dir} (once; later runs reuse it)\n`);
    await fs.rm(dir, { recursive: true, force: true });
    await generateSample({ customers, outDir: dir });
  }
  return dir;
}

/**
 * A single-file export in the UCI "Online Retail" layout with `lines` lines: invoices of several lines,
 * C-prefixed cancellations with negative quantities, M/D/YYYY H:MM dates, a quarter of the lines without a
 * customer (guest checkouts), as the real export has. Written once into `cacheDir`, with its column mapping.
 */
export async function uciExport(cacheDir: string, lines: number): Promise<string> {
  const dir = path.join(cacheDir, `uci-${lines}`);
  const config = path.join(dir, 'segflow.config.json');
  if (existsSync(config)) return dir;
  await fs.mkdir(dir, { recursive: true });
  await Warehouse.using({ timeZone: 'Europe/London' }, async (warehouse) => {
    await warehouse.run('SELECT setseed(0.19)');
    await warehouse.run(`
      COPY (
        SELECT CASE WHEN cancelled THEN 'C' ELSE '' END || (536365 + invoice) AS InvoiceNo,
               CAST(20000 + product AS VARCHAR) AS StockCode,
               'PRODUCT ' || product AS Description,
               CASE WHEN cancelled THEN -quantity ELSE quantity END AS Quantity,
               strftime(TIMESTAMP '2010-12-01 08:00' + to_minutes(invoice * 3), '%-m/%-d/%Y %-H:%M') AS InvoiceDate,
               round(0.5 + product % 50 * 0.37, 2) AS UnitPrice,
               CASE WHEN customer IS NULL THEN '' ELSE CAST(12000 + customer AS VARCHAR) END AS CustomerID,
               'United Kingdom' AS Country
        FROM (SELECT i // 20 AS invoice, CAST(floor(random() * 3000) AS INTEGER) AS product,
                     1 + CAST(floor(random() * 12) AS INTEGER) AS quantity,
                     (i // 20) % 50 = 7 AS cancelled,
                     CASE WHEN (i // 20) % 4 <> 0 THEN CAST(hash(i // 20) % 4000 AS INTEGER) END AS customer
              FROM range(${lines}) AS t(i))
      ) TO ${quoteLiteral(path.join(dir, 'Online Retail.csv'))} (HEADER)`);
  });
  const mapping = JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'data', 'examples', 'uci-online-retail.config.json'), 'utf8')) as object;
  await fs.writeFile(config, `${JSON.stringify(mapping, null, 2)}\n`);
  return dir;
}
