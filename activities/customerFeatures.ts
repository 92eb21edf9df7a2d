import type { GenderValues } from '../schemas/config';
import type { PointInTimeCut } from '../schemas/run';
import type { SourceName } from '../schemas/sources';
import { knownAtCut, type BaseTable } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { buildTable, type LiteralRow } from './tableBuilder';

export interface CustomerFeaturesInput extends StageInput {
  loadedSources: SourceName[];
  cut: PointInTimeCut;
}

const READS: BaseTable[] = ['order_lines', 'members', 'reviews', 'ga_sessions', 'products', 'platforms'];

/** The gender each configured value means, keyed in lower case: customers.sql matches members.gender ignoring case. */
export function genderValueRows(values: GenderValues): LiteralRow[] {
  const genderOf = new Map<string, string>();
  for (const gender of ['female', 'male'] as const) {
    for (const value of values[gender]) genderOf.set(value.toLowerCase(), gender);
  }
  return [...genderOf].map(([value, gender]) => ({ value, gender }));
}

/** Stage 4: integrate the cleaned sources into one row per customer (sql/marts/customers.sql). */
export async function buildCustomerFeatures(input: CustomerFeaturesInput): Promise<{ customers: number }> {
  const has = (source: SourceName) => ({ value: input.loadedSources.includes(source), type: 'BOOLEAN' as const });
  const customers = await buildTable({
    warehouse: stageWarehouse(input.settings, input.stagingDir),
    views: Object.fromEntries(READS.map((table) => [table, knownAtCut(input.cut, table)])),
    variables: {
      run_date: { value: input.runDate, type: 'DATE' },
      has_members: has('members'),
      has_reviews: has('reviews'),
      has_ga_sessions: has('ga_sessions'),
      has_products: has('products'),
      has_platforms: has('platforms'),
    },
    tables: {
      gender_values: genderValueRows(input.settings.genderValues),
      ga_mediums: {
        columns: { medium: 'VARCHAR', channel: 'VARCHAR' },
        rows: Object.entries(input.settings.channels.gaMediums).map(([medium, channel]) => ({ medium, channel })),
      },
    },
    table: 'customers',
    place: input,
  });
  return { customers };
}
