import type { PublishInput } from '../../activities/publish';

/** A publish of nothing in particular for run date 2024-06-30: the fields a publish test does not look at. */
export function publishInput(fields: Pick<PublishInput, 'outDir' | 'stagingDir' | 'baseDir'> & Partial<PublishInput>): PublishInput {
  return {
    runDate: '2024-06-30',
    businessTimeZone: 'UTC',
    workflowId: 'segflow-run-2024-06-30',
    runId: 'r',
    configFile: null,
    sources: [],
    stages: [],
    statistics: {},
    models: { clustering: null, clv: null, churn: null },
    maxScoredDrop: null,
    ...fields,
  };
}
