import { Random } from '../lib/random';
import { squaredDistance, type Matrix } from './matrix';

export interface KMeansOptions {
  k: number;
  /** Fits from different k-means++ starts; the lowest inertia wins (scikit-learn's n_init). */
  restarts: number;
  seed: number;
  maxIterations?: number;
}

export interface KMeansFit {
  k: number;
  /** Cluster of every row, 0..k-1. */
  labels: Int32Array;
  /** k rows of centroid coordinates, row-major like the data. */
  centroids: Float64Array;
  /** Sum of squared distances of the rows to their centroid. */
  inertia: number;
  iterations: number;
}

/** scikit-learn's tolerance: 1e-4 of the mean feature variance bounds the centroids' total squared shift. */
function toleranceOf({ rows, cols, data }: Matrix): number {
  if (rows === 0) return 0;
  let totalVariance = 0;
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const value = data[r * cols + c]!;
      sum += value;
      squares += value * value;
    }
    const mean = sum / rows;
    totalVariance += squares / rows - mean * mean;
  }
  return (1e-4 * totalVariance) / cols;
}

/**
 * Greedy k-means++ as scikit-learn does it: each new centre is the best of 2 + ln(k) candidates drawn with
 * probability proportional to the squared distance to the nearest centre so far.
 */
function kmeansPlusPlus(matrix: Matrix, k: number, random: Random): Float64Array {
  const { rows, cols, data } = matrix;
  const centroids = new Float64Array(k * cols);
  const first = random.integer(0, rows - 1);
  centroids.set(data.subarray(first * cols, first * cols + cols), 0);
  const closest = new Float64Array(rows);
  let potential = 0;
  for (let r = 0; r < rows; r++) potential += closest[r] = squaredDistance(data, r, centroids, 0, cols);
  const trials = 2 + Math.floor(Math.log(k));
  const cumulative = new Float64Array(rows);
  const candidateDistances = new Float64Array(rows);
  const bestDistances = new Float64Array(rows);

  for (let centre = 1; centre < k; centre++) {
    let running = 0;
    for (let r = 0; r < rows; r++) cumulative[r] = running += closest[r]!;
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let trial = 0; trial < trials; trial++) {
      const candidate = Math.min(rows - 1, searchSorted(cumulative, random.next() * potential));
      let candidatePotential = 0;
      for (let r = 0; r < rows; r++) {
        const distance = Math.min(closest[r]!, squaredDistance(data, r, data, candidate, cols));
        candidateDistances[r] = distance;
        candidatePotential += distance;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances.set(candidateDistances);
      }
    }
    centroids.set(data.subarray(bestCandidate * cols, bestCandidate * cols + cols), centre * cols);
    closest.set(bestDistances);
    potential = bestPotential;
  }
  return centroids;
}

/** The first index whose cumulative value reaches `value` (numpy's searchsorted, side 'left'). */
function searchSorted(cumulative: Float64Array, value: number): number {
  let low = 0;
  let high = cumulative.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Each row's nearest centroid, written into `labels` and `distances`; returns the inertia. */
export function assignToNearest(
  matrix: Matrix,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  distances = new Float64Array(matrix.rows),
): number {
  const { rows, cols, data } = matrix;
  let inertia = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      const distance = squaredDistance(data, r, centroids, c, cols);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    labels[r] = best;
    distances[r] = bestDistance;
    inertia += bestDistance;
  }
  return inertia;
}

/** The mean of every cluster's rows; an emptied cluster takes the row farthest from its centroid. */
function updateCentroids(matrix: Matrix, labels: Int32Array, centroids: Float64Array, k: number): Float64Array {
  const { rows, cols, data } = matrix;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    counts[label]++;
    for (let c = 0; c < cols; c++) sums[label * cols + c] += data[r * cols + c]!;
  }
  let distances: Float64Array | undefined;
  for (let cluster = 0; cluster < k; cluster++) {
    if (counts[cluster] === 0) {
      if (!distances) distances = Float64Array.from(labels, (label, r) => squaredDistance(data, r, centroids, label, cols));
      let farthest = 0;
      for (let r = 1; r < rows; r++) if (distances[r]! > distances[farthest]!) farthest = r;
      distances[farthest] = 0;
      sums.set(data.subarray(farthest * cols, farthest * cols + cols), cluster * cols);
      counts[cluster] = 1;
    } else {
      for (let c = 0; c < cols; c++) sums[cluster * cols + c]! /= counts[cluster]!;
    }
  }
  return sums;
}

/**
 * Bounds that let most rows skip the scan over every centroid (Hamerly 2010): `upper[r]` is at least the
 * distance to the row's centroid, `lower[r]` at most the distance to any other. They only move by how far
 * the centroids moved, so a row whose upper bound stays below its lower bound keeps its cluster unexamined.
 */
