/** Every activity the worker registers, one stage per module. */
export { ingest } from './ingest';
export { clean } from './clean';
export { cutAtRunDate } from './pointInTime';
export { buildCustomerFeatures } from './customerFeatures';
export { scoreRfm } from './rfm';
export { clusterCustomers } from './cluster';
export { predictLifetimeValue } from './lifetimeValue';
export { predictChurn } from './churn';
export { planCampaigns } from './campaigns';
export { findBasketRules } from './baskets';
export { buildSalesKpis } from './salesKpis';
export { compareSegments } from './segmentTransitions';
export { publishSnapshot } from './publish';
export { buildReport } from './report';
export { applyRetention } from './retention';
export { leaseRunDates, releaseRunDates } from './leases';
export { discardStaging } from './staging';
export { loadRunSettings } from './settings';
