-- platforms: one row per sales platform, typed, with its problem (only a missing platform_id removes a
-- platform; an unreadable commission becomes NULL with a warning). Always known.
-- Reads: raw.
SELECT
  blank_to_null(platform_id) AS platform_id,
  blank_to_null(platform_name) AS platform_name,
  lower(blank_to_null(platform_type)) AS platform_type,
  parse_number(commission_pct) AS commission_pct,
  _row_number,
  _content_hash,
  _content_check,
  blank_to_null(platform_id) AS _record_key,
  CAST(NULL AS TIMESTAMPTZ) AS _event_at,
  CASE WHEN blank_to_null(platform_id) IS NULL THEN problem('missing_value', 'platform_id', 'platform_id is empty') END AS _problem,
  warnings([
    CASE WHEN blank_to_null(commission_pct) IS NOT NULL AND parse_number(commission_pct) IS NULL
         THEN problem('invalid_number', 'commission_pct', unreadable(commission_pct, 'a number')) END
  ]) AS _warnings
FROM raw
