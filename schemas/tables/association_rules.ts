import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

const SUPPORT = { above: 0, max: 1 };

export const associationRules: TableContract = {
  table: 'association_rules',
  grain: 'rule X → Y, for all customers and for each cluster',
  key: ['scope', 'cluster', 'antecedent_1', 'antecedent_2', 'consequent_1', 'consequent_2'],
  columns: [
    column('scope', 'VARCHAR', 'all: every basket; cluster: the baskets of the cluster\'s customers.', { values: ['all', 'cluster'] }),
    column('cluster', 'INTEGER', 'The cluster; NULL for scope all.', { nullable: true, ...NON_NEGATIVE }),
    column('cluster_name', 'VARCHAR', 'The cluster\'s name; NULL for scope all.', { nullable: true }),
    column('antecedent_1', 'VARCHAR', 'First product of X (product id order).'),
    column('antecedent_2', 'VARCHAR', 'Second product of X; NULL when X has one.', { nullable: true }),
    column('consequent_1', 'VARCHAR', 'First product of Y.'),
    column('consequent_2', 'VARCHAR', 'Second product of Y; NULL when Y has one.', { nullable: true }),
    column('baskets', 'BIGINT', 'Baskets (orders\' distinct products bought) in the scope.', { min: 1 }),
    column('basket_count', 'BIGINT', 'Baskets holding X ∪ Y.', { min: 1 }),
    column('antecedent_support', 'DOUBLE', 'Share of the baskets holding X.', SUPPORT),
    column('consequent_support', 'DOUBLE', 'Share of the baskets holding Y.', SUPPORT),
    column('support', 'DOUBLE', 'basket_count / baskets, at least baskets.minSupport.', SUPPORT),
    column('confidence', 'DOUBLE', 'support / antecedent_support, at least baskets.minConfidence.', SUPPORT),
    column('lift', 'DOUBLE', 'confidence / consequent_support.', { above: 0 }),
    column('leverage', 'DOUBLE', 'support − antecedent_support × consequent_support.', { min: -1, max: 1 }),
    column('conviction', 'DOUBLE', '(1 − consequent_support) / (1 − confidence); NULL when the confidence is 1.', { nullable: true, ...NON_NEGATIVE }),
  ],
  rowChecks: [
    { column: 'cluster', description: 'cluster and its name are NULL exactly for scope all', holds: "(cluster IS NULL) = (scope = 'all') AND (cluster_name IS NULL) = (scope = 'all')" },
    { column: 'antecedent_2', description: 'a side\'s products are in id order', holds: 'antecedent_1 < antecedent_2 AND consequent_1 < consequent_2' },
    { column: 'basket_count', description: 'basket_count ≤ baskets', holds: 'basket_count <= baskets' },
    { column: 'support', description: 'support ≤ antecedent_support and consequent_support', holds: 'support <= antecedent_support AND support <= consequent_support' },
  ],
  relationships: [{ columns: ['cluster', 'cluster_name'], table: 'clusters' }],
};
