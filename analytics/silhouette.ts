import { squaredDistance, type Matrix } from './matrix';

/** A clustering of a matrix's rows: every row's cluster, 0..k-1. */
export interface Labeling {
  labels: Int32Array;
  k: number;
}

/**
 * Mean silhouette coefficient with Euclidean distances, as scikit-learn's silhouette_score: for each row, a is
 * the mean distance to the other rows of its cluster, b the smallest mean distance to another cluster's rows,
 * and s = (b - a) / max(a, b); a row alone in its cluster scores 0. O(rows² · cols): pass a sample when large.
 */
export function silhouetteScore(matrix: Matrix, labels: Int32Array, k: number): number {
  return silhouetteScores(matrix, [{ labels, k }])[0]!;
}

/**
 * The silhouette of several clusterings of the same rows (the candidate k of a search), computing each pair's
 * distance once for all of them; each score equals silhouetteScore's for its clustering.
 */
export function silhouetteScores({ rows, cols, data }: Matrix, labelings: Labeling[]): number[] {
  if (rows < 2) return labelings.map(() => 0);
  // distanceSums[n][r * k + c]: total distance from row r to the rows of cluster c under clustering n.
  const distanceSums = labelings.map(({ k }) => new Float64Array(rows * k));
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      const distance = Math.sqrt(squaredDistance(data, i, data, j, cols));
      for (let n = 0; n < labelings.length; n++) {
        const { labels, k } = labelings[n]!;
        const sums = distanceSums[n]!;
        sums[i * k + labels[j]!] += distance;
        sums[j * k + labels[i]!] += distance;
      }
    }
  }
  return labelings.map(({ labels, k }, n) => meanSilhouette(labels, k, distanceSums[n]!));
}

function meanSilhouette(labels: Int32Array, k: number, distanceSums: Float64Array): number {
  const rows = labels.length;
  const sizes = new Float64Array(k);
  for (const label of labels) sizes[label]++;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = distanceSums[i * k + own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own && sizes[c]! > 0) b = Math.min(b, distanceSums[i * k + c]! / sizes[c]!);
    }
    const larger = Math.max(a, b);
    if (b === Infinity || larger === 0) continue; // scikit-learn turns the 0 / 0 of identical rows into 0
    total += (b - a) / larger;
  }
  return total / rows;
}
