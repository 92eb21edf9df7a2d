import type { PointInTimeCut } from '../schemas/run';
import { knownAtCut } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

/** Stage 8: churn features and churn risk for every customer who has bought (sql/marts/churn_features.sql). */
export async function buildChurnFeatures(input: StageInput & { cut: PointInTimeCut }): Promise<{ customers: number }> {
  const customers = await buildTable({
    warehouse: stageWarehouse(input.settings, input.stagingDir),
    inputs: { customers: stagingFile(input.stagingDir, 'marts', 'customers') },
    views: { order_lines: knownAtCut(input.cut, 'order_lines') },
    variables: {
      run_date: { value: input.runDate, type: 'DATE' },
      inactive_days: { value: input.settings.churn.inactiveDays, type: 'INTEGER' },
    },
    model: 'marts/churn_features.sql',
    output: stagingFile(input.stagingDir, 'marts', 'churn_features'),
  });
  return { customers };
}
