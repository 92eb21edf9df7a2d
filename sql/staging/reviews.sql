-- reviews: one row per review, typed, with its first problem (a product that is not in products becomes NULL
-- with a warning: the review still tells about its member). Known from reviewed_at on.
-- Reads: raw, known_members, quarantined_members (member_problem), known_products. Variables: timestamp_format, has_members, has_products.
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.member_id) AS member_id_value,
    blank_to_null(raw.product_id) AS product_id_value,
    parse_integer(raw.rating) AS rating_value,
    plausible_instant(raw.reviewed_at, getvariable('timestamp_format')) AS reviewed_at_value
  FROM raw
)
SELECT
  coalesce(blank_to_null(review_id), row_ref(_row_number)) AS review_id,
  member_id_value AS member_id,
  CASE WHEN NOT (getvariable('has_products') AND product_id_value NOT IN (SELECT product_id FROM known_products))
       THEN product_id_value END AS product_id,
  rating_value AS rating,
  reviewed_at_value AS reviewed_at,
  _row_number,
  _content_hash,
  _content_check,
  coalesce(blank_to_null(review_id), row_ref(_row_number)) AS _record_key,
  reviewed_at_value AS _event_at,
  coalesce(
    CASE WHEN member_id_value IS NULL THEN problem('missing_member', 'member_id', 'member_id is empty') END,
    quote_in_id(member_id_value, 'member_id'),
    CASE WHEN reviewed_at_value IS NULL
         THEN coalesce(instant_problem(typed.reviewed_at, getvariable('timestamp_format'), 'reviewed_at'),
                       problem('unparseable_timestamp', 'reviewed_at', unreadable(typed.reviewed_at, 'a timestamp'))) END,
    CASE WHEN rating_value IS NULL OR rating_value NOT BETWEEN 1 AND 5
         THEN problem('invalid_rating', 'rating', 'rating ' || coalesce('''' || typed.rating || '''', 'empty') || ' is not a whole number from 1 to 5') END,
    member_problem(member_id_value)
  ) AS _problem,
  warnings([
    CASE WHEN getvariable('has_products') AND product_id_value IS NOT NULL AND product_id_value NOT IN (SELECT product_id FROM known_products)
         THEN problem('unknown_product', 'product_id', 'product ''' || product_id_value || ''' is not in products') END
  ]) AS _warnings
FROM typed
