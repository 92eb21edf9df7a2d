-- orders: one row per order (or per order line in the line-level layout), typed, with its first problem.
-- Every field an order needs is required: a problem with any of them removes the order.
-- Reads: raw (the ingested text of the file), known_members, quarantined_members (member_problem), known_products.
-- Variables: timestamp_format, cancelled_order_prefix, line_level_orders, line_amounts, has_members, has_products.
WITH typed AS (
  SELECT
    raw.*,
    blank_to_null(raw.order_id) AS order_id_value,
    plausible_instant(raw.ordered_at, getvariable('timestamp_format')) AS ordered_at_value,
    blank_to_null(raw.member_id) AS member_id_value,
    CASE
      -- A cancellation document (UCI Online Retail: InvoiceNo C536379) whatever the status column says.
      WHEN getvariable('cancelled_order_prefix') IS NOT NULL
       AND starts_with(trim(raw.order_id), getvariable('cancelled_order_prefix')) THEN 'cancelled'
      WHEN blank_to_null(raw.status) IS NULL THEN 'completed'
      WHEN lower(trim(raw.status)) IN ('completed', 'complete', 'delivered', 'shipped', 'paid') THEN 'completed'
      WHEN lower(trim(raw.status)) IN ('cancelled', 'canceled') THEN 'cancelled'
      WHEN lower(trim(raw.status)) IN ('returned', 'refunded') THEN 'returned'
    END AS status_value,
    blank_to_null(raw.product_id) AS product_id_value,
    parse_integer(raw.quantity) AS quantity_value,
    line_unit_price(quantity_value, raw.unit_price, raw.line_amount) AS unit_price_value,
    line_value(quantity_value, raw.unit_price, raw.line_amount) AS line_amount_value
  FROM raw
)
SELECT
  order_id_value AS order_id,
  ordered_at_value AS ordered_at,
  member_id_value AS member_id,
  status_value AS status,
  blank_to_null(platform_id) AS platform_id,
  blank_to_null(promotion_id) AS promotion_id,
  product_id_value AS product_id,
  quantity_value AS quantity,
  unit_price_value AS unit_price,
  line_amount_value AS line_amount,
  _row_number,
  _content_hash,
  _content_check,
  order_id_value AS _record_key,
  ordered_at_value AS _event_at,
  coalesce(
    CASE WHEN order_id_value IS NULL THEN problem('missing_value', 'order_id', 'order_id is empty') END,
    quote_in_id(order_id_value, 'order_id'),
    CASE WHEN ordered_at_value IS NULL
         THEN coalesce(instant_problem(typed.ordered_at, getvariable('timestamp_format'), 'ordered_at'),
                       problem('unparseable_timestamp', 'ordered_at', unreadable(typed.ordered_at, 'a timestamp'))) END,
    CASE WHEN member_id_value IS NULL THEN problem('missing_member', 'member_id', 'member_id is empty (guest order): it cannot be attributed to a customer') END,
    quote_in_id(member_id_value, 'member_id'),
    CASE WHEN status_value IS NULL THEN problem('invalid_value', 'status', 'status ''' || typed.status || ''' is not completed, cancelled or returned') END,
    member_problem(member_id_value),
    CASE WHEN getvariable('line_level_orders') THEN line_problem(typed.quantity, quantity_value, typed.unit_price, typed.line_amount) END,
    CASE WHEN getvariable('line_level_orders') AND getvariable('has_products') AND product_id_value IS NOT NULL
          AND product_id_value NOT IN (SELECT product_id FROM known_products)
         THEN problem('unknown_product', 'product_id', 'product ''' || product_id_value || ''' is not in products') END
  ) AS _problem,
  no_warnings() AS _warnings
FROM typed
