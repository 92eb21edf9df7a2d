import { column, type TableContract } from '../tableContract';
import { AGE_BANDS } from './customers';
import { PROFILE_CHECKS, PROFILE_MEASURES, PROFILE_SHARES } from './demographicProfiles';

export const ageBandProfile: TableContract = {
  table: 'age_band_profile',
  grain: 'age band with customers (seed 001\'s age-band strategies)',
  key: ['age_band'],
  columns: [column('age_band', 'VARCHAR', 'The customers\' age band.', { values: AGE_BANDS }), ...PROFILE_MEASURES],
  rowChecks: PROFILE_CHECKS,
  aggregateChecks: PROFILE_SHARES,
  relationships: [{ columns: ['age_band'], table: 'customers', complete: true }],
};
