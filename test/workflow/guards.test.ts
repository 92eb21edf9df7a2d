import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { loadConfigFile } from '../../lib/config';
import { innermostCause } from '../../lib/innermostCause';
import { manifestPath } from '../../lib/snapshots';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * A run whose customers scored fall by more than guards.maxScoredDrop against the previous published date
 * publishes nothing and says so, unless it is told to publish anyway (--allow-drop).
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-guards-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

test('a fall of the customers scored beyond the guard publishes nothing, unless allowed', async () => {
  const dataDir = path.join(scratch, 'data');
  const outDir = path.join(scratch, 'out');
  await fs.cp(FIXTURE, dataDir, { recursive: true });
  await temporal.run({ runDate: '2024-06-30', outDir, settings: loadConfigFile(path.join(dataDir, 'segflow.config.json')) });

  // The next export lost most of its orders: only the first two remain (both M1's).
  const orders = (await fs.readFile(path.join(dataDir, 'orders.csv'), 'utf8')).split('\n');
  await fs.writeFile(path.join(dataDir, 'orders.csv'), `${orders.slice(0, 3).join('\n')}\n`);
  const settings = loadConfigFile(path.join(dataDir, 'segflow.config.json'));
  const failure = await temporal.run({ runDate: '2024-07-01', outDir, settings }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(innermostCause(failure as Error).message).toContain(
    'customers scored fell from 6 on 2024-06-30 to 1 on 2024-07-01 (-83%), more than guards.maxScoredDrop allows (50%); nothing was published',
  );
  expect(existsSync(manifestPath(outDir, '2024-07-01'))).toBe(false);

  const allowed = await temporal.run({ runDate: '2024-07-01', outDir, settings, allowDrop: true });
  expect(allowed.scoring.customers).toBe(1);
  expect(existsSync(manifestPath(outDir, '2024-07-01'))).toBe(true);
});
