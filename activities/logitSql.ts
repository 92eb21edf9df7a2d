import type { StandardizedScorer } from '../analytics/standardizedLogistic';
import { quoteIdent } from '../lib/duckdb';

/**
 * A fitted model's log-odds as a SQL expression over the feature columns, so that scoring runs in DuckDB: each
 * feature's standardized contribution, summed. An unknown feature (NULL) contributes nothing, as in training.
 * Feature names are quoted; the numbers are finite literals.
 */
export function logitSql(model: StandardizedScorer<string>): string {
  const terms = model.coefficients.map(
    ({ feature, mean, std, standardizedCoefficient }) =>
      `coalesce((${quoteIdent(feature)} - ${mean}) / ${std} * ${standardizedCoefficient}, 0)`,
  );
  return [String(model.intercept), ...terms].join(' + ');
}
