-- promotions: one row per promotion, typed, with its problem (only a missing promotion_id removes a promotion;
-- unreadable dates or discount, or an end before the start, become NULL with a warning). Known from starts_on on.
-- Reads: raw.
WITH typed AS (
  SELECT raw.*, parse_day(raw.starts_on) AS starts_on_value, parse_day(raw.ends_on) AS ends_on_value,
         CASE WHEN parse_number(raw.discount_pct) BETWEEN 0 AND 100 THEN parse_number(raw.discount_pct) END AS discount_pct_value
  FROM raw
)
SELECT
  blank_to_null(promotion_id) AS promotion_id,
  blank_to_null(promotion_name) AS promotion_name,
  blank_to_null(promotion_type) AS promotion_type,
  discount_pct_value AS discount_pct,
  starts_on_value AS starts_on,
  CASE WHEN NOT ends_on_value < starts_on_value OR starts_on_value IS NULL THEN ends_on_value END AS ends_on,
  _row_number,
  _content_hash,
  _content_check,
  blank_to_null(promotion_id) AS _record_key,
  CAST(starts_on_value AS TIMESTAMPTZ) AS _event_at,
  CASE WHEN blank_to_null(promotion_id) IS NULL THEN problem('missing_value', 'promotion_id', 'promotion_id is empty') END AS _problem,
  warnings([
    CASE WHEN blank_to_null(typed.starts_on) IS NOT NULL AND starts_on_value IS NULL THEN problem('unparseable_date', 'starts_on', unreadable(typed.starts_on, 'a date (YYYY-MM-DD)')) END,
    CASE WHEN blank_to_null(typed.ends_on) IS NOT NULL AND ends_on_value IS NULL THEN problem('unparseable_date', 'ends_on', unreadable(typed.ends_on, 'a date (YYYY-MM-DD)')) END,
    CASE WHEN ends_on_value < starts_on_value THEN problem('invalid_value', 'ends_on', 'ends_on ' || ends_on_value || ' is before starts_on ' || starts_on_value) END,
    CASE WHEN blank_to_null(typed.discount_pct) IS NOT NULL AND discount_pct_value IS NULL
         THEN problem('invalid_value', 'discount_pct', 'discount_pct ''' || typed.discount_pct || ''' is not a number from 0 to 100') END
  ]) AS _warnings
FROM typed
