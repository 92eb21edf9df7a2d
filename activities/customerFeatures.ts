import type { SourceName } from '../schemas/sources';
import type { StageInput } from './stageInput';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface CustomerFeaturesInput extends StageInput {
  loadedSources: SourceName[];
}

/** Stage 4: integrate the cleaned sources into one row per customer (sql/marts/customers.sql). */
export async function buildCustomerFeatures(input: CustomerFeaturesInput): Promise<{ customers: number }> {
  const clean = (name: string) => stagingFile(input.stagingDir, 'clean', name);
  const has = (source: SourceName) => ({ value: input.loadedSources.includes(source), type: 'BOOLEAN' as const });
  const customers = await buildTable({
    businessTimeZone: input.settings.businessTimeZone,
    inputs: {
      order_lines: clean('order_lines'),
      members: clean('members'),
      reviews: clean('reviews'),
      ga_sessions: clean('ga_sessions'),
      products: clean('products'),
      platforms: clean('platforms'),
    },
    variables: {
      run_date: { value: input.runDate, type: 'DATE' },
      has_members: has('members'),
      has_reviews: has('reviews'),
      has_ga_sessions: has('ga_sessions'),
      has_products: has('products'),
      has_platforms: has('platforms'),
    },
    model: 'marts/customers.sql',
    output: stagingFile(input.stagingDir, 'marts', 'customers'),
  });
  return { customers };
}
