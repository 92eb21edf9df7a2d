import { fitKMeans, lloyd, type KMeansFit } from './kmeans';
import { selectRows, type Matrix } from './matrix';
import { sampleIndices } from './sampling';
import { silhouetteScore } from './silhouette';

export interface ClusterSelectionOptions {
  /** A fixed k, or 'auto' to choose the k in `candidates` with the best silhouette. */
  k: number | 'auto';
  candidates: readonly [min: number, max: number];
  restarts: number;
  seed: number;
  /** Fits run on at most this many rows (a seeded sample); every row is then assigned to the nearest centroid. */
  fitSampleSize: number;
  /** Silhouettes are computed on at most this many of the fitted rows (scikit-learn's sample_size). */
  silhouetteSampleSize: number;
}

export interface Candidate {
  k: number;
  /** Within-cluster sum of squares of the fit, on the rows it was fitted on (the elbow curve). */
  inertia: number;
  silhouette: number;
}

export interface ClusterSelection {
  candidates: Candidate[];
  /** The chosen k's fit over every row: labels and inertia of all rows. */
  fit: KMeansFit;
  fitRows: number;
  silhouetteRows: number;
}

/**
 * Fits k-means for each candidate k on a sample and keeps the k with the highest silhouette (the smaller k on a
 * tie), as seed 000's find_optimal_clusters does; a fixed k skips the search but still reports its silhouette.
 * The chosen fit is then carried over every row.
 */
export function selectClusters(matrix: Matrix, options: ClusterSelectionOptions): ClusterSelection {
  const fitMatrix = selectRows(matrix, sampleIndices(matrix.rows, options.fitSampleSize, options.seed));
  const silhouetteRows = sampleIndices(fitMatrix.rows, options.silhouetteSampleSize, options.seed + 1);
  const silhouetteMatrix = selectRows(fitMatrix, silhouetteRows);
  const [min, max] = options.candidates;
  const ks = options.k === 'auto' ? range(min, Math.min(max, fitMatrix.rows - 1)) : [Math.min(options.k, fitMatrix.rows)];

  let best: { fit: KMeansFit; silhouette: number } | undefined;
  const candidates: Candidate[] = [];
  for (const k of ks) {
    const fit = fitKMeans(fitMatrix, { k, restarts: options.restarts, seed: options.seed });
    const silhouette = silhouetteScore(silhouetteMatrix, silhouetteRows.map((row) => fit.labels[row]!), fit.k);
    candidates.push({ k: fit.k, inertia: fit.inertia, silhouette });
    if (!best || silhouette > best.silhouette) best = { fit, silhouette };
  }
  const sampleFit = best?.fit ?? fitKMeans(fitMatrix, { k: 1, restarts: 1, seed: options.seed });
  // A sample's centroids are a start, not the answer: Lloyd iterations over every row finish the fit.
  const fit = fitMatrix.rows === matrix.rows ? sampleFit : lloyd(matrix, sampleFit.centroids, sampleFit.k);
  return { candidates, fit, fitRows: fitMatrix.rows, silhouetteRows: silhouetteMatrix.rows };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
