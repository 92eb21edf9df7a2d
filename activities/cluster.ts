import os from 'node:os';
import {
  assignWith,
  centroidsIn,
  distanceProfile,
  driftOf,
  matchCentroids,
  modelFeatures,
  standardizeWith,
  type Assignment,
  type ClusterModel,
  type ClusteringParameters,
  type Drift,
} from '../analytics/clusterModel';
import { clusterName, distinctNames } from '../analytics/clusterNames';
import { scalingOf } from '../analytics/standardize';
import { selectClustersInThreads } from '../lib/clusterThreads';
import { quoteIdent, Warehouse } from '../lib/duckdb';
import { chooseModel, configHash, modelUse, storeNewVersion, type ModelRun, type StoredModel } from '../lib/modelStore';
import { sqlFile } from '../lib/sqlFile';
import type { ModelUse, RunSettings } from '../schemas/run';
import type { SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { writeSnapshotTable } from './snapshotTable';
import { stagingFile } from './staging';

export interface ClusterInput extends StageInput, ModelRun {
  loadedSources: SourceName[];
}

/** Figures of a clustering's training, as the model store keeps them. */
export interface ClusterTraining {
  customers: number;
  fitRows: number;
  meanDistance: number;
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
  /** The model version the customers were assigned with, and whether this run trained it and why. */
  model: ModelUse;
  /** How far today's customers sat from the stored model's clusters; null when there was no usable model. */
  drift: Drift | null;
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
 * and, where their source was loaded, reviews, promotion use and recent GA sessions (sql/models/cluster_features.sql).
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

/**
 * The table `cluster_inputs`: the raw value of every feature by `position` (member_id order, as in
 * cluster_features.sql), which clusters.sql standardizes; returns its columns, which k-means reads.
 */
async function stageInputs(warehouse: Warehouse, features: ClusterFeature[]): Promise<Float64Array[]> {
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE cluster_inputs AS
    SELECT position, ${features.map((f) => `CAST(${f.definition} AS DOUBLE) AS ${quoteIdent(f.name)}`).join(', ')}
    FROM features ORDER BY position`);
  const raw = await warehouse.columns('SELECT * EXCLUDE (position) FROM cluster_inputs ORDER BY position');
  return features.map((f) => Float64Array.from(raw[f.name] as number[]));
}

/** The table `clustered`: the features with the given cluster of every position. */
async function stageClustered(warehouse: Warehouse, clusterOfPosition: Int32Array): Promise<void> {
  await warehouse.createTable('assigned', { position: Int32Array.from(clusterOfPosition, (_, i) => i + 1), cluster: clusterOfPosition });
  await warehouse.run('CREATE OR REPLACE TEMP TABLE clustered AS SELECT features.*, assigned.cluster FROM features JOIN assigned USING (position)');
}

/**
 * Profiles customers with the given cluster of every position (sql/models/cluster_feature_stats.sql): the tables
 * `clustered` and `cluster_feature_stats`, and the RFM levels and size of each cluster, in cluster order.
 */
async function profileClusters(warehouse: Warehouse, clusterOfPosition: Int32Array) {
  await stageClustered(warehouse, clusterOfPosition);
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE cluster_feature_stats AS ${sqlFile('models/cluster_feature_stats.sql')}`);
  return warehouse.rows<{ cluster: number; customers: number; recency: string | null; frequency: string | null; monetary: string | null }>(`
    SELECT cluster, CAST(any_value(customers) AS INTEGER) AS customers,
           any_value(level) FILTER (WHERE feature = 'recency_days') AS recency,
           any_value(level) FILTER (WHERE feature = 'frequency') AS frequency,
           any_value(level) FILTER (WHERE feature = 'monetary') AS monetary
    FROM cluster_feature_stats GROUP BY cluster ORDER BY cluster`);
}

/**
 * What the cluster marts read of the model: the tables cluster_names, cluster_scaling and cluster_candidates,
 * and the variables chosen_k, fit_rows and silhouette_rows.
 */
async function stageModel(warehouse: Warehouse, model: ClusteringParameters): Promise<void> {
  await warehouse.createTable('cluster_names', {
    cluster: Int32Array.from(model.clusters, (c) => c.id),
    cluster_name: model.clusters.map((c) => c.name),
  });
  await warehouse.createTable('cluster_scaling', {
    feature: model.features.map((f) => f.name),
    mean: Float64Array.from(model.features, (f) => f.mean),
    std: Float64Array.from(model.features, (f) => f.std),
  });
  await warehouse.createTable('cluster_candidates', {
    k: Int32Array.from(model.candidates, (c) => c.k),
    inertia: Float64Array.from(model.candidates, (c) => c.inertia),
    silhouette: Float64Array.from(model.candidates, (c) => c.silhouette),
  });
  await warehouse.setVariable('chosen_k', model.k, 'INTEGER');
  await warehouse.setVariable('fit_rows', model.fitRows, 'INTEGER');
  await warehouse.setVariable('silhouette_rows', model.silhouetteRows, 'INTEGER');
}

/**
 * Fits a new model on today's customers. Clusters are numbered by descending mean monetary value, except that
 * a cluster matching one of the previous model's (optimal matching of centroids within matchMaxDistance) keeps
 * its id and name; the others get new ids and seed 000's names.
 */
async function trainModel(
  warehouse: Warehouse,
  columns: Float64Array[],
  features: ClusterFeature[],
  settings: RunSettings,
  previous: StoredModel<ClusteringParameters, ClusterTraining> | null,
): Promise<ClusteringParameters> {
  const scaled = modelFeatures(features, columns.map(scalingOf));
  const matrix = standardizeWith(scaled, columns);
  const threads = settings.duckdb.threads ?? os.availableParallelism();
  const selection = await selectClustersInThreads(matrix, { ...settings.clustering, candidates: K_CANDIDATES }, threads);
  const { k, labels, centroids } = selection.fit;
  const centroid = (fitted: number) => Array.from(centroids.subarray(fitted * matrix.cols, (fitted + 1) * matrix.cols));

  await stageClustered(warehouse, labels);
  const fittedByValue = (
    await warehouse.rows<{ fitted: number }>('SELECT cluster AS fitted FROM clustered GROUP BY cluster ORDER BY avg(monetary) DESC, cluster')
  ).map((row) => row.fitted);
  const comparable = previous && previous.parameters.features.map((f) => f.name).join() === scaled.map((f) => f.name).join();
  const match = comparable
    ? matchCentroids(fittedByValue.map(centroid), centroidsIn(scaled, previous.parameters), settings.clustering.refit.matchMaxDistance)
    : fittedByValue.map(() => -1);
  const previousClusters = comparable ? previous.parameters.clusters : [];
  let nextId = comparable ? Math.max(...previousClusters.map((c) => c.id)) + 1 : 0;
  const idOfFitted = new Int32Array(k);
  fittedByValue.forEach((fitted, rank) => (idOfFitted[fitted] = match[rank]! >= 0 ? previousClusters[match[rank]!]!.id : nextId++));

  const ids = labels.map((fitted) => idOfFitted[fitted]!);
  const levels = await profileClusters(warehouse, ids);
  const inherited = new Map(match.filter((m) => m >= 0).map((m) => [previousClusters[m]!.id, previousClusters[m]!.name]));
  const proposed = levels.map((level) => inherited.get(level.cluster) ?? clusterName(level, level.cluster));
  const names = distinctNames(proposed);
  const placed = levels.map((level, i) => ({ id: level.cluster, name: names[i]!, centroid: centroid(idOfFitted.indexOf(level.cluster)) }));
  const profile = distanceProfile(assignWith({ clusters: placed }, matrix));
  const model: ClusterModel = {
    features: scaled,
    clusters: placed.map((cluster) => ({ ...cluster, ...profile.byId.get(cluster.id)! })),
    meanDistance: profile.meanDistance,
  };
  return {
    ...model,
    k,
    selection: settings.clustering.k === 'auto' ? 'silhouette' : 'configured',
    candidates: selection.candidates,
    fitRows: selection.fitRows,
    silhouetteRows: selection.silhouetteRows,
  };
}

/**
 * Stage 6: customer clusters from the stored model (lib/modelStore.ts). A run assigns every customer to the
 * nearest centroid of the newest model trained as of its date or earlier, so ids and names keep their meaning
 * between refits. It trains a new model, k chosen by silhouette over K_CANDIDATES (or configured) on a seeded
 * sample, when there is none, when the newest is clustering.refit.everyDays old, when the configuration or the
 * features changed, or when today's customers drift away from the model's clusters. Clusters are profiled and
 * crossed with the RFM segments.
 */
export async function clusterCustomers(input: ClusterInput): Promise<ClusterResult> {
  const { settings, stagingDir, runDate, outDir } = input;
  const { refit } = settings.clustering;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  const features = CLUSTER_FEATURES.filter((f) => !f.requires || input.loadedSources.includes(f.requires));
  const { k, seed, restarts, fitSampleSize, silhouetteSampleSize } = settings.clustering;
  const hash = configHash({ k, seed, restarts, fitSampleSize, silhouetteSampleSize, candidates: K_CANDIDATES, features });
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.viewParquet('rfm', marts('rfm'));
      await warehouse.viewParquet('customers', marts('customers'));
      for (const source of ['reviews', 'promotions', 'ga_sessions'] as const) {
        await warehouse.setVariable(`has_${source}`, input.loadedSources.includes(source), 'BOOLEAN');
      }
      await warehouse.run(`CREATE TEMP TABLE features AS ${sqlFile('models/cluster_features.sql')}`);
      const columns = await stageInputs(warehouse, features);
      const assign = (model: ClusterModel) => assignWith(model, standardizeWith(model.features, columns));

      const choice = await chooseModel<ClusteringParameters, ClusterTraining>('clustering', input, hash, refit);
      let { stored, reason } = choice;
      let drift: Drift | null = null;
      let assignment: Assignment | null = null;
      if (stored && !reason) assignment = assign(stored.parameters);
      if (assignment && choice.checkDrift) {
        drift = driftOf(stored!.parameters, assignment);
        if (drift.farShare > refit.maxFarShare) {
          reason = `${(drift.farShare * 100).toFixed(1)}% of customers lie beyond their cluster's training 95th percentile (clustering.refit.maxFarShare ${refit.maxFarShare})`;
        } else if (drift.meanDistanceIncrease > refit.maxMeanDistanceIncrease) {
          reason = `the mean distance to the centroids grew by ${(drift.meanDistanceIncrease * 100).toFixed(1)}% (clustering.refit.maxMeanDistanceIncrease ${refit.maxMeanDistanceIncrease})`;
        }
      }
      if (reason) {
        const parameters = await trainModel(warehouse, columns, features, settings, stored);
        stored = await storeNewVersion(outDir, {
          model: 'clustering',
          runDate,
          configHash: hash,
          reason,
          previous: stored,
          training: { customers: columns[0]?.length ?? 0, fitRows: parameters.fitRows, meanDistance: parameters.meanDistance },
          parameters,
        });
        assignment = assign(stored.parameters);
      }
      const model = stored!.parameters;
      const levels = await profileClusters(warehouse, assignment!.ids);
      await stageModel(warehouse, model);
      await writeSnapshotTable(warehouse, 'clusters', input);
      await writeSnapshotTable(warehouse, 'cluster_profiles', input);
      await warehouse.viewParquet('clusters', marts('clusters'));
      await writeSnapshotTable(warehouse, 'cluster_segment_crosstab', input);
      await writeSnapshotTable(warehouse, 'cluster_selection', input);

      const names = new Map(model.clusters.map((c) => [c.id, c.name]));
      return {
        k: model.k,
        selection: model.selection,
        candidates: model.candidates,
        fitRows: model.fitRows,
        silhouetteRows: model.silhouetteRows,
        inertia: assignment!.inertia,
        features: model.features,
        clusters: levels.map((level) => ({ cluster: level.cluster, clusterName: names.get(level.cluster)!, customers: level.customers })),
        model: modelUse(stored!, reason),
        drift,
      };
    }),
  );
}
