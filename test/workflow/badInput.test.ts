import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { settingsForDataDir } from '../../lib/config';
import { innermostCause } from '../../lib/innermostCause';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import type { SegmentationRunResult } from '../../schemas/run';
import { readParquet } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The corpus of defective inputs (test/fixtures/bad-input): each case is the small, clean data set in _base
 * with the files of the case's folder put over it, and a case.json saying what must happen: the run fails
 * with a message naming the problem, or it publishes with exactly the listed quarantine rows (line, reason,
 * severity) and the listed row counts, every source balancing rows in = kept + quarantined + after.
 */
const CORPUS = path.join(__dirname, '..', 'fixtures', 'bad-input');
const RUN_DATE = '2024-06-30';

interface BadInputCase {
  description: string;
  outcome: 'published' | 'failed';
  remove?: string[];
  quarantine?: [rowRef: string, reason: string, severity: 'error' | 'warning'][];
  /** Row reference -> a fragment its quarantine detail must hold. */
  details?: Record<string, string>;
  kept?: Record<string, number>;
  statuses?: Record<string, 'loaded' | 'missing' | 'empty'>;
  messageContains?: string[];
}

const CASES = readdirSync(CORPUS).filter((name) => !name.startsWith('_')).sort();

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-bad-input-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

/** The base data with the case's files over it, in a folder of its own. */
async function caseData(name: string, spec: BadInputCase): Promise<string> {
  const dataDir = path.join(scratch, name, 'data');
  await fs.cp(path.join(CORPUS, '_base'), dataDir, { recursive: true });
  for (const file of readdirSync(path.join(CORPUS, name)).filter((f) => f !== 'case.json')) {
    await fs.copyFile(path.join(CORPUS, name, file), path.join(dataDir, file));
  }
  for (const file of spec.remove ?? []) await fs.rm(path.join(dataDir, file));
  return dataDir;
}

test('the corpus holds the cases the suite runs', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
});

test.each(CASES)('%s', async (name) => {
  const spec = JSON.parse(readFileSync(path.join(CORPUS, name, 'case.json'), 'utf8')) as BadInputCase;
  const dataDir = await caseData(name, spec);
  const outDir = path.join(scratch, name, 'out');
  let result: SegmentationRunResult | undefined;
  let message = '';
  try {
    result = await temporal.run({ runDate: RUN_DATE, outDir, settings: settingsForDataDir(dataDir) });
  } catch (error) {
    message = innermostCause(error as Error).message;
  }

  if (spec.outcome === 'failed') {
    expect(result).toBeUndefined();
    for (const fragment of spec.messageContains ?? []) expect(message).toContain(fragment);
    expect(existsSync(manifestPath(outDir, RUN_DATE))).toBe(false);
    return;
  }
  expect(message).toBe('');
  for (const source of result!.sources) expect(source.rowsIn).toBe(source.rowsKept + source.rowsQuarantined + source.rowsAfterRunDate);
  for (const [source, rows] of Object.entries(spec.kept ?? {})) {
    expect([source, result!.sources.find((s) => s.source === source)!.rowsKept]).toEqual([source, rows]);
  }
  for (const [source, status] of Object.entries(spec.statuses ?? {})) {
    expect([source, result!.sources.find((s) => s.source === source)!.status]).toEqual([source, status]);
  }
  const quarantine = await readParquet(path.join(partitionDir(outDir, 'quarantine', RUN_DATE), PART_FILE), 'source, line');
  expect(quarantine.map((q) => [q.row_ref, q.reason, q.severity])).toEqual(spec.quarantine);
  for (const [rowRef, fragment] of Object.entries(spec.details ?? {})) {
    expect([rowRef, quarantine.find((q) => q.row_ref === rowRef)?.detail]).toEqual([rowRef, expect.stringContaining(fragment)]);
  }
});
