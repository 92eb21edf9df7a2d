import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Who holds a dev server's state: written to `<dbFile>.lock` by the process that started the server on it. */
export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/**
 * A `segflow server` holds the dev server's SQLite state: it runs until stopped, so a command that wants the same
 * state would wait forever. It should use that server instead (two servers on one file fail with SQLite lock
 * errors, and the second cannot take port 7233).
 */
export class DevServerBusy extends Error {
  override name = 'DevServerBusy';
  constructor(dbFile: string, holder: LockHolder) {
    super(
      `'${holder.command}' (pid ${holder.pid}, since ${holder.since}) is serving the dev server state in ` +
        `${path.dirname(dbFile)}: give this command TEMPORAL_ADDRESS=localhost:7233 to use that server, or a state ` +
        `folder of its own with SEGFLOW_STATE_DIR.`,
    );
  }
}

/** Says who holds the state, when a command starts waiting for it. */
export function waitingMessage(dbFile: string, holder: LockHolder): string {
  return (
    `Waiting for pid ${holder.pid} ('${holder.command}', since ${holder.since}) to finish with the dev server ` +
    `state in ${path.dirname(dbFile)}; Ctrl-C stops waiting. Runs that should not wait can share one ` +
    `'segflow server' (TEMPORAL_ADDRESS=localhost:7233) or use SEGFLOW_STATE_DIR.`
  );
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

const POLL_MS = 1000;
/** A lock file still unreadable after this many polls was left empty by a crash. */
const UNREADABLE_POLLS_BEFORE_STALE = 5;

/**
 * Claims the dev server state `dbFile` for this process. While another run holds it, waits for that run to
 * finish (telling `onWait` once); a lock left by a process that died is taken over; a `segflow server` holding it
 * throws DevServerBusy. Returns the release, which removes the lock.
 */
export async function claimDevServerState(dbFile: string, onWait: (holder: LockHolder) => void): Promise<() => void> {
  const lockFile = `${dbFile}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    command: ['segflow', ...process.argv.slice(2)].join(' '),
    since: new Date().toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
  };
  let waitingFor: number | null = null;
  let unreadablePolls = 0;
  for (;;) {
    try {
      writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' }); // atomic: fails when the file exists
      return () => {
        if (readHolder(lockFile)?.pid === process.pid) unlinkSync(lockFile);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockFile);
    if (holder === null) {
      // Its claimant is still writing it, or crashed between creating and writing it: stale once it stays so.
      unreadablePolls += 1;
      if (unreadablePolls > UNREADABLE_POLLS_BEFORE_STALE) {
        rmSync(lockFile, { force: true });
        unreadablePolls = 0;
        continue;
      }
    } else if (!isAlive(holder.pid)) {
      rmSync(lockFile, { force: true });
      continue;
    } else {
      if (holder.command.startsWith('segflow server')) throw new DevServerBusy(dbFile, holder);
      if (waitingFor !== holder.pid) onWait(holder);
      waitingFor = holder.pid;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
