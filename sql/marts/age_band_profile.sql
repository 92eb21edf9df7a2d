-- age_band_profile: one row per age band as of the run date (10s, 20s, 30s, 40s, 50+, unknown; bands without
-- customers have no row): seed 001's age-band strategies read customers, revenue, RFM, favourite categories,
-- platforms and promotion response per band. Reads: demographic_cells.
SELECT * EXCLUDE (breakdown, gender)
FROM demographic_cells
WHERE breakdown = 'age_band'
ORDER BY age_band
