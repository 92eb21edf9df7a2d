import { assignToNearest } from './kmeans';
import { matrixFromColumns, type Matrix } from './matrix';
import type { Scaling } from './standardize';

/**
 * A trained customer clustering as the model store keeps it: how to standardize the features, the centroids in
 * that space, and for each cluster the id and name it keeps for the model's life and its training distances.
 */
export interface ClusterModel {
  features: { name: string; definition: string; mean: number; std: number }[];
  clusters: {
    id: number;
    name: string;
    /** In standardized units, one coordinate per feature. */
    centroid: number[];
    /** Euclidean distances of its training customers to the centroid: their mean and 95th percentile. */
    meanDistance: number;
    p95Distance: number;
  }[];
  /** Mean distance of all training customers to their centroid. */
  meanDistance: number;
}

/** The stored clustering: the model and how it was chosen. */
export interface ClusteringParameters extends ClusterModel {
  k: number;
  selection: 'silhouette' | 'configured';
  candidates: { k: number; inertia: number; silhouette: number }[];
  fitRows: number;
  silhouetteRows: number;
}

export interface Assignment {
  /** The cluster id of every row. */
  ids: Int32Array;
  /** Euclidean distance of every row to its centroid. */
  distances: Float64Array;
  /** Sum of the squared distances. */
  inertia: number;
}

/** Standardizes raw feature columns with training means and deviations (a constant feature: std 1). */
export function standardizeWith(features: ClusterModel['features'], columns: Float64Array[]): Matrix {
  return matrixFromColumns(
    columns.map((column, c) => {
      const { mean, std } = features[c]!;
      return column.map((value) => (value - mean) / (std || 1));
    }),
  );
}

/** Every row's nearest centroid of the model, as the cluster's id. */
export function assignWith(model: { clusters: { id: number; centroid: number[] }[] }, matrix: Matrix): Assignment {
  const k = model.clusters.length;
  const centroids = Float64Array.from(model.clusters.flatMap((cluster) => cluster.centroid));
  const positions = new Int32Array(matrix.rows);
  const squared = new Float64Array(matrix.rows);
  const inertia = assignToNearest(matrix, centroids, k, positions, squared);
  return { ids: positions.map((p) => model.clusters[p]!.id), distances: squared.map(Math.sqrt), inertia };
}

/** numpy's default (linear) percentile of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Mean and 95th-percentile distance of the rows of each cluster id, and over all rows. */
export function distanceProfile(assignment: Assignment): { byId: Map<number, { meanDistance: number; p95Distance: number }>; meanDistance: number } {
  const byId = new Map<number, { meanDistance: number; p95Distance: number }>();
  for (const id of new Set(assignment.ids)) {
    const distances = assignment.distances.filter((_, i) => assignment.ids[i] === id).sort();
    byId.set(id, { meanDistance: distances.reduce((s, d) => s + d, 0) / distances.length, p95Distance: percentile(distances, 0.95) });
  }
  const total = assignment.distances.reduce((s, d) => s + d, 0);
  return { byId, meanDistance: assignment.distances.length > 0 ? total / assignment.distances.length : 0 };
}

export interface Drift {
  /** Share of customers farther from their centroid than its 95th-percentile training distance (≈ 0.05 without drift). */
  farShare: number;
  /** Mean distance to the assigned centroid over the model's training mean, minus 1. */
  meanDistanceIncrease: number;
}

/** How far today's customers sit from the model's clusters compared with its training customers. */
export function driftOf(model: ClusterModel, assignment: Assignment): Drift {
  const p95 = new Map(model.clusters.map((cluster) => [cluster.id, cluster.p95Distance]));
  let [far, total] = [0, 0];
  assignment.distances.forEach((distance, i) => {
    total += distance;
    if (distance > p95.get(assignment.ids[i]!)!) far++;
  });
  const n = assignment.distances.length;
  return {
    farShare: n > 0 ? far / n : 0,
    meanDistanceIncrease: n > 0 && model.meanDistance > 0 ? total / n / model.meanDistance - 1 : 0,
  };
}

/** A previous model's centroids moved into another model's standardized space, through the raw feature values. */
export function centroidsIn(target: ClusterModel['features'], source: ClusterModel): number[][] {
  return source.clusters.map((cluster) =>
    cluster.centroid.map((value, c) => {
      const raw = value * (source.features[c]!.std || 1) + source.features[c]!.mean;
      return (raw - target[c]!.mean) / (target[c]!.std || 1);
    }),
  );
}

/**
 * The optimal one-to-one matching of new centroids to old ones: the assignment with the least total distance,
 * which is what the Hungarian algorithm finds, here by dynamic programming over subsets (k ≤ 10 keeps it to a
 * few thousand states). Returns, per new centroid, the index of its old centroid, or -1 when it has none or
 * the match is farther than `maxDistance` (the cluster did not persist).
 */
export function matchCentroids(next: number[][], previous: number[][], maxDistance: number): number[] {
  const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
  const swap = next.length > previous.length;
  const [rows, columns] = swap ? [previous, next] : [next, previous];
  // best[i][mask]: least cost of matching rows i.. given the used columns `mask`.
  const memo = new Map<string, { cost: number; choice: number }>();
  const solve = (i: number, mask: number): { cost: number; choice: number } => {
    if (i === rows.length) return { cost: 0, choice: -1 };
    const key = `${i}:${mask}`;
    const known = memo.get(key);
    if (known) return known;
    let best = { cost: Infinity, choice: -1 };
    columns.forEach((column, j) => {
      if (mask & (1 << j)) return;
      const cost = distance(rows[i]!, column) + solve(i + 1, mask | (1 << j)).cost;
      if (cost < best.cost) best = { cost, choice: j };
    });
    memo.set(key, best);
    return best;
  };
  const matchOfRow: number[] = [];
  for (let i = 0, mask = 0; i < rows.length; i++) {
    const { choice } = solve(i, mask);
    matchOfRow.push(choice);
    mask |= 1 << choice;
  }
  const match = new Array<number>(next.length).fill(-1);
  matchOfRow.forEach((j, i) => {
    const [n, p] = swap ? [j, i] : [i, j];
    if (distance(next[n]!, previous[p]!) <= maxDistance) match[n] = p;
  });
  return match;
}

/** A model's feature list with its scalings, as the cluster stage standardized them. */
export function modelFeatures(features: { name: string; definition: string }[], scalings: Scaling[]): ClusterModel['features'] {
  return features.map(({ name, definition }, i) => ({ name, definition, mean: scalings[i]!.mean, std: scalings[i]!.std }));
}
