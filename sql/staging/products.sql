-- products: one row per product, typed, with its problem (only a missing product_id removes a product; an
-- unreadable list price becomes NULL with a warning). Products have no time: always known.
-- Reads: raw.
SELECT
  blank_to_null(product_id) AS product_id,
  blank_to_null(product_name) AS product_name,
  blank_to_null(category) AS category,
  parse_number(list_price) AS list_price,
  _row_number,
  _content_hash,
  _content_check,
  blank_to_null(product_id) AS _record_key,
  CAST(NULL AS TIMESTAMPTZ) AS _event_at,
  CASE WHEN blank_to_null(product_id) IS NULL THEN problem('missing_value', 'product_id', 'product_id is empty') END AS _problem,
  warnings([
    CASE WHEN blank_to_null(list_price) IS NOT NULL AND parse_number(list_price) IS NULL
         THEN problem('invalid_number', 'list_price', unreadable(list_price, 'a number')) END
  ]) AS _warnings
FROM raw
