import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Who holds a dev server's state: written to `<dbFile>.lock` by the process that started the server on it. */
interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/**
 * A dev server's SQLite state is already in use by a live process. Two servers on one file fail with SQLite
 * lock errors (and the second cannot take port 7233), so the second command stops before starting its own.
 */
export class DevServerBusy extends Error {
  override name = 'DevServerBusy';
  constructor(dbFile: string, holder: LockHolder) {
    super(
      `another segflow process is using the dev server state in ${path.dirname(dbFile)} (pid ${holder.pid}, ` +
        `'${holder.command}', since ${holder.since}). Wait for it to finish; or run 'segflow server' in another ` +
        `terminal and give each run TEMPORAL_ADDRESS=localhost:7233 so they share it; or give this run a state ` +
        `folder of its own with SEGFLOW_STATE_DIR.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
  } catch {
    return null; // gone meanwhile, or a half-written file: the claim is retried
  }
}

/**
 * Claims the dev server state `dbFile` for this process, or throws DevServerBusy naming the live holder. A lock
 * left by a process that died (killed, crashed) is taken over. Returns the release, which removes the lock.
 */
export function claimDevServerState(dbFile: string): () => void {
  const lockFile = `${dbFile}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    command: ['segflow', ...process.argv.slice(2)].join(' '),
    since: new Date().toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' }); // atomic: fails when the file exists
      return () => {
        if (readHolder(lockFile)?.pid === process.pid) unlinkSync(lockFile);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockFile);
    if (holder && isAlive(holder.pid)) throw new DevServerBusy(dbFile, holder);
    if (holder) unlinkSync(lockFile);
  }
  throw new Error(`could not claim ${lockFile}: it keeps changing; remove it if no segflow command is running`);
}
