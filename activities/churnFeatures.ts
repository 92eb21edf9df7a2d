import type { StageInput } from './stageInput';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

/** Stage 7: churn features and churn risk for every customer who has bought (sql/marts/churn_features.sql). */
export async function buildChurnFeatures(input: StageInput): Promise<{ customers: number }> {
  const customers = await buildTable({
    businessTimeZone: input.settings.businessTimeZone,
    inputs: {
      customers: stagingFile(input.stagingDir, 'marts', 'customers'),
      order_lines: stagingFile(input.stagingDir, 'clean', 'order_lines'),
    },
    variables: {
      run_date: { value: input.runDate, type: 'DATE' },
      inactive_days: { value: input.settings.churn.inactiveDays, type: 'INTEGER' },
    },
    model: 'marts/churn_features.sql',
    output: stagingFile(input.stagingDir, 'marts', 'churn_features'),
  });
  return { customers };
}
