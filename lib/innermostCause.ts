/**
 * The innermost cause of a failure chain (workflow → child workflow → activity → application failure): the
 * one whose message explains what went wrong. Pure, so workflows may use it too.
 */
export function innermostCause(error: Error): Error {
  let inner = error;
  while (inner.cause instanceof Error) inner = inner.cause;
  return inner;
}
