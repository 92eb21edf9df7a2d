import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type * as activities from '../activities';

/** Errors that a retry cannot fix: the input, the configuration or the output folder must change. */
const NOT_RETRYABLE = [
  'MissingColumn',
  'UnreadableFile',
  'MissingOrders',
  'NoOrders',
  'WrongEncoding',
  'SuspiciousDrop',
  'ConfigError',
  'OutputNotWritable',
  'ContractViolation',
];

/**
 * Stages that read and write Parquet: long, heartbeating, retried a few times for transient I/O failures. A
 * cancelled run waits for its stage to stop before it removes the staging folder the stage writes into.
 */
const dataStage: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: NOT_RETRYABLE },
};

export const {
  ingest,
  clean,
  cutAtRunDate,
  buildCustomerFeatures,
  scoreRfm,
  clusterCustomers,
  predictLifetimeValue,
  predictChurn,
  predictDiscountSensitivity,
  collectModelMetrics,
  planCampaigns,
  profileDemographics,
  findBasketRules,
  buildSalesKpis,
  compareSegments,
  buildReport,
} = proxyActivities<typeof activities>(dataStage);

/** File bookkeeping: copies, renames, removals and small JSON files; worth more attempts, never worth an hour. */
export const { publishSnapshot, discardStaging, applyRetention, leaseRunDates, releaseRunDates, loadRunSettings } =
  proxyActivities<typeof activities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: NOT_RETRYABLE },
  });
