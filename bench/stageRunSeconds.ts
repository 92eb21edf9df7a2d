import type { History } from '@temporalio/common/lib/proto-utils';
import { tsToMs } from '@temporalio/common/lib/time';
import type * as activities from '../activities';
import type { Stage } from '../schemas/run';

/** The activity each stage runs (workflows/segmentationRun.ts): a stage is one activity. */
const ACTIVITY_OF_STAGE: Record<Stage, keyof typeof activities> = {
  ingest: 'ingest',
  clean: 'clean',
  'point in time': 'cutAtRunDate',
  'customer features': 'buildCustomerFeatures',
  rfm: 'scoreRfm',
  'lifetime value': 'predictLifetimeValue',
  churn: 'predictChurn',
  'discount sensitivity': 'predictDiscountSensitivity',
  'model metrics': 'collectModelMetrics',
  'sales kpis': 'buildSalesKpis',
  cluster: 'clusterCustomers',
  baskets: 'findBasketRules',
  campaigns: 'planCampaigns',
  demographics: 'profileDemographics',
  'segment transitions': 'compareSegments',
  publish: 'publishSnapshot',
  report: 'buildReport',
  retention: 'applyRetention',
};

/**
 * Each stage's seconds from its activity's start on a worker to its completion, read from the run's history:
 * what the stage itself took, without its wait for a free worker slot (the workflow's stage seconds include it,
 * and depend on which stages happened to run beside it).
 */
export function stageRunSeconds(history: History): Partial<Record<Stage, number>> {
  const typeOf = new Map<string, string>();
  const startedAt = new Map<string, number>();
  const secondsOf = new Map<string, number>();
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    if (event.activityTaskScheduledEventAttributes) {
      typeOf.set(String(event.eventId), event.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    } else if (event.activityTaskStartedEventAttributes) {
      startedAt.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), at);
    } else if (event.activityTaskCompletedEventAttributes) {
      const scheduled = String(event.activityTaskCompletedEventAttributes.scheduledEventId);
      secondsOf.set(typeOf.get(scheduled)!, (at - startedAt.get(scheduled)!) / 1000);
    }
  }
  const stages = Object.entries(ACTIVITY_OF_STAGE) as [Stage, string][];
  return Object.fromEntries(stages.filter(([, activity]) => secondsOf.has(activity)).map(([stage, activity]) => [stage, secondsOf.get(activity)!]));
}
