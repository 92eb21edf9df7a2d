/** Every activity the worker registers, one stage per module. */
export { ingest } from './ingest';
export { clean } from './clean';
export { buildCustomerFeatures } from './customerFeatures';
export { scoreRfm } from './rfm';
export { clusterCustomers } from './cluster';
export { buildChurnFeatures } from './churnFeatures';
export { planCampaigns } from './campaigns';
export { publishSnapshot } from './publish';
export { discardStaging } from './staging';
