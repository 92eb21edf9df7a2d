import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Finds the Temporal CLI that runs the local dev server. The SDK would download it on first use, which fails on
 * machines without internet, so we look for it first and build it with Go where we can:
 *   1. the path in SEGFLOW_TEMPORAL_CLI,
 *   2. `temporal` on PATH,
 *   3. ~/go/bin/temporal (and $GOBIN, $GOPATH/bin),
 *   4. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` when Go is installed,
 *   5. otherwise the SDK's own cached download.
 */

export const TEMPORAL_CLI_ENV = 'SEGFLOW_TEMPORAL_CLI';
// Later tags carry a `replace` directive in go.mod, which `go install pkg@version` refuses.
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export type TemporalCliExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

type Log = (message: string) => void;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function goBinDirs(): string[] {
  const dirs = [path.join(os.homedir(), 'go', 'bin')];
  if (process.env.GOBIN) dirs.push(process.env.GOBIN);
  if (process.env.GOPATH) dirs.push(...process.env.GOPATH.split(path.delimiter).map((p) => path.join(p, 'bin')));
  return dirs;
}

/** Where `go install` puts binaries: GOBIN, else the first GOPATH entry's bin. */
function goInstallDir(go: string): string {
  const [gobin, gopath] = execFileSync(go, ['env', 'GOBIN', 'GOPATH'], { encoding: 'utf8' }).split('\n');
  return gobin?.trim() || path.join((gopath ?? '').split(path.delimiter)[0]!.trim(), 'bin');
}

function buildWithGo(go: string, log: Log): string {
  log(
    `Building the Temporal CLI with Go (go install ${TEMPORAL_CLI_MODULE}). ` +
      'The first build takes a few minutes; later runs reuse the binary.',
  );
  const build = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], { stdio: ['ignore', 'inherit', 'inherit'] });
  const binary = path.join(goInstallDir(go), 'temporal');
  if (build.status !== 0 || !isExecutable(binary)) {
    throw new Error(
      `go install ${TEMPORAL_CLI_MODULE} failed (exit ${build.status}). ` +
        `Install the Temporal CLI yourself and set ${TEMPORAL_CLI_ENV}=/path/to/temporal, or put it on PATH.`,
    );
  }
  return binary;
}

export function findTemporalCli(log: Log = (message) => process.stderr.write(`${message}\n`)): TemporalCliExecutable {
  const explicit = process.env[TEMPORAL_CLI_ENV];
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new Error(`${TEMPORAL_CLI_ENV}=${explicit}, but that is not an executable file`);
    }
    return { type: 'existing-path', path: explicit };
  }
  const found = onPath('temporal') ?? goBinDirs().map((dir) => path.join(dir, 'temporal')).find(isExecutable);
  if (found) return { type: 'existing-path', path: found };

  const go = onPath('go');
  if (go) return { type: 'existing-path', path: buildWithGo(go, log) };

  log('No Temporal CLI found and Go is not installed: letting the Temporal SDK download the dev server.');
  return { type: 'cached-download' };
}

export function describeExecutable(executable: TemporalCliExecutable): string {
  return executable.type === 'existing-path' && existsSync(executable.path)
    ? executable.path
    : 'the Temporal SDK download cache';
}
