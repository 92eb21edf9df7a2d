import os from 'node:os';
import { clusterName, distinctNames } from '../analytics/clusterNames';
import { matrixFromColumns } from '../analytics/matrix';
import { scalingOf, standardize, type Scaling } from '../analytics/standardize';
import { selectClustersInThreads } from '../lib/clusterThreads';
import { quoteIdent, Warehouse } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import type { SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';

export interface ClusterInput extends StageInput {
  loadedSources: SourceName[];
}

export interface ClusterResult {
  k: number;
  selection: 'silhouette' | 'configured';
  candidates: { k: number; inertia: number; silhouette: number }[];
  fitRows: number;
  silhouetteRows: number;
  /** Within-cluster sum of squares of every customer against the chosen centroids. */
  inertia: number;
  features: { name: string; definition: string; mean: number; std: number }[];
  clusters: { cluster: number; clusterName: string; customers: number }[];
}

/** The k candidates of the silhouette search, as seed 000's find_optimal_clusters (max_clusters = 10). */
export const K_CANDIDATES = [2, 10] as const;

interface ClusterFeature {
  name: string;
  definition: string;
  requires?: SourceName;
}

/**
 * What k-means sees, before standardization: seed 000's log RFM, average order value and purchase consistency,
 * and, where their source was loaded, reviews, promotion use and recent GA sessions (sql/marts/cluster_features.sql).
 */
export const CLUSTER_FEATURES: ClusterFeature[] = [
  { name: 'log_recency', definition: 'ln(1 + recency_days)' },
  { name: 'log_frequency', definition: 'ln(1 + frequency)' },
  { name: 'log_monetary', definition: 'ln(1 + monetary)' },
  { name: 'avg_order_value', definition: 'monetary / frequency' },
  { name: 'purchase_consistency', definition: 'frequency / (recency_days / 30 + 1)' },
  { name: 'review_count', definition: 'review_count', requires: 'reviews' },
  { name: 'avg_rating', definition: 'avg_rating', requires: 'reviews' },
  { name: 'promo_order_share', definition: 'promo_order_share', requires: 'promotions' },
  { name: 'ga_sessions_30d', definition: 'ga_sessions_30d', requires: 'ga_sessions' },
];

/** The standardized feature matrix, rows in member_id order (the `position` of cluster_features.sql). */
async function standardizedFeatures(warehouse: Warehouse, features: ClusterFeature[]) {
  const raw = await warehouse.columns(`
    SELECT ${features.map((f) => `CAST(${f.definition} AS DOUBLE) AS ${quoteIdent(f.name)}`).join(', ')}
    FROM features ORDER BY position`);
  const columns = features.map((f) => Float64Array.from(raw[f.name] as number[]));
  const scalings: Scaling[] = columns.map(scalingOf);
  return { matrix: matrixFromColumns(columns.map((column, i) => standardize(column, scalings[i]!))), scalings };
}

/**
 * Numbers the fitted clusters by descending mean monetary value (0 = most valuable) into the table `clustered`,
 * profiles them (sql/marts/cluster_profiles.sql, into `profiles`) and names them from their levels (into
 * `cluster_names`).
 */
async function numberProfileAndName(warehouse: Warehouse, labels: Int32Array) {
  await warehouse.createNumericTable('fitted', {
    position: Int32Array.from(labels, (_, i) => i + 1),
    fitted_cluster: labels,
  });
  await warehouse.run(`
    CREATE TEMP TABLE clustered AS
    WITH numbering AS (
      SELECT fitted_cluster, row_number() OVER (ORDER BY avg(monetary) DESC, fitted_cluster) - 1 AS cluster
      FROM features JOIN fitted USING (position) GROUP BY fitted_cluster
    )
    SELECT features.*, CAST(numbering.cluster AS INTEGER) AS cluster
    FROM features JOIN fitted USING (position) JOIN numbering USING (fitted_cluster)`);
  await warehouse.run(`CREATE TEMP TABLE profiles AS ${sqlFile('marts/cluster_profiles.sql')}`);

  const levels = await warehouse.rows<{ cluster: number; customers: number; recency: string | null; frequency: string | null; monetary: string | null }>(`
    SELECT cluster, CAST(any_value(customers) AS INTEGER) AS customers,
           any_value(level) FILTER (WHERE feature = 'recency_days') AS recency,
           any_value(level) FILTER (WHERE feature = 'frequency') AS frequency,
           any_value(level) FILTER (WHERE feature = 'monetary') AS monetary
    FROM profiles GROUP BY cluster ORDER BY cluster`);
  const names = distinctNames(levels.map((level) => clusterName(level, level.cluster)));
  await warehouse.run('CREATE TEMP TABLE cluster_names (cluster INTEGER, cluster_name VARCHAR)');
  for (const [i, { cluster }] of levels.entries()) {
    await warehouse.run('INSERT INTO cluster_names VALUES ($cluster, $name)', { cluster, name: names[i]! });
  }
  return levels.map((level, i) => ({ cluster: level.cluster, clusterName: names[i]!, customers: level.customers }));
}

/**
 * Stage 6: k-means on the standardized features. k is chosen by silhouette over K_CANDIDATES (or configured),
 * fitted on a seeded sample when there are many customers and then carried over every customer. Clusters are
 * numbered by descending mean monetary value, profiled and named as seed 000 does, and crossed with the RFM
 * segments.
 */
export async function clusterCustomers(input: ClusterInput): Promise<ClusterResult> {
  const { settings, stagingDir } = input;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  const features = CLUSTER_FEATURES.filter((f) => !f.requires || input.loadedSources.includes(f.requires));
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.viewParquet('rfm', marts('rfm'));
      await warehouse.viewParquet('customers', marts('customers'));
      for (const source of ['reviews', 'promotions', 'ga_sessions'] as const) {
        await warehouse.setVariable(`has_${source}`, input.loadedSources.includes(source), 'BOOLEAN');
      }
      await warehouse.run(`CREATE TEMP TABLE features AS ${sqlFile('marts/cluster_features.sql')}`);
      const { matrix, scalings } = await standardizedFeatures(warehouse, features);
      const threads = settings.duckdb.threads ?? os.availableParallelism();
      const selection = await selectClustersInThreads(matrix, { ...settings.clustering, candidates: K_CANDIDATES }, threads);
      const clusters = await numberProfileAndName(warehouse, selection.fit.labels);

      const scaledColumns = features.map(
        (f, i) => `(${f.definition} - ${scalings[i]!.mean}) / ${scalings[i]!.std || 1} AS ${quoteIdent(`${f.name}_scaled`)}`,
      );
      await warehouse.writeParquet(
        `SELECT member_id, cluster, cluster_name, ${scaledColumns.join(', ')}
         FROM clustered JOIN cluster_names USING (cluster) ORDER BY member_id`,
        marts('clusters'),
      );
      await warehouse.writeParquet(
        `SELECT cluster, cluster_name, profiles.* EXCLUDE (cluster)
         FROM profiles JOIN cluster_names USING (cluster) ORDER BY cluster, feature`,
        marts('cluster_profiles'),
      );
      await warehouse.viewParquet('clusters', marts('clusters'));
      await warehouse.writeParquet(sqlFile('marts/cluster_segment_crosstab.sql'), marts('cluster_segment_crosstab'));
      await warehouse.run('CREATE TEMP TABLE candidates (k INTEGER, inertia DOUBLE, silhouette DOUBLE)');
      for (const { k, inertia, silhouette } of selection.candidates) {
        await warehouse.run('INSERT INTO candidates VALUES ($k, $inertia, $silhouette)', { k, inertia, silhouette });
      }
      await warehouse.writeParquet(
        `SELECT k, inertia, silhouette, k = ${selection.fit.k} AS chosen,
                ${selection.fitRows} AS fit_rows, ${selection.silhouetteRows} AS silhouette_rows
         FROM candidates ORDER BY k`,
        marts('cluster_selection'),
      );

      return {
        k: selection.fit.k,
        selection: settings.clustering.k === 'auto' ? 'silhouette' : 'configured',
        candidates: selection.candidates,
        fitRows: selection.fitRows,
        silhouetteRows: selection.silhouetteRows,
        inertia: selection.fit.inertia,
        features: features.map(({ name, definition }, i) => ({ name, definition, ...scalings[i]! })),
        clusters,
      };
    }),
  );
}
