import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/projectRoot';

/** A segflow worker in a process of its own, so that its memory is measured apart from the benchmark's. */
export interface WorkerProcess {
  /** The process's peak resident memory so far, in bytes (Linux /proc VmHWM); null where /proc is missing. */
  peakRss(): number | null;
  stop(): Promise<void>;
}

export async function startWorkerProcess(address: string, taskQueue: string): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'worker.js')], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The worker's own log would drown the figures; it is shown if the worker fails to start.
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('polling task queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the benchmark's worker exited with code ${code} before polling:\n${log}`)));
  });
  return {
    peakRss() {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
        return line ? Number(line.replace(/\D/g, '')) * 1024 : null;
      } catch {
        return null;
      }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
