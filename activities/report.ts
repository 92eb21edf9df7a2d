import { writeReport, type ReportResult } from '../report/writeReport';
import { heartbeatWhile } from './heartbeat';

export interface ReportInput {
  runDate: string;
  outDir: string;
}

/**
 * Stage 'report': the date's HTML report from its just-published snapshot (report/writeReport.ts). It reads
 * the tables by path, so only the report's path and size come back through Temporal.
 */
export async function buildReport(input: ReportInput): Promise<ReportResult> {
  return heartbeatWhile(() => writeReport(input.outDir, input.runDate));
}
