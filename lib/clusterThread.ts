/**
 * The entry point of a k-means worker thread (see clusterThreads.ts): fits candidate k on a sample, or
 * finishes a selection, and posts the result back. Matrices arrive in shared memory, so nothing is copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { finishSelection, fitCandidate, type SelectionPlan } from '../analytics/clusterSelection';
import type { KMeansFit } from '../analytics/kmeans';
import type { Matrix } from '../analytics/matrix';

export type ClusterThreadTask =
  | { task: 'fit'; plan: SelectionPlan; ks: number[]; restarts: number; seed: number }
  | { task: 'finish'; matrix: Matrix; plan: SelectionPlan; fits: KMeansFit[]; seed: number };

const work = workerData as ClusterThreadTask;
parentPort!.postMessage(
  work.task === 'fit'
    ? work.ks.map((k) => fitCandidate(work.plan, k, work))
    : finishSelection(work.matrix, work.plan, work.fits, work.seed),
);
