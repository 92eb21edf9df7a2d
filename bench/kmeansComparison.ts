import { kmeans as mlKMeans } from 'ml-kmeans';
import { fitKMeans } from '../analytics/kmeans';
import type { Matrix } from '../analytics/matrix';
import { Random } from '../lib/random';

export interface KMeansComparison {
  rows: number;
  segflowSeconds: number;
  mlKMeansSeconds: number;
}

/** Three skewed, RFM-like features around six centres, seeded. */
function rfmLikeMatrix(rows: number): Matrix {
  const random = new Random(7);
  const data = new Float64Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const centre = r % 6;
    for (let c = 0; c < 3; c++) data[r * 3 + c] = centre * (c + 1) * 0.4 - Math.log(1 - random.next());
  }
  return { rows, cols: 3, data };
}

function seconds(work: () => unknown): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * One k-means fit (k = 6, one k-means++ start) by segflow's typed-array k-means and by ml-kmeans, the library
 * first chosen, on the same rows: why the pipeline's hot path is not ml-kmeans (it takes arrays of arrays).
 */
export function compareKMeans(rows = 50_000): KMeansComparison {
  const matrix = rfmLikeMatrix(rows);
  const arrays = Array.from({ length: rows }, (_, r) => Array.from(matrix.data.subarray(r * 3, r * 3 + 3)));
  return {
    rows,
    segflowSeconds: seconds(() => fitKMeans(matrix, { k: 6, restarts: 1, seed: 42 })),
    mlKMeansSeconds: seconds(() => mlKMeans(arrays, 6, { initialization: 'kmeans++', seed: 42, maxIterations: 300 })),
  };
}
