import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfigFile } from '../../lib/config';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { manifestPath, PART_FILE, partitionDir, reportPath } from '../../lib/snapshots';
import type { SegmentationRunResult } from '../../schemas/run';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/** The report of the hand-made fixture's run (test/fixtures/handmade, 2024-06-30): numbers worked out in dailyRun.test.ts. */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const RUN_DATE = '2024-06-30';
const SEGFLOW = path.join(__dirname, '..', '..', 'bin', 'segflow.js');

let temporal: TestTemporal;
let outDir: string;
let result: SegmentationRunResult;
let html: string;

const sectionIds = (page: string) => [...page.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);
/** The first cells of a table row as the page writes them. */
const row = (...cells: (string | number)[]) =>
  `<tr>${cells.map((c) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${c}</td>`)).join('')}`;

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-report-'));
  result = await temporal.run({ runDate: RUN_DATE, outDir, settings: loadConfigFile(path.join(FIXTURE, 'segflow.config.json')) });
  html = await fs.readFile(result.reportPath, 'utf8');
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

test('the run writes the report beside its snapshot and names it in its result', () => {
  expect(result.reportPath).toBe(reportPath(outDir, RUN_DATE));
  expect(result.stages.map((s) => s.stage)).toEqual(expect.arrayContaining(['publish', 'report']));
});

test("the report shows the run's own numbers: sources, quarantine, segments and the Pareto share", () => {
  expect(html).toContain('<h1>segflow report for 2024-06-30</h1>');
  // Rows in, kept, quarantined, after the run date, as dailyRun.test.ts works them out.
  expect(html).toContain(row('orders', 16, 11, 4, 1));
  expect(html).toContain(row('order_items', 19, 12, 6, 1));
  expect(html).toContain('73 rows read from 10 sources; 14 (19.2%) quarantined.');
  // Two Champions of six scored customers: 33.3%.
  expect(html).toContain(row('Champions', 2, '33.3%'));
  expect(html).toMatch(/the top 20% of customers bring \d+\.\d% of revenue \(Pareto share\)/);
  expect(html).toContain('k = 2 was chosen');
  // The 30s (M1, M2) are 2 of 7 customers with 65 + 60 of 220 revenue; M1 is in control and M3 reached by nothing.
  expect(html).toContain('Customers in their 30s are 28.6% of customers and bring 56.8% of revenue. Women aged 20 to 39: 2, 0 of them');
});

test('sections come only from tables with rows: no transitions on the first published date', () => {
  // No discount section either: without a discount-sensitivity model no segment has a probability to draw;
  // no ROC curve, since the fixture's history is too short to train the churn model.
  expect(sectionIds(html)).toEqual(['run', 'segments', 'rfm', 'clusters', 'clv', 'churn', 'campaigns', 'demographics', 'channels', 'cohorts', 'rules']);
  expect(html).not.toContain('ROC curve');
});

test("the channels section shows channel_kpis' totals: CAC against LTV, the best LTV / CAC, unpaid channels at CAC 0", () => {
  // As dailyRun.test.ts works them out: email CAC 30, LTV 65; paid_search CAC 105 for spend 210, LTV 35; organic
  // unpaid with LTV 50; M3 of no known channel, LTV 5 and no CAC.
  expect(html).toContain('email returns the most for what it costs: LTV 65 against CAC 30 (2.17 times). Unpaid channels (organic, referral) cost nothing per customer: CAC 0.');
  expect(html).toContain(row('email', 'yes', 1, 30, 30, 65));
  expect(html).toContain(row('paid_search', 'yes', 2, 210, 105, 35));
  expect(html).toContain(row('organic', 'no (CAC 0)', 1, 10, 0, 50));
  expect(html).toContain(`<tr><td>(unknown)</td><td class="n">-</td>${row(1).slice(4)}<td class="n">-</td><td class="n">-</td><td class="n">5</td>`);
});

test('the page is one self-contained file within the size budget: no script, stylesheet, font or image to fetch', () => {
  expect(Buffer.byteLength(html)).toBeLessThanOrEqual(2 * 1024 * 1024);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)|\bsrc=|href="(?!#)/i);
  // Charts are inline SVG, one per figure; url(#…) only points at a gradient inside its own SVG.
  expect((html.match(/<svg /g) ?? []).length).toBe((html.match(/<h3>/g) ?? []).length);
});

test('segflow report rebuilds the page from the published snapshot, leaving out a section whose table is gone', async () => {
  await fs.rm(path.join(partitionDir(outDir, 'association_rules', RUN_DATE), PART_FILE));
  const { stdout } = await promisify(execFile)('node', [SEGFLOW, 'report', '--date', RUN_DATE, '--out', outDir]);
  expect(stdout).toContain(reportPath(outDir, RUN_DATE));
  const rebuilt = await fs.readFile(reportPath(outDir, RUN_DATE), 'utf8');
  expect(sectionIds(rebuilt)).toEqual(['run', 'segments', 'rfm', 'clusters', 'clv', 'churn', 'campaigns', 'demographics', 'channels', 'cohorts']);
  expect(rebuilt).toContain(row('Champions', 2, '33.3%'));
});

/** Replaces a published table's file with the rows of `sql` and sets its row count in the manifest. */
async function replaceTable(table: string, sql: (file: string) => string): Promise<void> {
  const file = path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE);
  const scratch = `${file}.new`;
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`COPY (${sql(quoteLiteral(file))}) TO ${quoteLiteral(scratch)} (FORMAT parquet)`);
    return Number((await warehouse.rows(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(scratch)})`))[0]!.n);
  });
  await fs.rm(file, { force: true });
  await fs.rename(scratch, file);
  const manifest = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'));
  manifest.tables[table] = { rows };
  await fs.writeFile(manifestPath(outDir, RUN_DATE), JSON.stringify(manifest));
}

