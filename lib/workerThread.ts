import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from './projectRoot';

/**
 * Runs a thread entry of lib/ (e.g. 'clusterThread') on `workerData` and resolves with the one message it posts.
 * Worker threads run JavaScript: from sources (jest) the compiled entry in dist/, so build first.
 */
export function runInThread<T>(entry: string, workerData: unknown): Promise<T> {
  const file = __filename.endsWith('.ts') ? path.join(PROJECT_ROOT, 'dist', 'lib', `${entry}.js`) : path.join(__dirname, `${entry}.js`);
  if (!existsSync(file)) {
    return Promise.reject(new Error(`${file} is missing: build segflow first (npm run build)`));
  }
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(file, { workerData });
    worker.once('message', (result: T) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${entry} thread exited with code ${code}`));
    });
  });
}
