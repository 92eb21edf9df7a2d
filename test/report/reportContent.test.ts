import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfigFile } from '../../lib/config';
import { PART_FILE, partitionDir, reportPath } from '../../lib/snapshots';
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
  expect(sectionIds(html)).toEqual(['run', 'segments', 'rfm', 'clusters', 'clv', 'churn', 'campaigns', 'demographics', 'cohorts', 'rules']);
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
  expect(sectionIds(rebuilt)).toEqual(['run', 'segments', 'rfm', 'clusters', 'clv', 'churn', 'campaigns', 'demographics', 'cohorts']);
  expect(rebuilt).toContain(row('Champions', 2, '33.3%'));
});

test('segflow report names the published dates when asked for another', async () => {
  const failure = await promisify(execFile)('node', [SEGFLOW, 'report', '--date', '2024-01-01', '--out', outDir]).catch((e) => e);
  expect(failure.code).toBe(2);
  expect(failure.stderr).toContain(`2024-01-01 is not published in ${outDir} (published: 2024-06-30)`);
});
