/**
 * Seed 000's cluster profiling: each feature's cluster mean against the overall mean, as a level, and a name
 * from the levels of monetary, frequency and recency.
 */

export type Level = 'Very Low' | 'Low' | 'Average' | 'High' | 'Very High';

export function levelOf(clusterMean: number, overallMean: number): Level {
  const ratio = clusterMean / overallMean;
  if (ratio > 1.5) return 'Very High';
  if (ratio > 1.2) return 'High';
  if (ratio > 0.8) return 'Average';
  if (ratio > 0.5) return 'Low';
  return 'Very Low';
}

export interface RfmLevels {
  recency: Level;
  frequency: Level;
  monetary: Level;
}

const HIGH: Level[] = ['High', 'Very High'];
const LOW: Level[] = ['Low', 'Very Low'];

export function clusterName(levels: RfmLevels, cluster: number): string {
  if (HIGH.includes(levels.monetary) && HIGH.includes(levels.frequency)) return 'VIP Customers';
  if (LOW.includes(levels.recency)) return 'Active Customers';
  if (HIGH.includes(levels.recency)) return 'Inactive Customers';
  if (levels.frequency === 'Very Low') return 'One-time Customers';
  return `Cluster ${cluster}`;
}
