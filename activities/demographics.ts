import type { PointInTimeCut } from '../schemas/run';
import { knownAtCut } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface DemographicsInput extends StageInput {
  cut: PointInTimeCut;
}

export interface DemographicsResult {
  ageBands: number;
  genderAgeCells: number;
  women2030: number;
}

/**
 * The demographics stage, seed 001's age-band strategies and its campaign for women in their 20s and 30s:
 * profiles customers by age band and by gender × age band (sql/models/demographic_cells.sql, published as
 * age_band_profile and gender_age_profile) and lists the women aged 20 to 39 with the campaign that reaches
 * them (target_women_2030). Gender and age are customers' own, so every table agrees on them.
 */
export async function profileDemographics(input: DemographicsInput): Promise<DemographicsResult> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const cells = stagingFile(input.stagingDir, 'models', 'demographic_cells');
  const warehouse = stageWarehouse(input.settings, input.stagingDir);
  await buildTable({
    warehouse,
    inputs: { customers: marts('customers'), rfm: marts('rfm') },
    views: {
      order_lines: knownAtCut(input.cut, 'order_lines'),
      products: knownAtCut(input.cut, 'products'),
      platforms: knownAtCut(input.cut, 'platforms'),
    },
    model: 'models/demographic_cells.sql',
    output: cells,
  });
  const fromCells = (table: 'age_band_profile' | 'gender_age_profile') =>
    buildTable({ warehouse, table, place: input, inputs: { demographic_cells: cells } });
  const ageBands = await fromCells('age_band_profile');
  const genderAgeCells = await fromCells('gender_age_profile');
  const women2030 = await buildTable({
    warehouse,
    inputs: { customers: marts('customers'), rfm: marts('rfm'), campaign_targets: marts('campaign_targets') },
    table: 'target_women_2030',
    place: input,
  });
  return { ageBands, genderAgeCells, women2030 };
}
