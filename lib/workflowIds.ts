/** The workflow id of a date's run: a second trigger for the same date cannot start while one is running. */
export function segmentationRunId(runDate: string): string {
  return `segflow-run-${runDate}`;
}
