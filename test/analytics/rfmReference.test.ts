import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreRfm } from '../../activities/rfm';
import { stagingFile } from '../../activities/staging';
import { loadConfigFile } from '../../lib/config';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';
import { readParquet } from '../support/parquet';

/**
 * RFM scores and classes against pandas itself: the fixtures in test/fixtures/reference were written by
 * make_reference_fixtures.py with the pandas version they name.
 */
const REFERENCE = path.join(__dirname, '..', 'fixtures', 'reference');
const readFixture = (name: string) => JSON.parse(readFileSync(path.join(REFERENCE, name), 'utf8'));

interface ScoreCase {
  customers: { member_id: string; recency: number; frequency: number; monetary: number }[];
  scores?: { member_id: string; r_score: number; f_score: number; m_score: number; rfm_score: number }[];
  classes?: { member_id: string; rfm_class: string }[];
  scoreError?: string;
}
const { cases, classCases } = readFixture('rfm_scores.json') as {
  cases: Record<string, ScoreCase>;
  classCases: { scores: number[]; classes: string[] | null }[];
};
const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));

let workDir: string;
beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-rfm-reference-'));
});
afterAll(async () => {
  await fs.rm(workDir, { recursive: true, force: true });
});

/** Runs the real rfm stage on a customers table holding just the fixture's recency, frequency and monetary. */
async function scoreWithSegflow(name: string, customers: ScoreCase['customers']) {
  const stagingDir = path.join(workDir, name);
  const input = path.join(workDir, `${name}.json`);
  await fs.writeFile(input, JSON.stringify(customers));
  await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.writeParquet(
      `SELECT member_id, CAST(recency AS BIGINT) AS recency_days, CAST(frequency AS BIGINT) AS orders_count,
              CAST(frequency AS BIGINT) AS order_lines_count, CAST(monetary AS DOUBLE) AS revenue
       FROM read_json(${quoteLiteral(input)})`,
      stagingFile(stagingDir, 'marts', 'customers'),
    ),
  );
  const result = await scoreRfm({ runDate: '2024-06-30', settings, stagingDir });
  return { result, rows: await readParquet(stagingFile(stagingDir, 'marts', 'rfm'), 'member_id') };
}

test('quintile_of_rank puts ranks 1..n in the bins pandas.qcut(ranks, 5) does, for every n to 1500 and large n', async () => {
  const { bins } = readFixture('rfm_quintile_bins.json') as { bins: Record<string, { counts?: number[]; error?: string }> };
  const sizes = Object.keys(bins).map(Number);
  const ours = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('qcut.sql'));
    const rows = await warehouse.rows<{ n: number; counts: number[] }>(`
      WITH sizes AS (SELECT unnest([${sizes.join(',')}]) AS n),
      binned AS (SELECT n, quintile_of_rank(rank, n) AS bin FROM sizes, range(1, n + 1) AS ranks(rank))
      SELECT n, [CAST(count(*) FILTER (WHERE bin = 1) AS INTEGER), CAST(count(*) FILTER (WHERE bin = 2) AS INTEGER),
                 CAST(count(*) FILTER (WHERE bin = 3) AS INTEGER), CAST(count(*) FILTER (WHERE bin = 4) AS INTEGER),
                 CAST(count(*) FILTER (WHERE bin = 5) AS INTEGER)] AS counts
      FROM binned GROUP BY n`);
    return new Map(rows.map((row) => [Number(row.n), row.counts]));
  });
  expect(sizes.length).toBeGreaterThan(1500);
  for (const n of sizes) {
    const reference = bins[String(n)]!;
    // pandas refuses one rank (all edges equal); segflow puts a lone customer in the first bin.
    expect([n, ours.get(n)]).toEqual([n, reference.counts ?? [1, 0, 0, 0, 0]]);
  }
});

