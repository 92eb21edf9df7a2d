import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { replaceAtomically } from './replaceAtomically';

/**
 * A lease marks run dates that a running backfill reads or writes, as `<out>/_leases/<holder>.json`.
 * Retention never removes a leased date. The backfill releases its lease when it ends; a lease left by a
 * terminated backfill protects its dates until someone deletes the file.
 */
export const leaseSchema = z.object({
  holder: z.string().describe('The workflow id of the backfill'),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
});
export type Lease = z.infer<typeof leaseSchema>;

const LEASES_DIR = '_leases';

function leaseFile(outDir: string, holder: string): string {
  return path.join(outDir, LEASES_DIR, `${holder.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export async function writeLease(outDir: string, lease: Lease): Promise<void> {
  await replaceAtomically(leaseFile(outDir, lease.holder), (temporary) =>
    fs.writeFile(temporary, `${JSON.stringify(lease, null, 2)}\n`),
  );
}

export async function releaseLease(outDir: string, holder: string): Promise<void> {
  await fs.rm(leaseFile(outDir, holder), { force: true });
}

/** Every lease under the root. An unreadable lease file is an error: guessing could delete a snapshot in use. */
export async function readLeases(outDir: string): Promise<Lease[]> {
  const dir = path.join(outDir, LEASES_DIR);
  const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = path.join(dir, name);
      const parsed = leaseSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      if (!parsed.success) throw new Error(`${file} is not a segflow lease (${parsed.error.issues[0]!.message}); fix or delete it`);
      return parsed.data;
    }),
  );
}
