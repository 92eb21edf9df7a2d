import { promises as fs, type PathLike } from 'node:fs';

/**
 * Loaded with `node --require` into a worker process of the chaos test. SEGFLOW_TEST_PAUSE_AT names a file
 * operation as `<rename|copyFile>:<fragment of the destination path>:<n>`; the n-th such call never returns and
 * the worker prints `paused at …`, so the test can kill it at a known point inside a stage.
 */
const [operation, fragment, nth] = (process.env.SEGFLOW_TEST_PAUSE_AT ?? '').split(':');
if (operation !== 'rename' && operation !== 'copyFile') {
  throw new Error(`SEGFLOW_TEST_PAUSE_AT must be <rename|copyFile>:<path fragment>:<n>, not '${process.env.SEGFLOW_TEST_PAUSE_AT}'`);
}
type Move = (from: PathLike, to: PathLike, mode?: number) => Promise<void>;
const moves = fs as unknown as Record<typeof operation, Move>;
const original = moves[operation].bind(fs);
let calls = 0;
moves[operation] = async (from, to, mode) => {
  if (String(to).includes(fragment!) && ++calls === Number(nth)) {
    console.log(`paused at ${operation} to ${String(to)}`);
    await new Promise(() => {});
  }
  return original(from, to, mode);
};
