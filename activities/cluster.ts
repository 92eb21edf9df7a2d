import { clusterName, levelOf } from '../analytics/clusterNames';
import { fitKMeans } from '../analytics/kmeans';
import { scalingOf, standardize, type Scaling } from '../analytics/standardize';
import { quoteLiteral, Warehouse } from '../lib/duckdb';
import { heartbeatWhile } from './heartbeat';
import type { StageInput } from './stageInput';
import { stagingFile } from './staging';

export interface ClusterResult {
  k: number;
  inertia: number;
  features: { name: string; mean: number; std: number }[];
  clusters: { cluster: number; clusterName: string; customers: number }[];
}

/** Log-scaled RFM, as seed 000 prepares it: recency and money are heavy-tailed. */
const FEATURE_SQL = {
  log_recency: 'ln(1 + recency_days)',
  log_frequency: 'ln(1 + frequency)',
  log_monetary: 'ln(1 + greatest(monetary, 0))',
} as const;

/**
 * Stage 5: k-means on standardized log RFM (fixed k and seed from the configuration), clusters numbered by
 * descending mean monetary value so that cluster 0 is the most valuable, and named as seed 000 names them.
 */
export async function clusterCustomers(input: StageInput): Promise<ClusterResult> {
  const rfmFile = stagingFile(input.stagingDir, 'marts', 'rfm');
  return heartbeatWhile(() =>
    Warehouse.using(input.settings.businessTimeZone, async (warehouse) => {
      await warehouse.viewParquet('rfm', rfmFile);
      const featureColumns = await warehouse.columns(`
        SELECT ${Object.entries(FEATURE_SQL).map(([name, sql]) => `CAST(${sql} AS DOUBLE) AS ${name}`).join(', ')}
        FROM rfm ORDER BY member_id`);
      const names = Object.keys(FEATURE_SQL);
      const scalings: Scaling[] = [];
      const scaled = names.map((name) => {
        const raw = Float64Array.from(featureColumns[name] as number[]);
        const scaling = scalingOf(raw);
        scalings.push(scaling);
        return standardize(raw, scaling);
      });
      const points = Array.from({ length: scaled[0]!.length }, (_, i) => scaled.map((feature) => feature[i]!));
      const fit = fitKMeans(points, input.settings.clustering);

      await warehouse.createIntegerTable('fitted', {
        position: Int32Array.from(points, (_, i) => i + 1),
        fitted_cluster: fit.labels,
      });
      await warehouse.run(`
        CREATE TEMP TABLE assigned AS
        SELECT rfm.*, fitted.fitted_cluster
        FROM (SELECT *, row_number() OVER (ORDER BY member_id) AS position FROM rfm) AS rfm
        JOIN fitted USING (position)`);
      const profiles = await warehouse.rows<{ fitted_cluster: number; customers: number; recency: number; frequency: number; monetary: number }>(`
        SELECT fitted_cluster, CAST(count(*) AS INTEGER) AS customers,
               avg(recency_days) AS recency, avg(frequency) AS frequency, avg(monetary) AS monetary
        FROM assigned GROUP BY fitted_cluster ORDER BY monetary DESC, fitted_cluster`);
      const [overall] = await warehouse.rows<{ recency: number; frequency: number; monetary: number }>(
        'SELECT avg(recency_days) AS recency, avg(frequency) AS frequency, avg(monetary) AS monetary FROM assigned',
      );

      const clusters = profiles.map((profile, cluster) => ({
        fitted: profile.fitted_cluster,
        cluster,
        clusterName: clusterName(
          {
            recency: levelOf(profile.recency, overall!.recency),
            frequency: levelOf(profile.frequency, overall!.frequency),
            monetary: levelOf(profile.monetary, overall!.monetary),
          },
          cluster,
        ),
        customers: profile.customers,
      }));
      const cases = clusters.map((c) => `WHEN ${c.fitted} THEN ${c.cluster}`).join(' ');
      const nameCases = clusters.map((c) => `WHEN ${c.fitted} THEN ${quoteLiteral(c.clusterName)}`).join(' ');
      await warehouse.writeParquet(
        `SELECT member_id, CAST(CASE fitted_cluster ${cases} END AS INTEGER) AS cluster,
                CASE fitted_cluster ${nameCases} END AS cluster_name,
                ${names.map((name, i) => `(${FEATURE_SQL[name as keyof typeof FEATURE_SQL]} - ${scalings[i]!.mean}) / ${scalings[i]!.std || 1} AS ${name}_scaled`).join(', ')}
         FROM assigned ORDER BY member_id`,
        stagingFile(input.stagingDir, 'marts', 'clusters'),
      );
      return {
        k: clusters.length,
        inertia: fit.inertia,
        features: names.map((name, i) => ({ name, ...scalings[i]! })),
        clusters: clusters.map(({ cluster, clusterName, customers }) => ({ cluster, clusterName, customers })),
      };
    }),
  );
}
