-- members: one row per member, typed, with its first problem. A member is known from joined_at on.
-- Reads: raw. Variables: timestamp_format, run_year.
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.member_id) AS member_id_value,
    parse_instant(raw.joined_at, getvariable('timestamp_format')) AS joined_at_value,
    parse_integer(raw.birth_year) AS birth_year_value,
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
  _row_number,
  _content_hash,
  _content_check,
  member_id_value AS _record_key,
  joined_at_value AS _event_at,
  coalesce(
    CASE WHEN member_id_value IS NULL THEN problem('missing_value', 'member_id', 'member_id is empty') END,
    CASE WHEN blank_to_null(typed.joined_at) IS NOT NULL AND joined_at_value IS NULL
         THEN problem('unparseable_timestamp', 'joined_at', unreadable(typed.joined_at, 'a timestamp')) END,
    CASE WHEN blank_to_null(typed.birth_year) IS NOT NULL
          AND (birth_year_value IS NULL OR birth_year_value NOT BETWEEN 1900 AND getvariable('run_year'))
         THEN problem('invalid_value', 'birth_year', 'birth_year ''' || typed.birth_year || ''' is not a year between 1900 and ' || getvariable('run_year')) END,
    CASE WHEN blank_to_null(typed.marketing_opt_in) IS NOT NULL AND marketing_opt_in_value IS NULL
         THEN problem('invalid_value', 'marketing_opt_in', unreadable(typed.marketing_opt_in, 'true/false, yes/no or 1/0')) END
  ) AS _problem
FROM typed
