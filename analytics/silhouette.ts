import { squaredDistance, type Matrix } from './matrix';

/**
 * Mean silhouette coefficient with Euclidean distances, as scikit-learn's silhouette_score: for each row, a is
 * the mean distance to the other rows of its cluster, b the smallest mean distance to another cluster's rows,
 * and s = (b - a) / max(a, b); a row alone in its cluster scores 0. O(rows² · cols): pass a sample when large.
 */
export function silhouetteScore({ rows, cols, data }: Matrix, labels: Int32Array, k: number): number {
  if (rows < 2) return 0;
  const sizes = new Float64Array(k);
  for (const label of labels) sizes[label]++;
  // distanceSums[r * k + c]: total distance from row r to the rows of cluster c; each pair is computed once.
  const distanceSums = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const labelI = labels[i]!;
    for (let j = i + 1; j < rows; j++) {
      const distance = Math.sqrt(squaredDistance(data, i, data, j, cols));
      distanceSums[i * k + labels[j]!] += distance;
      distanceSums[j * k + labelI] += distance;
    }
  }
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
