import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stagingFile } from '../../activities/staging';
import { compareSegments } from '../../activities/segmentTransitions';
import { loadConfigFile } from '../../lib/config';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import { readParquet } from '../support/parquet';

const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
let outDir: string;
let stagingDir: string;

type Scored = [member: string, segment: string, cell: string];

async function writeRfm(file: string, rows: Scored[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const values = rows.map((row) => `(${row.map(quoteLiteral).join(', ')})`).join(', ');
  await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(member_id, segment, rfm_cell)) TO ${quoteLiteral(file)} (FORMAT parquet)`),
  );
}

type Clustered = [member: string, cluster: number, name: string];

async function writeClusters(file: string, rows: Clustered[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const values = rows.map(([member, cluster, name]) => `(${quoteLiteral(member)}, ${cluster}, ${quoteLiteral(name)})`).join(', ');
  await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(member_id, cluster, cluster_name)) TO ${quoteLiteral(file)} (FORMAT parquet)`),
  );
}

/** Publishes a date's rfm and, for the rfm's members, clusters: cluster 0 for Champions, 1 for everyone else. */
async function publishRfm(runDate: string, rows: Scored[]): Promise<void> {
  await writeRfm(path.join(partitionDir(outDir, 'rfm', runDate), PART_FILE), rows);
  await writeClusters(path.join(partitionDir(outDir, 'clusters', runDate), PART_FILE), rows.map(clusterOf));
  await fs.mkdir(path.dirname(manifestPath(outDir, runDate)), { recursive: true });
  await fs.writeFile(manifestPath(outDir, runDate), '{}');
}

const clusterOf = ([member, segment]: Scored): Clustered =>
  segment === 'Champions' ? [member, 0, 'VIP Customers'] : [member, 1, 'Cluster 1'];

beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-transitions-'));
  stagingDir = path.join(outDir, '_staging', 'test');
  await publishRfm('2024-05-01', [['A', 'Lost', '111']]); // older: not the one to compare with
  await publishRfm('2024-06-01', [
    ['A', 'Champions', '555'],
    ['B', 'Loyal Customers', '444'],
    ['C', 'At Risk', '255'],
    ['D', 'Lost', '111'],
    ['E', 'Champions', '554'],
  ]);
  await publishRfm('2024-07-01', [['A', 'Champions', '555']]); // later than the run date: never compared with
  const today: Scored[] = [
    ['A', 'At Risk', '245'],
    ['B', 'At Risk', '244'],
    ['C', 'At Risk', '155'],
    ['E', 'Champions', '555'],
    ['F', 'New Customers', '511'],
  ];
  await writeRfm(stagingFile(stagingDir, 'marts', 'rfm'), today);
  await writeClusters(stagingFile(stagingDir, 'marts', 'clusters'), today.map(clusterOf));
});

afterAll(() => fs.rm(outDir, { recursive: true, force: true }));

test('transitions and moves against the latest snapshot published before the run date', async () => {
  const result = await compareSegments({ runDate: '2024-06-15', settings, stagingDir, outDir });
  expect(result).toEqual({ previousRunDate: '2024-06-01', moved: 2, championsOrLoyalToAtRisk: 2, clusterMoves: 1 });

  const transitions = await readParquet(stagingFile(stagingDir, 'marts', 'segment_transitions'));
  expect(transitions.map((t) => [t.from_segment, t.to_segment, t.customers, t.share_of_from_segment, t.days_since_previous_run])).toEqual([
    [null, 'New Customers', 1, null, 14],
    ['At Risk', 'At Risk', 1, 1, 14],
    ['Champions', 'At Risk', 1, 0.5, 14],
    ['Champions', 'Champions', 1, 0.5, 14],
    ['Lost', null, 1, 1, 14],
    ['Loyal Customers', 'At Risk', 1, 1, 14],
  ]);

  const moves = await readParquet(stagingFile(stagingDir, 'marts', 'segment_moves'));
  expect(moves.map((m) => [m.member_id, m.previous_segment, m.segment, m.previous_rfm_cell, m.rfm_cell])).toEqual([
    ['A', 'Champions', 'At Risk', '555', '245'],
    ['B', 'Loyal Customers', 'At Risk', '444', '244'],
  ]);

  // A left cluster 0 (a Champion no more); B, C and E stayed; D is no longer scored; F is new.
  const clusterTransitions = await readParquet(stagingFile(stagingDir, 'marts', 'cluster_transitions'));
  expect(clusterTransitions.map((t) => [t.from_cluster, t.from_cluster_name, t.to_cluster, t.customers, t.share_of_from_cluster])).toEqual([
    [null, null, 1, 1, null],
    [0, 'VIP Customers', 0, 1, 0.5],
    [0, 'VIP Customers', 1, 1, 0.5],
    [1, 'Cluster 1', null, 1, 1 / 3],
    [1, 'Cluster 1', 1, 2, 2 / 3],
  ]);
  const clusterMoves = await readParquet(stagingFile(stagingDir, 'marts', 'cluster_moves'));
  expect(clusterMoves.map((m) => [m.member_id, m.previous_cluster, m.previous_cluster_name, m.cluster, m.cluster_name])).toEqual([
    ['A', 0, 'VIP Customers', 1, 'Cluster 1'],
  ]);
});

test("the README's win-back query lists the customers who fell from Champions or Loyal Customers to At Risk", async () => {
  await compareSegments({ runDate: '2024-06-15', settings, stagingDir, outDir });
  const readme = await fs.readFile(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const query = readme.match(/<!-- win-back query -->\s*```sql\n([\s\S]*?)```/)?.[1];
  expect(query).toBeDefined();
  // Laid out as a published snapshot, so the query runs as written but for the root and the date.
  const published = path.join(partitionDir(outDir, 'segment_moves', '2024-06-15'), PART_FILE);
  await fs.mkdir(path.dirname(published), { recursive: true });
  await fs.copyFile(stagingFile(stagingDir, 'marts', 'segment_moves'), published);
  const rows = await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.rows(
      query!
        .replace("'output/segment_moves/*/*.parquet'", quoteLiteral(path.join(outDir, 'segment_moves', '*', '*.parquet')))
        .replace("DATE '2024-06-30'", "DATE '2024-06-15'"),
    ),
  );
  expect(rows.map((r) => r.member_id)).toEqual(['A', 'B']);
});

test('the first snapshot has nothing to compare with: empty tables, no previous date', async () => {
  const result = await compareSegments({ runDate: '2024-04-30', settings, stagingDir, outDir });
  expect(result).toEqual({ previousRunDate: null, moved: 0, championsOrLoyalToAtRisk: 0, clusterMoves: 0 });
  expect(await readParquet(stagingFile(stagingDir, 'marts', 'cluster_transitions'))).toEqual([]);
  expect(await readParquet(stagingFile(stagingDir, 'marts', 'segment_transitions'))).toEqual([]);
});
