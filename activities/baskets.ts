import type { PointInTimeCut } from '../schemas/run';
import { knownAtCut } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface BasketsInput extends StageInput {
  cut: PointInTimeCut;
}

/**
 * The baskets stage: association rules over the run date's orders, for all customers and per cluster
 * (sql/marts/association_rules.sql), then each clustered customer's recommendations, ranked
 * (sql/models/recommendation_ranks.sql) and published (sql/marts/recommendations.sql).
 */
export async function findBasketRules(input: BasketsInput): Promise<{ rules: number; recommendations: number }> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const warehouse = stageWarehouse(input.settings, input.stagingDir);
  const orderLines = knownAtCut(input.cut, 'order_lines');
  const { minSupport, minConfidence, recommendationsPerCustomer } = input.settings.baskets;
  const rules = await buildTable({
    warehouse,
    views: { order_lines: orderLines },
    inputs: { clusters: marts('clusters') },
    variables: {
      min_support: { value: minSupport, type: 'DOUBLE' },
      min_confidence: { value: minConfidence, type: 'DOUBLE' },
    },
    table: 'association_rules',
    place: input,
  });
  const ranks = stagingFile(input.stagingDir, 'models', 'recommendation_ranks');
  await buildTable({
    warehouse,
    views: { order_lines: orderLines },
    inputs: { clusters: marts('clusters'), association_rules: marts('association_rules') },
    variables: { recommendations_per_customer: { value: recommendationsPerCustomer, type: 'INTEGER' } },
    model: 'models/recommendation_ranks.sql',
    output: ranks,
  });
  const recommendations = await buildTable({
    warehouse,
    inputs: { recommendation_ranks: ranks, clusters: marts('clusters') },
    table: 'recommendations',
    place: input,
  });
  return { rules, recommendations };
}
