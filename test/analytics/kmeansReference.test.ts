import { readFileSync } from 'node:fs';
import path from 'node:path';
import { selectClusters } from '../../analytics/clusterSelection';
import { assignToNearest, fitKMeans } from '../../analytics/kmeans';
import { matrixFromRows, type Matrix } from '../../analytics/matrix';
import { silhouetteScore } from '../../analytics/silhouette';

/**
 * k-means and silhouette against scikit-learn: test/fixtures/reference/kmeans_reference.json holds standardized
 * matrices with KMeans(n_init=10, random_state=42) inertia, labels and silhouette_score for k = 2..10.
 */
interface Reference {
  matrix: number[][];
  fits: { k: number; inertia: number; silhouette: number; labels: number[] }[];
}
const { cases } = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'fixtures', 'reference', 'kmeans_reference.json'), 'utf8'),
) as { cases: Record<string, Reference> };
const matrices: Record<string, Matrix> = Object.fromEntries(
  Object.entries(cases).map(([name, reference]) => [name, matrixFromRows(reference.matrix)]),
);
const fitsOf = (name: string) => cases[name]!.fits.map((fit) => [name, fit.k, fit] as const);
const allFits = Object.keys(cases).flatMap(fitsOf);

test.each(allFits)('%s, k = %i: inertia within 1% of scikit-learn KMeans(n_init=10)', (name, k, reference) => {
  const fit = fitKMeans(matrices[name]!, { k, restarts: 10, seed: 42 });
  expect(fit.k).toBe(k);
  expect(new Set(fit.labels).size).toBe(k);
  expect(fit.inertia).toBeLessThanOrEqual(reference.inertia * 1.01);
  // The reported inertia is the one of the labels and centroids returned.
  expect(assignToNearest(matrices[name]!, fit.centroids, k, new Int32Array(fit.labels.length))).toBeCloseTo(fit.inertia, 6);
});

test.each(allFits)('%s, k = %i: silhouette of scikit-learn labels equals silhouette_score', (name, k, reference) => {
  const score = silhouetteScore(matrices[name]!, Int32Array.from(reference.labels), k);
  expect(score).toBeCloseTo(reference.silhouette, 10);
});

test('the silhouette search picks the k scikit-learn picks where the structure is clear', () => {
  const reference = cases.blobs!.fits;
  const best = reference.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  const selection = selectClusters(matrices.blobs!, {
    k: 'auto',
    candidates: [2, 10],
    restarts: 10,
    seed: 42,
    fitSampleSize: 50_000,
    silhouetteSampleSize: 5_000,
  });
  expect(best.k).toBe(4);
  expect(selection.fit.k).toBe(4);
  expect(selection.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  selection.candidates.forEach((candidate, i) => {
    expect(candidate.inertia).toBeLessThanOrEqual(reference[i]!.inertia * 1.01);
  });
});

test('fitting on a sample and finishing over every row stays near a full fit, and is reproducible', () => {
  const matrix = matrices.rfm_like!;
  const options = { k: 5, candidates: [2, 10] as const, restarts: 10, seed: 42, fitSampleSize: 400, silhouetteSampleSize: 200 };
  const selection = selectClusters(matrix, options);
  expect(selection.fitRows).toBe(400);
  expect(selection.silhouetteRows).toBe(200);
  expect(selection.fit.labels).toHaveLength(matrix.rows);
  const full = cases.rfm_like!.fits.find((fit) => fit.k === 5)!;
  // Half the rows are a harsh sample; the benchmark measures the gap at a million customers.
  expect(selection.fit.inertia).toBeLessThanOrEqual(full.inertia * 1.03);
  const again = selectClusters(matrix, options);
  expect(Array.from(again.fit.centroids)).toEqual(Array.from(selection.fit.centroids));
  expect(again.candidates).toEqual(selection.candidates);
});

test('a fixed k skips the search and a tiny population falls back to one cluster', () => {
  const fixed = selectClusters(matrices.blobs!, {
    k: 3, candidates: [2, 10], restarts: 10, seed: 42, fitSampleSize: 50_000, silhouetteSampleSize: 5_000,
  });
  expect(fixed.candidates.map((c) => c.k)).toEqual([3]);
  const two = matrixFromRows([[0, 1], [1, 0]]);
  const tiny = selectClusters(two, { k: 'auto', candidates: [2, 10], restarts: 10, seed: 42, fitSampleSize: 50_000, silhouetteSampleSize: 5_000 });
  expect(tiny.candidates).toEqual([]);
  expect(tiny.fit.k).toBe(1);
});
