-- gender_age_profile: one row per gender (female, male, unknown: genderValues) × age band with customers, the
-- measures of age_band_profile; shares are of all customers and all revenue. Reads: demographic_cells.
SELECT * EXCLUDE (breakdown)
FROM demographic_cells
WHERE breakdown = 'gender_age'
ORDER BY gender, age_band
