import { column, NON_NEGATIVE, type ColumnContract, type TableContract } from '../tableContract';

/** A clustering feature standardized with the model's scaling; `source` names the input it needs, if any. */
function scaled(feature: string, definition: string, source?: string): ColumnContract {
  const when = source ? ` Only when ${source} were loaded.` : '';
  return column(`${feature}_scaled`, 'DOUBLE', `${definition}, standardized with the model's mean and standard deviation.${when}`, {
    optional: source !== undefined,
  });
}

export const clusters: TableContract = {
  table: 'clusters',
  grain: 'scored customer',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('cluster', 'INTEGER', 'Cluster id of the model version the run assigned with; kept across refits where a cluster persists.', NON_NEGATIVE),
    column('cluster_name', 'VARCHAR', 'Cluster name (seed 000\'s rules from its RFM levels), fixed with its id.'),
    scaled('log_recency', 'ln(1 + recency_days)'),
    scaled('log_frequency', 'ln(1 + frequency)'),
    scaled('log_monetary', 'ln(1 + monetary)'),
    scaled('avg_order_value', 'monetary / frequency'),
    scaled('purchase_consistency', 'frequency / (recency_days / 30 + 1)'),
    scaled('review_count', 'Reviews written', 'reviews'),
    scaled('avg_rating', 'Mean rating (the mean of all for a customer without one)', 'reviews'),
    scaled('promo_order_share', 'Share of purchase orders with a promotion', 'promotions'),
    scaled('ga_sessions_30d', 'GA sessions in the 30 days to the run date', 'GA sessions'),
  ],
  aggregateChecks: [
    { column: 'cluster_name', description: 'one name per cluster', holds: 'count(DISTINCT cluster_name) = 1', groupBy: ['cluster'] },
  ],
  relationships: [{ columns: ['member_id'], table: 'rfm', complete: true }],
};
