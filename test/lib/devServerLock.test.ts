import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimDevServerState, DevServerBusy } from '../../lib/devServerLock';

const stateFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'segflow-lock-')), 'temporal.sqlite');
const holder = (pid: number, command: string) => JSON.stringify({ pid, command, since: '2026-11-23 10:00:00 UTC' });

test('a run waits for the run holding the state, says so once, and claims it when that run ends', async () => {
  const dbFile = stateFile();
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)']);
  writeFileSync(`${dbFile}.lock`, holder(other.pid!, 'segflow run --date 2024-06-30'));
  const waits: number[] = [];
  const claimed = claimDevServerState(dbFile, (h) => waits.push(h.pid));
  const started = Date.now();
  const release = await claimed;
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(waits).toEqual([other.pid]);
  expect(JSON.parse(readFileSync(`${dbFile}.lock`, 'utf8')).pid).toBe(process.pid);
  release();
  expect(existsSync(`${dbFile}.lock`)).toBe(false);
});

test('a state held by segflow server is refused at once: the command should use that server', async () => {
  const dbFile = stateFile();
  writeFileSync(`${dbFile}.lock`, holder(process.pid, 'segflow server'));
  const claim = claimDevServerState(dbFile, () => undefined);
  await expect(claim).rejects.toThrow(DevServerBusy);
  await expect(claim).rejects.toThrow(/give this command TEMPORAL_ADDRESS=localhost:7233 to use that server/);
});

test('a lock file left empty by a crash is taken as stale after a few polls, not waited on forever', async () => {
  const dbFile = stateFile();
  writeFileSync(`${dbFile}.lock`, '');
  const waits: number[] = [];
  const started = Date.now();
  const release = await claimDevServerState(dbFile, (h) => waits.push(h.pid));
  expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
  expect(waits).toEqual([]);
  expect(JSON.parse(readFileSync(`${dbFile}.lock`, 'utf8')).pid).toBe(process.pid);
  release();
}, 20_000);
