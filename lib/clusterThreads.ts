import { planSelection, type ClusterSelection, type ClusterSelectionOptions, type SelectionPlan } from '../analytics/clusterSelection';
import type { KMeansFit } from '../analytics/kmeans';
import type { Matrix } from '../analytics/matrix';
import type { ClusterThreadTask } from './clusterThread';
import { runInThread } from './workerThread';

function inThread<T>(task: ClusterThreadTask): Promise<T> {
  return runInThread<T>('clusterThread', task);
}

/** The matrix in shared memory, so that every thread reads it without a copy. */
function shared(matrix: Matrix): Matrix {
  const data = new Float64Array(new SharedArrayBuffer(matrix.data.byteLength));
  data.set(matrix.data);
  return { ...matrix, data };
}

/** The candidate k dealt to `threads` groups, largest first, so that each thread gets a similar load. */
function dealCandidates(ks: number[], threads: number): number[][] {
  const groups: number[][] = Array.from({ length: Math.max(1, Math.min(threads, ks.length)) }, () => []);
  [...ks].sort((a, b) => b - a).forEach((k, i) => groups[i % groups.length]!.push(k));
  return groups;
}

/**
 * analytics/clusterSelection's selectClusters, off the event loop (heartbeats keep flowing) and with the
 * candidate fits spread over `threads` worker threads. Each fit is seeded on its own, so the result is the
 * one selectClusters gives, whatever the number of threads.
 */
export async function selectClustersInThreads(matrix: Matrix, options: ClusterSelectionOptions, threads: number): Promise<ClusterSelection> {
  const sampled = planSelection(matrix, options);
  const plan: SelectionPlan = { ...sampled, fitMatrix: shared(sampled.fitMatrix) };
  const { restarts, seed } = options;
  const groups = dealCandidates(plan.ks, threads);
  const fitGroups = await Promise.all(groups.map((ks) => inThread<KMeansFit[]>({ task: 'fit', plan, ks, restarts, seed })));
  const fitsByK = new Map(groups.flatMap((ks, group) => ks.map((k, i) => [k, fitGroups[group]![i]!] as const)));
  const fits = plan.ks.map((k) => fitsByK.get(k)!);
  return inThread<ClusterSelection>({ task: 'finish', matrix: shared(matrix), plan, fits, seed });
}
