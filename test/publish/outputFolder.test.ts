import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { publishSnapshot } from '../../activities/publish';
import { loadConfigFile } from '../../lib/config';
import { outputFolderProblem } from '../../lib/outputFolder';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { publishInput } from '../support/publishInput';

// Tests run as root, for whom a read-only mode changes nothing: a path below a regular file fails for everyone.
let work: string;
let aFile: string;
let temporal: TestTemporal;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-output-folder-'));
  aFile = path.join(work, 'a-file');
  await fs.writeFile(aFile, 'not a folder');
  temporal = await startTestTemporal();
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(work, { recursive: true, force: true });
});

test('an output folder is writable when it, or the nearest folder it would be created in, is a writable folder', async () => {
  await expect(outputFolderProblem(work)).resolves.toBeNull();
  await expect(outputFolderProblem(path.join(work, 'new', 'deeper'))).resolves.toBeNull();
  await expect(outputFolderProblem(aFile)).resolves.toBe(`${aFile} is a file, not a folder`);
  await expect(outputFolderProblem(path.join(aFile, 'out', 'deeper'))).resolves.toBe(
    `${aFile} is a file, not a folder, so the folder cannot be created in it`,
  );
});

test('publishing into a folder that cannot be written fails without retries, naming the folder', async () => {
  const outDir = path.join(aFile, 'out');
  const publishing = publishSnapshot(
    publishInput({ outDir, stagingDir: path.join(work, 'staging'), baseDir: path.join(work, 'staging', 'base') }),
  );
  await expect(publishing).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(publishing).rejects.toMatchObject({ type: 'OutputNotWritable', nonRetryable: true });
  await expect(publishing).rejects.toThrow(`cannot write to ${outDir}: ${aFile} is a file, not a folder`);
});

test('a run whose output folder cannot be written fails at once, not after retries', async () => {
  const outDir = path.join(aFile, 'out');
  const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
  const started = Date.now();
  const error = await temporal.run({ runDate: '2024-06-30', outDir, settings }).catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const activity = (error as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  expect(activity!.cause).toMatchObject({ type: 'OutputNotWritable', nonRetryable: true });
  expect((activity!.cause as Error).message).toContain(`${aFile} is a file, not a folder`);
  // Retried, the stage would take 10 s and 20 s of back-off.
  expect((Date.now() - started) / 1000).toBeLessThan(10);
});
