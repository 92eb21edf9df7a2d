-- members: one row per member, typed, with its problem (only a missing member_id removes a member; an
-- unreadable joined_at, birth year or consent becomes NULL with a warning). A member is known from joined_at on.
-- A birth year is a year from 1900 to 2100 here, whatever the run date: customers.sql gives no age to a
-- member born after the run date's year, so that the cleaned base serves every date alike.
-- Reads: raw. Variables: timestamp_format, earliest_instant.
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.member_id) AS member_id_value,
    plausible_instant(raw.joined_at, getvariable('timestamp_format')) AS joined_at_value,
    CASE WHEN parse_integer(raw.birth_year) BETWEEN 1900 AND 2100 THEN parse_integer(raw.birth_year) END
      AS birth_year_value,
    parse_flag(raw.marketing_opt_in) AS marketing_opt_in_value
  FROM raw
)
SELECT
  member_id_value AS member_id,
  joined_at_value AS joined_at,
  birth_year_value AS birth_year,
  blank_to_null(gender) AS gender,
  blank_to_null(region) AS region,
  marketing_opt_in_value AS marketing_opt_in,
  lower(blank_to_null(acquisition_channel)) AS acquisition_channel, -- compared lower-cased, as every channel
  _row_number,
  _content_hash,
  _content_check,
  member_id_value AS _record_key,
  joined_at_value AS _event_at,
  coalesce(
    CASE WHEN member_id_value IS NULL THEN problem('missing_value', 'member_id', 'member_id is empty') END,
    quote_in_id(member_id_value, 'member_id')
  ) AS _problem,
  warnings([
    instant_problem(typed.joined_at, getvariable('timestamp_format'), 'joined_at'),
    CASE WHEN blank_to_null(typed.birth_year) IS NOT NULL AND birth_year_value IS NULL
         THEN problem('invalid_value', 'birth_year', 'birth_year ''' || typed.birth_year || ''' is not a year between 1900 and 2100') END,
    CASE WHEN blank_to_null(typed.marketing_opt_in) IS NOT NULL AND marketing_opt_in_value IS NULL
         THEN problem('invalid_value', 'marketing_opt_in', unreadable(typed.marketing_opt_in, 'true/false, yes/no or 1/0')) END
  ]) AS _warnings
FROM typed