test('a trained churn model gets its ROC curve, a discount model its levels; a snapshot without channel_kpis no channels section', async () => {
  // The model's curve rises to 0.5 at once and then runs parallel to the diagonal (AUC 0.875); the heuristic is the diagonal.
  await replaceTable('model_metrics', () => `
    SELECT 'churn' AS model, method, method = 'heuristic' AS is_baseline, 'tpr_at_fpr_' || printf('%.2f', k / 20) AS metric,
           CASE method WHEN 'heuristic' THEN k / 20 ELSE least(1, 0.5 + k / 20) END AS value
    FROM range(21) AS steps(k), (VALUES ('logistic_regression'), ('heuristic')) AS methods(method)
    UNION ALL VALUES ('churn', 'logistic_regression', false, 'auc', 0.875), ('churn', 'heuristic', true, 'auc', 0.5)`);
  // Champions are likely to buy on a discount (0.8: high, 20% off), the other segments not (0.1: none).
  await replaceTable('discount_levels', (file) => `
    SELECT * REPLACE (CASE segment WHEN 'Champions' THEN 0.8 ELSE 0.1 END AS mean_discount_probability,
                      CASE segment WHEN 'Champions' THEN 'high' ELSE 'none' END AS discount_level,
                      CASE segment WHEN 'Champions' THEN 20.0 ELSE 0.0 END AS recommended_discount_pct)
    FROM read_parquet(${file})`);
  await fs.rm(path.join(partitionDir(outDir, 'channel_kpis', RUN_DATE), PART_FILE));
  await promisify(execFile)('node', [SEGFLOW, 'report', '--date', RUN_DATE, '--out', outDir]);
  const rebuilt = await fs.readFile(reportPath(outDir, RUN_DATE), 'utf8');
  expect(sectionIds(rebuilt)).toEqual(['run', 'segments', 'rfm', 'clusters', 'clv', 'churn', 'campaigns', 'demographics', 'discounts', 'cohorts']);

  expect(rebuilt).toContain("The logistic_regression model&#39;s AUC is 0.875 (baselines: heuristic 0.5); the dashed diagonal is a random guess.");
  expect(rebuilt).toContain('<th>false-positive rate</th><th>true-positive rate: logistic_regression</th><th>true-positive rate: heuristic (baseline)</th>');
  expect(rebuilt).toContain(row('0%', '50.0%', '0.0%'));
  expect(rebuilt).toContain(row('25%', '75.0%', '25.0%'));
  expect(rebuilt).toContain(row('100%', '100.0%', '100.0%'));
  // The metrics table beside the probabilities keeps to the model's figures: the curve is not 21 more columns.
  expect(rebuilt).toContain('<th>method</th><th>auc</th></tr>');

  // Champions: 2 customers, one of five orders on promotion, one of the two eligible redeemed (dailyRun.test.ts).
  expect(rebuilt).toContain('Champions are the most drawn to discounts (mean probability 80.0%): they are offered the high level (20% off).');
  expect(rebuilt).toContain(row('Champions', 2, '20.0%', '50.0%', '80.0%', 'high', 20));
});

test('segflow report names the published dates when asked for another', async () => {
  const failure = await promisify(execFile)('node', [SEGFLOW, 'report', '--date', '2024-01-01', '--out', outDir]).catch((e) => e);
  expect(failure.code).toBe(2);
  expect(failure.stderr).toContain(`2024-01-01 is not published in ${outDir} (published: 2024-06-30)`);
});
