import { Random } from '../lib/random';

/**
 * `size` distinct row indices out of 0..n-1, drawn with a seeded partial Fisher-Yates shuffle: the same n,
 * size and seed always give the same rows. All rows, in order, when size >= n.
 */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (size >= n) return all;
  const random = new Random(seed);
  for (let i = 0; i < size; i++) {
    const j = random.integer(i, n - 1);
    const swap = all[i]!;
    all[i] = all[j]!;
    all[j] = swap;
  }
  return all.slice(0, size).sort();
}
