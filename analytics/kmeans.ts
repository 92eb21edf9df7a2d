import { kmeans } from 'ml-kmeans';

export interface KMeansOptions {
  k: number;
  /** Fits from different k-means++ starts; the one with the lowest inertia wins (scikit-learn's n_init). */
  restarts: number;
  seed: number;
  maxIterations?: number;
}

export interface KMeansFit {
  /** Cluster index of every point, 0..k-1. */
  labels: Int32Array;
  centroids: number[][];
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
}

function inertiaOf(points: number[][], labels: ArrayLike<number>, centroids: number[][]): number {
  let total = 0;
  points.forEach((point, i) => {
    const centroid = centroids[labels[i]!]!;
    for (let d = 0; d < point.length; d++) total += (point[d]! - centroid[d]!) ** 2;
  });
  return total;
}

/** k-means with k-means++ starts, deterministic for a seed. Points are rows of standardized features. */
export function fitKMeans(points: number[][], options: KMeansOptions): KMeansFit {
  const k = Math.min(options.k, points.length);
  if (k <= 1) {
    const centroid = points[0] ? points[0].map((_, d) => points.reduce((s, p) => s + p[d]!, 0) / points.length) : [];
    const labels = new Int32Array(points.length);
    return { labels, centroids: [centroid], inertia: inertiaOf(points, labels, [centroid]) };
  }
  let best: KMeansFit | undefined;
  for (let restart = 0; restart < options.restarts; restart++) {
    const result = kmeans(points, k, {
      initialization: 'kmeans++',
      seed: options.seed + restart,
      maxIterations: options.maxIterations ?? 300,
    });
    const inertia = inertiaOf(points, result.clusters, result.centroids);
    if (!best || inertia < best.inertia) {
      best = { labels: Int32Array.from(result.clusters), centroids: result.centroids, inertia };
    }
  }
  return best!;
}
