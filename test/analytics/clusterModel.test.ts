import { centroidsIn, driftOf, matchCentroids, type ClusterModel } from '../../analytics/clusterModel';

test('matching finds the least total distance, not the greedy nearest pair', () => {
  // Greedy would give new 0 to old 0 (distance 1) and leave new 1 with old 1 (distance 10); the optimum crosses.
  const previous = [[0], [10]];
  const next = [[1], [-1.5]];
  expect(matchCentroids(next, previous, 100)).toEqual([1, 0]);
  expect(matchCentroids([[0], [10]], [[0.2], [9.9]], 1)).toEqual([0, 1]);
});

test('more new clusters than old leaves the extra without a match; a match beyond maxDistance is no match', () => {
  expect(matchCentroids([[0], [5], [10]], [[9.5], [0.5]], 1)).toEqual([1, -1, 0]);
  expect(matchCentroids([[0], [5]], [[0.5], [9]], 1)).toEqual([0, -1]);
  expect(matchCentroids([[0]], [[3], [0.2]], 1)).toEqual([1]);
});

const model: ClusterModel = {
  features: [{ name: 'x', definition: 'x', mean: 10, std: 2 }],
  clusters: [
    { id: 4, name: 'A', centroid: [0], meanDistance: 1, p95Distance: 2 },
    { id: 7, name: 'B', centroid: [5], meanDistance: 1, p95Distance: 1 },
  ],
  meanDistance: 1,
};

test("drift counts customers beyond their cluster's training 95th percentile and the rise of the mean distance", () => {
  const drift = driftOf(model, { ids: Int32Array.from([4, 4, 7, 7]), distances: Float64Array.from([1, 3, 0.5, 1.5]), inertia: 0 });
  expect(drift.farShare).toBe(0.5); // 3 > 2 in cluster 4, 1.5 > 1 in cluster 7
  expect(drift.meanDistanceIncrease).toBeCloseTo(0.5, 12); // mean 1.5 against 1
});

test("an old model's centroids move into a new scaling through the raw values", () => {
  const rescaled = [{ name: 'x', definition: 'x', mean: 12, std: 4 }];
  // Raw values 10 and 20 become (10 - 12) / 4 and (20 - 12) / 4.
  expect(centroidsIn(rescaled, model)).toEqual([[-0.5], [2]]);
});
