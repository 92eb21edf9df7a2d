import { column, type TableContract } from '../tableContract';
import { AGE_BANDS, GENDERS } from './customers';
import { PROFILE_CHECKS, PROFILE_MEASURES, PROFILE_SHARES } from './demographicProfiles';

export const genderAgeProfile: TableContract = {
  table: 'gender_age_profile',
  grain: 'gender × age band with customers; shares are of all customers and all revenue',
  key: ['gender', 'age_band'],
  columns: [
    column('gender', 'VARCHAR', 'The customers\' gender.', { values: GENDERS }),
    column('age_band', 'VARCHAR', 'The customers\' age band.', { values: AGE_BANDS }),
    ...PROFILE_MEASURES,
  ],
  rowChecks: PROFILE_CHECKS,
  aggregateChecks: PROFILE_SHARES,
  relationships: [{ columns: ['gender', 'age_band'], table: 'customers', complete: true }],
};