test.each(Object.keys(cases))('scores of %s equal pandas qcut(rank(method="first"), 5), ties by member_id', async (name) => {
  const fixture = cases[name]!;
  const { rows, result } = await scoreWithSegflow(name, fixture.customers);
  expect(result.customers).toBe(fixture.customers.length);
  if (fixture.scoreError) {
    // A single customer: pandas raises "Bin edges must be unique"; segflow scores it R=5, F=1, M=1.
    expect(fixture.customers).toHaveLength(1);
    expect(rows.map((r) => [r.r_score, r.f_score, r.m_score])).toEqual([[5, 1, 1]]);
    return;
  }
  expect(rows.map((r) => ({ member_id: r.member_id, r_score: r.r_score, f_score: r.f_score, m_score: r.m_score, rfm_score: r.rfm_score })))
    .toEqual(fixture.scores);
  expect(rows.map((r) => r.rfm_cell)).toEqual(fixture.scores!.map((s) => `${s.r_score}${s.f_score}${s.m_score}`));
  expect(rows.map((r) => ({ member_id: r.member_id, rfm_class: r.rfm_class }))).toEqual(fixture.classes);
});

test('rfm_class equals pandas qcut(rfm_score, 3, labels=[silver, gold, platinum]) on 400 score lists', async () => {
  const ours = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('qcut.sql'));
    const rows = await warehouse.rows<{ id: number; classes: string[] }>(`
      WITH scores AS (
        SELECT id, unnest(scores) AS score, generate_subscripts(scores, 1) AS position
        FROM (SELECT unnest(${quoteLiteral(JSON.stringify(classCases.map((c) => c.scores)))}::INTEGER[][]) AS scores,
                     generate_subscripts(${quoteLiteral(JSON.stringify(classCases.map((c) => c.scores)))}::INTEGER[][], 1) AS id)
      ),
      edges AS (
        SELECT id, tercile_edge_x3(list(score ORDER BY score), 1) AS edge1, tercile_edge_x3(list(score ORDER BY score), 2) AS edge2
        FROM scores GROUP BY id
      )
      SELECT id, list(tercile_label(score, edge1, edge2, 'silver', 'gold', 'platinum') ORDER BY position) AS classes
      FROM scores JOIN edges USING (id) GROUP BY id ORDER BY id`);
    return rows.map((row) => row.classes);
  });
  expect(ours).toHaveLength(classCases.length);
  const comparable = classCases.filter((c) => c.classes !== null);
  expect(comparable.length).toBeGreaterThan(390);
  classCases.forEach((reference, index) => {
    if (reference.classes) expect([index, ours[index]]).toEqual([index, reference.classes]);
  });
});

test('customers whose net revenue is not positive are counted, not scored', async () => {
  const { rows, result } = await scoreWithSegflow('non_positive', [
    { member_id: 'A', recency: 1, frequency: 2, monetary: 100 },
    { member_id: 'B', recency: 3, frequency: 1, monetary: 0 },
    { member_id: 'C', recency: 5, frequency: 1, monetary: -40 },
    { member_id: 'D', recency: 9, frequency: 1, monetary: 300 },
  ]);
  expect(rows.map((r) => r.member_id)).toEqual(['A', 'D']);
  expect(result.nonPositiveMonetary).toEqual({ customers: 2, revenue: -40 });
});

test('rfm_segments sums each segment and the Pareto figure is the top 20% revenue share', async () => {
  const fixture = cases.skewed_random!;
  const { result } = await scoreWithSegflow('segments', fixture.customers);
  const segments = await readParquet(stagingFile(path.join(workDir, 'segments'), 'marts', 'rfm_segments'), 'segment');
  const revenue = fixture.customers.reduce((sum, c) => sum + c.monetary, 0);
  expect(segments.reduce((sum, s) => sum + (s.customers as number), 0)).toBe(1000);
  expect(segments.reduce((sum, s) => sum + (s.revenue as number), 0)).toBeCloseTo(revenue, 4);
  expect(segments.reduce((sum, s) => sum + (s.revenue_share as number), 0)).toBeCloseTo(1, 12);
  for (const segment of segments) {
    expect(segment.customer_share).toBeCloseTo((segment.customers as number) / 1000, 12);
  }
  expect(result.segments.map((s) => s.customers).sort((a, b) => b - a)).toEqual(
    segments.map((s) => s.customers as number).sort((a, b) => b - a),
  );
  const top200 = [...fixture.customers].sort((a, b) => b.monetary - a.monetary).slice(0, 200);
  expect(result.paretoTop20RevenueShare).toBeCloseTo(top200.reduce((sum, c) => sum + c.monetary, 0) / revenue, 12);
});