class HamerlyBounds {
  readonly upper: Float64Array;
  readonly lower: Float64Array;

  constructor(rows: number) {
    this.upper = new Float64Array(rows);
    this.lower = new Float64Array(rows);
  }

  /** Scans every centroid for row r, as plain Lloyd would; returns the nearest and resets the row's bounds. */
  scan({ cols, data }: Matrix, r: number, centroids: Float64Array, k: number): number {
    let best = 0;
    let bestDistance = Infinity;
    let secondDistance = Infinity;
    for (let c = 0; c < k; c++) {
      const distance = squaredDistance(data, r, centroids, c, cols);
      if (distance < bestDistance) {
        secondDistance = bestDistance;
        bestDistance = distance;
        best = c;
      } else if (distance < secondDistance) {
        secondDistance = distance;
      }
    }
    this.upper[r] = Math.sqrt(bestDistance);
    this.lower[r] = Math.sqrt(secondDistance);
    return best;
  }

  /** Loosens every row's bounds by how far its own and the farthest-moving other centroid moved. */
  loosen(labels: Int32Array, moved: Float64Array): void {
    let largest = -1;
    let farthest = 0;
    let secondLargest = 0;
    moved.forEach((distance, c) => {
      if (distance > farthest) {
        secondLargest = farthest;
        farthest = distance;
        largest = c;
      } else if (distance > secondLargest) {
        secondLargest = distance;
      }
    });
    for (let r = 0; r < labels.length; r++) {
      const label = labels[r]!;
      this.upper[r] += moved[label]!;
      this.lower[r] -= label === largest ? secondLargest : farthest;
    }
  }
}

/** Half the distance from each centroid to its nearest other centroid: a row closer than that stays. */
function halfGaps(centroids: Float64Array, k: number, cols: number): Float64Array {
  const gaps = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const half = Math.sqrt(squaredDistance(centroids, a, centroids, b, cols)) / 2;
      if (half < gaps[a]!) gaps[a] = half;
      if (half < gaps[b]!) gaps[b] = half;
    }
  }
  return gaps;
}

/**
 * Lloyd iterations from the given centroids until no row changes cluster, the centroids' total squared shift is
 * within scikit-learn's tolerance, or maxIterations. Rows are assigned as plain Lloyd assigns them; Hamerly's
 * bounds only spare the distance computations that cannot change a row's cluster.
 */
export function lloyd(matrix: Matrix, start: Float64Array, k: number, maxIterations = 300, tolerance = toleranceOf(matrix)): KMeansFit {
  const { rows, cols, data } = matrix;
  let centroids = start;
  const labels = new Int32Array(rows);
  const bounds = new HamerlyBounds(rows);
  for (let r = 0; r < rows; r++) labels[r] = bounds.scan(matrix, r, centroids, k);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const updated = updateCentroids(matrix, labels, centroids, k);
    const moved = new Float64Array(k);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const squared = squaredDistance(updated, c, centroids, c, cols);
      shift += squared;
      moved[c] = Math.sqrt(squared);
    }
    centroids = updated;
    bounds.loosen(labels, moved);
    const gaps = halfGaps(centroids, k, cols);
    let changed = 0;
    for (let r = 0; r < rows; r++) {
      const label = labels[r]!;
      const threshold = Math.max(gaps[label]!, bounds.lower[r]!);
      if (bounds.upper[r]! <= threshold) continue;
      bounds.upper[r] = Math.sqrt(squaredDistance(data, r, centroids, label, cols));
      if (bounds.upper[r]! <= threshold) continue;
      const nearest = bounds.scan(matrix, r, centroids, k);
      if (nearest !== label) {
        labels[r] = nearest;
        changed++;
      }
    }
    if (shift <= tolerance || changed === 0) break;
  }
  let inertia = 0;
  for (let r = 0; r < rows; r++) inertia += squaredDistance(data, r, centroids, labels[r]!, cols);
  return { k, labels, centroids, inertia, iterations };
}

/** k-means with greedy k-means++ starts and Lloyd iterations, deterministic for a seed. */
export function fitKMeans(matrix: Matrix, options: KMeansOptions): KMeansFit {
  if (matrix.rows === 0) return { k: 0, labels: new Int32Array(0), centroids: new Float64Array(0), inertia: 0, iterations: 0 };
  const k = Math.max(1, Math.min(options.k, matrix.rows));
  const random = new Random(options.seed);
  const tolerance = toleranceOf(matrix);
  let best: KMeansFit | undefined;
  for (let restart = 0; restart < options.restarts; restart++) {
    const fit = lloyd(matrix, kmeansPlusPlus(matrix, k, random), k, options.maxIterations ?? 300, tolerance);
    if (!best || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}
