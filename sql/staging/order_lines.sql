-- order_lines: every kept order line with its order's header, in one layout whichever way orders arrived.
-- The base of every customer metric. Reads: orders_kept, order_items_kept.
-- Variables: line_level_orders, revenue_definition.
-- A line is known when its order is (_known_at).
WITH lines AS (
  SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY _row_number) AS line_number,
         ordered_at, member_id, status, platform_id, promotion_id, product_id, quantity, unit_price, line_amount, _known_at
  FROM orders_kept
  WHERE getvariable('line_level_orders')
  UNION ALL
  SELECT orders.order_id, items.line_number, orders.ordered_at, orders.member_id, orders.status, orders.platform_id,
         orders.promotion_id, items.product_id, items.quantity, items.unit_price, items.line_amount, orders._known_at
  FROM order_items_kept AS items
  JOIN orders_kept AS orders ON orders.order_id = items.order_id
  WHERE NOT getvariable('line_level_orders')
)
SELECT
  order_id,
  CAST(line_number AS BIGINT) AS line_number,
  ordered_at,
  CAST(ordered_at AS DATE) AS order_date, -- the business date: sessions run in the business time zone
  member_id,
  status,
  platform_id,
  promotion_id,
  product_id,
  quantity,
  unit_price,
  line_amount, -- the line's value: as exported, or quantity × unit_price
  -- A cancelled order's lines never became revenue; a negative line (a return, a cancellation document such as
  -- UCI's C-invoices) reverses revenue that was counted when it was bought.
  CASE WHEN status = 'cancelled' AND quantity > 0 THEN 0.0 ELSE line_amount END AS net_amount,
  quantity > 0 AND status <> 'cancelled' AS is_purchase,
  -- What every table counts as the line's revenue (revenue.definition), decided here once: 'net' as net_amount;
  -- 'gross' counts purchase lines only and ignores cancellations and returns, as most notebooks do.
  CASE getvariable('revenue_definition')
    WHEN 'net' THEN net_amount
    WHEN 'gross' THEN CASE WHEN is_purchase THEN line_amount ELSE 0.0 END
  END AS revenue,
  _known_at
FROM lines
