-- order_items: one row per order line, typed, with its first problem. A line is known when its order is.
-- Reads: raw, orders_checked (the orders model's output, every row), known_products.
-- Variables: has_products, line_amounts, orders_row_ref_prefix (row_ref of the orders file).
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.order_id) AS order_id_value,
    coalesce(parse_integer(raw.line_number), raw._row_number) AS line_number_value,
    blank_to_null(raw.product_id) AS product_id_value,
    parse_integer(raw.quantity) AS quantity_value,
    line_unit_price(quantity_value, raw.unit_price, raw.line_amount) AS unit_price_value,
    line_value(quantity_value, raw.unit_price, raw.line_amount) AS line_amount_value
  FROM raw
),
-- Orders appear once each after cleaning; a duplicated header row must not duplicate its lines.
order_headers AS (
  SELECT order_id, any_value(_event_at) AS ordered_at, bool_and(_problem IS NOT NULL) AS quarantined,
         getvariable('orders_row_ref_prefix') || min(_row_number) AS row_ref
  FROM orders_checked
  WHERE order_id IS NOT NULL
  GROUP BY order_id
)
SELECT
  typed.order_id_value AS order_id,
  typed.line_number_value AS line_number,
  typed.product_id_value AS product_id,
  typed.quantity_value AS quantity,
  typed.unit_price_value AS unit_price,
  typed.line_amount_value AS line_amount,
  typed._row_number,
  typed._content_hash,
  typed._content_check,
  typed.order_id_value || '#' || typed.line_number_value AS _record_key,
  order_headers.ordered_at AS _event_at,
  coalesce(
    CASE WHEN typed.order_id_value IS NULL THEN problem('missing_value', 'order_id', 'order_id is empty') END,
    quote_in_id(typed.order_id_value, 'order_id'),
    quote_in_id(typed.product_id_value, 'product_id'),
    CASE WHEN order_headers.order_id IS NULL THEN problem('unknown_order', 'order_id', 'order ''' || typed.order_id_value || ''' is not in orders') END,
    CASE WHEN order_headers.quarantined THEN problem('order_quarantined', 'order_id', 'its order was quarantined (' || order_headers.row_ref || ')') END,
    line_problem(typed.quantity, typed.quantity_value, typed.unit_price, typed.line_amount),
    CASE WHEN getvariable('has_products') AND typed.product_id_value IS NOT NULL
          AND typed.product_id_value NOT IN (SELECT product_id FROM known_products)
         THEN problem('unknown_product', 'product_id', 'product ''' || typed.product_id_value || ''' is not in products') END
  ) AS _problem,
  no_warnings() AS _warnings
FROM typed
LEFT JOIN order_headers ON order_headers.order_id = typed.order_id_value
