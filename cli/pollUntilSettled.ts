/**
 * Calls `poll` about every half second until `done` (a workflow's result) settles, so a command can show a
 * workflow's progress while waiting for it. What the last poll missed is the caller's to show from the result.
 */
export async function pollUntilSettled(done: Promise<unknown>, poll: () => Promise<void>, intervalMs = 500): Promise<void> {
  let settled = false;
  void done.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await poll();
    await Promise.race([done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, intervalMs))]);
  }
}
