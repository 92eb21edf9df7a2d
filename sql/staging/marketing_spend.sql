-- marketing_spend: one row per acquisition channel and day or month of spend, typed, with its first problem.
-- `date` is a day (YYYY-MM-DD) or a month (YYYY-MM, `period` 'month'), stored as the period's first day; a row is
-- known from the start of that day (sql/marts/channel_kpis.sql spreads a month's spend over its days).
-- Channels are trimmed and lower-cased, as members' and GA's are. Required: the date, the channel and a spend of
-- zero or more; unreadable or negative impressions, clicks or conversions become NULL with a warning.
-- The key is the period and the channel (a repeat is duplicate_key, see activities/clean.ts); a day of a channel
-- whose month has a month row is overlapping_period, since its spend would count twice.
-- Reads: raw.
WITH typed AS (
  SELECT
    raw.*,
    regexp_full_match(trim(raw.date), '\d{4}-\d{1,2}') AS is_month,
    CASE WHEN is_month THEN TRY_CAST(trim(raw.date) || '-01' AS DATE) ELSE parse_day(raw.date) END AS date_value,
    CASE WHEN is_month THEN strftime(date_value, '%Y-%m') ELSE CAST(date_value AS VARCHAR) END AS period_text,
    lower(blank_to_null(raw.channel)) AS channel_value,
    parse_number(raw.spend) AS spend_value,
    CASE WHEN parse_integer(raw.impressions) >= 0 THEN parse_integer(raw.impressions) END AS impressions_value,
    CASE WHEN parse_integer(raw.clicks) >= 0 THEN parse_integer(raw.clicks) END AS clicks_value,
    CASE WHEN parse_number(raw.conversions) >= 0 THEN parse_number(raw.conversions) END AS conversions_value
  FROM raw
),
-- The first month row of each channel and month: the days of that month are already counted by it.
month_rows AS (
  SELECT channel_value, date_value, period_text, min(_row_number) AS row_number
  FROM typed WHERE is_month AND date_value IS NOT NULL AND channel_value IS NOT NULL
  GROUP BY ALL
)
SELECT
  typed.date_value AS date,
  CASE WHEN typed.is_month THEN 'month' ELSE 'day' END AS period,
  typed.channel_value AS channel,
  typed.spend_value AS spend,
  typed.impressions_value AS impressions,
  typed.clicks_value AS clicks,
  typed.conversions_value AS conversions,
  typed._row_number,
  typed._content_hash,
  typed._content_check,
  typed.period_text || ' ' || typed.channel_value AS _record_key,
  CAST(typed.date_value AS TIMESTAMPTZ) AS _event_at,
  coalesce(
    CASE WHEN blank_to_null(typed.date) IS NULL THEN problem('missing_value', 'date', 'date is empty') END,
    CASE WHEN typed.date_value IS NULL
         THEN problem('unparseable_date', 'date', unreadable(typed.date, 'a day (YYYY-MM-DD) or a month (YYYY-MM)')) END,
    CASE WHEN typed.channel_value IS NULL THEN problem('missing_value', 'channel', 'channel is empty') END,
    CASE WHEN blank_to_null(typed.spend) IS NULL THEN problem('missing_value', 'spend', 'spend is empty') END,
    CASE WHEN typed.spend_value IS NULL THEN problem('invalid_number', 'spend', unreadable(typed.spend, 'a number')) END,
    CASE WHEN typed.spend_value < 0
         THEN problem('negative_spend', 'spend', 'spend ' || trim(typed.spend) || ' is negative: correct the row the refund or credit belongs to instead') END,
    CASE WHEN month_rows.row_number IS NOT NULL
         THEN problem('overlapping_period', 'date', 'channel ''' || typed.channel_value || ''' has a month row for ' ||
                      month_rows.period_text || ' (' || row_ref(month_rows.row_number) || '), which this day''s spend would count twice') END
  ) AS _problem,
  warnings([
    negative_or_unreadable(typed.impressions, typed.impressions_value, 'impressions', 'an integer'),
    negative_or_unreadable(typed.clicks, typed.clicks_value, 'clicks', 'an integer'),
    negative_or_unreadable(typed.conversions, typed.conversions_value, 'conversions', 'a number')
  ]) AS _warnings
FROM typed
LEFT JOIN month_rows
  ON NOT typed.is_month AND month_rows.channel_value = typed.channel_value
 AND month_rows.date_value = date_trunc('month', typed.date_value)
