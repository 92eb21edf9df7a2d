-- ga_sessions: one row per Google Analytics session, typed, with its first problem (unreadable page views or
-- duration become NULL with a warning). Known from session_start.
-- Anonymous sessions (no member_id) are kept: they count for traffic, not for any customer.
-- Reads: raw, known_members, quarantined_members (member_problem). Variables: timestamp_format, has_members.
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.member_id) AS member_id_value,
    plausible_instant(raw.session_start, getvariable('timestamp_format')) AS session_start_value
  FROM raw
)
SELECT
  coalesce(blank_to_null(session_id), row_ref(_row_number)) AS session_id,
  member_id_value AS member_id,
  session_start_value AS session_start,
  blank_to_null(traffic_source) AS traffic_source,
  parse_integer(pageviews) AS pageviews,
  parse_integer(session_duration_sec) AS session_duration_sec,
  _row_number,
  _content_hash,
  _content_check,
  coalesce(blank_to_null(session_id), row_ref(_row_number)) AS _record_key,
  session_start_value AS _event_at,
  coalesce(
    CASE WHEN session_start_value IS NULL
         THEN coalesce(instant_problem(typed.session_start, getvariable('timestamp_format'), 'session_start'),
                       problem('unparseable_timestamp', 'session_start', unreadable(typed.session_start, 'a timestamp'))) END,
    quote_in_id(member_id_value, 'member_id'),
    member_problem(member_id_value)
  ) AS _problem,
  warnings([
    CASE WHEN blank_to_null(typed.pageviews) IS NOT NULL AND parse_integer(typed.pageviews) IS NULL
         THEN problem('invalid_number', 'pageviews', unreadable(typed.pageviews, 'an integer')) END,
    CASE WHEN blank_to_null(typed.session_duration_sec) IS NOT NULL AND parse_integer(typed.session_duration_sec) IS NULL
         THEN problem('invalid_number', 'session_duration_sec', unreadable(typed.session_duration_sec, 'an integer')) END
  ]) AS _warnings
FROM typed
