import { CancellationScope } from '@temporalio/workflow';

/**
 * Runs branches of a workflow that do not read each other's output at the same time, and returns their results
 * in order. The first failure cancels the branches still running and is rethrown once they have stopped (data
 * stages wait for their cancellation to complete), so no activity of a failed run goes on writing into its
 * staging folder.
 */
export async function sideBySide<T extends readonly unknown[]>(branches: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const scope = new CancellationScope();
  const running = branches.map((branch) => scope.run(branch));
  try {
    return (await Promise.all(running)) as unknown as T;
  } catch (error) {
    scope.cancel();
    await Promise.allSettled(running);
    throw error;
  }
}
