import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A run's staging folder holds each stage's Parquet files as `<staging>/<stage>/<name>.parquet`.
 * Activities hand each other these paths, never the rows.
 */
export function stagingFile(stagingDir: string, stage: string, name: string): string {
  return path.join(stagingDir, stage, `${name}.parquet`);
}

/** Removes a run's staging folder once its snapshot is published. */
export async function discardStaging({ stagingDir }: { stagingDir: string }): Promise<void> {
  await fs.rm(stagingDir, { recursive: true, force: true });
}
