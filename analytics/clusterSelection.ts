import { fitKMeans, lloyd, type KMeansFit } from './kmeans';
import { selectRows, type Matrix } from './matrix';
import { sampleIndices } from './sampling';
import { silhouetteScores } from './silhouette';

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

/** What a search fits and scores: the fit sample, the rows of it that silhouettes use, and the k to try. */
export interface SelectionPlan {
  fitMatrix: Matrix;
  silhouetteRows: Int32Array;
  ks: number[];
}

export function planSelection(matrix: Matrix, options: ClusterSelectionOptions): SelectionPlan {
  const fitMatrix = selectRows(matrix, sampleIndices(matrix.rows, options.fitSampleSize, options.seed));
  const silhouetteRows = sampleIndices(fitMatrix.rows, options.silhouetteSampleSize, options.seed + 1);
  const [min, max] = options.candidates;
  const ks = options.k === 'auto' ? range(min, Math.min(max, fitMatrix.rows - 1)) : [Math.min(options.k, fitMatrix.rows)];
  return { fitMatrix, silhouetteRows, ks };
}

/** The fit of one candidate k on the plan's sample. */
export function fitCandidate(plan: SelectionPlan, k: number, options: Pick<ClusterSelectionOptions, 'restarts' | 'seed'>): KMeansFit {
  return fitKMeans(plan.fitMatrix, { k, restarts: options.restarts, seed: options.seed });
}

/**
 * Keeps the candidate fit with the highest silhouette (the smaller k on a tie), as seed 000's
 * find_optimal_clusters does, and carries it over every row.
 */
export function finishSelection(matrix: Matrix, plan: SelectionPlan, fits: KMeansFit[], seed: number): ClusterSelection {
  const silhouetteMatrix = selectRows(plan.fitMatrix, plan.silhouetteRows);
  const silhouettes = silhouetteScores(
    silhouetteMatrix,
    fits.map((fit) => ({ labels: plan.silhouetteRows.map((row) => fit.labels[row]!), k: fit.k })),
  );
  let best: { fit: KMeansFit; silhouette: number } | undefined;
  const candidates = fits.map((fit, i) => {
    const silhouette = silhouettes[i]!;
    if (!best || silhouette > best.silhouette) best = { fit, silhouette };
    return { k: fit.k, inertia: fit.inertia, silhouette };
  });
  const sampleFit = best?.fit ?? fitKMeans(plan.fitMatrix, { k: 1, restarts: 1, seed });
  // A sample's centroids are a start, not the answer: Lloyd iterations over every row finish the fit.
  const fit = plan.fitMatrix.rows === matrix.rows ? sampleFit : lloyd(matrix, sampleFit.centroids, sampleFit.k);
  return { candidates, fit, fitRows: plan.fitMatrix.rows, silhouetteRows: silhouetteMatrix.rows };
}

/**
 * Fits k-means for each candidate k on a sample and keeps the k with the highest silhouette; a fixed k skips
 * the search but still reports its silhouette. The chosen fit is then carried over every row. (The pipeline
 * runs the same steps with the fits spread over threads: lib/clusterThreads.ts.)
 */
export function selectClusters(matrix: Matrix, options: ClusterSelectionOptions): ClusterSelection {
  const plan = planSelection(matrix, options);
  return finishSelection(matrix, plan, plan.ks.map((k) => fitCandidate(plan, k, options)), options.seed);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
