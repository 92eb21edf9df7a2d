import { Context } from '@temporalio/activity';

const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Runs long work while heartbeating, so Temporal notices a dead worker within the heartbeat timeout instead of
 * waiting out the whole start-to-close timeout. Outside an activity (a unit test) it just runs the work.
 */
export async function heartbeatWhile<T>(work: () => Promise<T>): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context!.heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Aborted when the running activity is cancelled (the news arrives with a heartbeat's reply); undefined
 * outside an activity.
 */
export function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
