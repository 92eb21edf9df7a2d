/**
 * Seed 000's names for clusters, from the levels (Very Low ... Very High against the overall mean, see
 * sql/marts/cluster_profiles.sql) of the cluster's mean recency, frequency and monetary value.
 */

export interface RfmLevels {
  recency: string | null;
  frequency: string | null;
  monetary: string | null;
}

const HIGH = ['High', 'Very High'];
const LOW = ['Low', 'Very Low'];

/** Seed 000's rules in its order; its fallback 'Cluster_n' reads 'Cluster n' here. */
export function clusterName(levels: RfmLevels, cluster: number): string {
  const is = (level: string | null, among: string[]) => level !== null && among.includes(level);
  if (is(levels.monetary, HIGH) && is(levels.frequency, HIGH)) return 'VIP Customers';
  if (is(levels.recency, LOW)) return 'Active Customers';
  if (is(levels.recency, HIGH)) return 'Inactive Customers';
  if (levels.frequency === 'Very Low') return 'One-time Customers';
  return `Cluster ${cluster}`;
}

/**
 * Seed 000 keys its profiles by name, so two clusters with the same name overwrite each other there; here the
 * second and later get a number ('Active Customers 2'), in cluster order.
 */
export function distinctNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} ${count}`;
  });
}
