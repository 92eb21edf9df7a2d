import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './projectRoot';

/**
 * A segflow worker (dist/worker.js) in a process of its own: the benchmark measures its memory apart from the
 * benchmark's, and the chaos test kills it as a crash would.
 */
export interface WorkerProcess {
  /** The process's peak resident memory so far, in bytes (Linux /proc VmHWM); null where /proc is missing. */
  peakRss(): number | null;
  /** Resolves once the worker has printed `text` (at any time since it started). */
  printed(text: string): Promise<void>;
  /** SIGTERM: the worker finishes its tasks and exits. */
  stop(): Promise<void>;
  /** SIGKILL: the worker dies mid-task, as on a lost machine or the out-of-memory killer. */
  kill(): Promise<void>;
}

export interface WorkerProcessOptions {
  /** Node options before the worker script, such as `--require` of a module that must load first. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export async function startWorkerProcess(address: string, taskQueue: string, options: WorkerProcessOptions = {}): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(PROJECT_ROOT, 'dist', 'worker.js')], {
    env: { ...process.env, ...options.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The worker's own log would drown its caller's output; it is shown if the worker fails to start.
  let log = '';
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stderr!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
  child.stdout!.on('data', (chunk: Buffer) => void (stdout = (stdout + chunk.toString()).slice(-20_000)));

  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stdout.includes(text)) return resolve();
      const onData = () => {
        if (!stdout.includes(text)) return;
        child.stdout!.off('data', onData);
        resolve();
      };
      child.stdout!.on('data', onData);
      void exited.then((code) => reject(new Error(`the worker exited with code ${code} before printing '${text}':\n${log}`)));
    });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  await printed('polling task queue');
  return {
    peakRss() {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
        return line ? Number(line.replace(/\D/g, '')) * 1024 : null;
      } catch {
        return null;
      }
    },
    printed,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
