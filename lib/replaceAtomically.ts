import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file through a temporary file in the same folder and a rename: a reader (or a retried activity)
 * finds the old file or the new one, never half of one.
 */
export async function replaceAtomically(destination: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(destination), { recursive: true });
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.tmp`);
  await write(temporary);
  await fs.rename(temporary, destination);
}
