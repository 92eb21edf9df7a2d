/**
 * `npm run bench`: the RFM and cluster stages on a million synthetic customers, against the targets below, and
 * ml-kmeans beside segflow's own k-means on the same sample (why the hot path is not ml-kmeans).
 * Exits with 1 when a target is missed.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kmeans as mlKMeans } from 'ml-kmeans';
import { clusterCustomers } from '../activities/cluster';
import { scoreRfm } from '../activities/rfm';
import { stagingFile } from '../activities/staging';
import { fitKMeans } from '../analytics/kmeans';
import { matrixFromColumns, selectRows } from '../analytics/matrix';
import { sampleIndices } from '../analytics/sampling';
import { scalingOf, standardize } from '../analytics/standardize';
import { settingsForDataDir } from '../lib/config';
import { parquetFile, Warehouse } from '../lib/duckdb';
import { PROJECT_ROOT } from '../lib/projectRoot';
import type { SourceName } from '../schemas/sources';

const CUSTOMERS = Number(process.env.SEGFLOW_BENCH_CUSTOMERS ?? 1_000_000);
const TARGETS = { rfmSeconds: 20, clusterSeconds: 30, peakRssGiB: 4 };

/** Heavy-tailed, RFM-like customers, made by DuckDB with a fixed seed. */
async function writeCustomers(file: string): Promise<void> {
  await Warehouse.using('UTC', async (warehouse) => {
    await warehouse.run('SELECT setseed(0.42)');
    await warehouse.writeParquet(
      `SELECT printf('M%08d', i) AS member_id,
              CAST(least(730, floor(-ln(1 - random()) * 120)) AS INTEGER) AS recency_days,
              orders AS orders_count, orders + CAST(floor(random() * 3 * orders) AS INTEGER) AS order_lines_count,
              round(exp(10 + random() * 2 + random()) * sqrt(orders), 0) AS net_revenue,
              CAST(floor(random() * 3) AS INTEGER) AS review_count, 1 + random() * 4 AS avg_rating,
              CASE WHEN random() < 0.3 THEN random() ELSE 0 END AS promo_order_share,
              CAST(floor(-ln(1 - random()) * 1.5) AS INTEGER) AS ga_sessions_30d
       FROM (SELECT i, 1 + CAST(floor(-ln(1 - random()) * 3) AS INTEGER) AS orders FROM range(${CUSTOMERS}) AS t(i))`,
      file,
    );
  });
}

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

/** The standardized log-RFM matrix of a sample, to time the two k-means implementations on the same rows. */
async function sampleMatrix(rfmFile: string, rows: number) {
  const columns = await Warehouse.using('UTC', (warehouse) =>
    warehouse.columns(`SELECT ln(1 + recency_days) AS r, ln(1 + frequency) AS f, ln(1 + monetary) AS m
                       FROM ${parquetFile(rfmFile)} ORDER BY member_id`),
  );
  const matrix = matrixFromColumns(
    Object.values(columns).map((values) => {
      const raw = Float64Array.from(values as number[]);
      return standardize(raw, scalingOf(raw));
    }),
  );
  return selectRows(matrix, sampleIndices(matrix.rows, rows, 7));
}

async function main(): Promise<void> {
  const stagingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-bench-'));
  try {
    // The bundled sample's configuration: default RFM and clustering settings; its files are not read.
    const settings = settingsForDataDir(path.join(PROJECT_ROOT, 'data', 'sample'));
    const runDate = '2026-10-31';
    await writeCustomers(stagingFile(stagingDir, 'marts', 'customers'));
    const [rfm, rfmSeconds] = await timed(() => scoreRfm({ runDate, settings, stagingDir }));
    const loadedSources: SourceName[] = ['orders', 'members', 'reviews', 'promotions', 'ga_sessions'];
    const [clusters, clusterSeconds] = await timed(() => clusterCustomers({ runDate, settings, stagingDir, loadedSources }));
    const peakRssGiB = process.resourceUsage().maxRSS / 1024 / 1024;

    const sample = await sampleMatrix(stagingFile(stagingDir, 'marts', 'rfm'), 50_000);
    const sampleRows = Array.from({ length: sample.rows }, (_, r) => Array.from(sample.data.subarray(r * sample.cols, (r + 1) * sample.cols)));
    const [ours, oursSeconds] = await timed(() => fitKMeans(sample, { k: 6, restarts: 1, seed: 42 }));
    const [theirs, theirsSeconds] = await timed(() => mlKMeans(sampleRows, 6, { initialization: 'kmeans++', seed: 42, maxIterations: 300 }));

    const report = [
      `customers: ${CUSTOMERS.toLocaleString('en')} (scored ${rfm.customers.toLocaleString('en')})`,
      `rfm stage:      ${rfmSeconds.toFixed(1)} s (target ${TARGETS.rfmSeconds} s)`,
      `cluster stage:  ${clusterSeconds.toFixed(1)} s (target ${TARGETS.clusterSeconds} s): k = ${clusters.k} chosen from ` +
        `${clusters.candidates.length} candidates, fitted on ${clusters.fitRows.toLocaleString('en')}, silhouettes on ${clusters.silhouetteRows.toLocaleString('en')}`,
      `peak RSS:       ${peakRssGiB.toFixed(2)} GiB (target ${TARGETS.peakRssGiB} GiB)`,
      `one k-means fit, k = 6, 50,000 rows x 3 features: segflow ${oursSeconds.toFixed(2)} s (${ours.iterations} iterations, ` +
        `inertia ${ours.inertia.toFixed(1)}), ml-kmeans ${theirsSeconds.toFixed(2)} s (${theirs.iterations} iterations)`,
    ];
    process.stdout.write(`${report.join('\n')}\n`);
    const missed = [
      rfmSeconds > TARGETS.rfmSeconds && 'rfm stage time',
      clusterSeconds > TARGETS.clusterSeconds && 'cluster stage time',
      peakRssGiB > TARGETS.peakRssGiB && 'peak memory',
    ].filter(Boolean);
    if (missed.length > 0) {
      process.stderr.write(`bench: missed target(s): ${missed.join(', ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await fs.rm(stagingDir, { recursive: true, force: true });
  }
}

void main();
