-- demographic_cells: seed 001's profile measures for every age band (breakdown 'age_band', gender 'all') and
-- every gender × age band ('gender_age'), computed once so that age_band_profile and gender_age_profile, which
-- publish its two cuts, count alike. Gender and age band are customers' (customers.sql defines them).
-- Only cells with customers are listed.
-- Reads: customers, rfm, order_lines, products, platforms.
WITH cells AS (
  SELECT 'age_band' AS breakdown, 'all' AS gender, age_band, member_id FROM customers
  UNION ALL
  SELECT 'gender_age', gender, age_band, member_id FROM customers
),
-- Purchases are summed per customer first, so each line is read once however many cells count its customer.
-- Not materialized: its three readers each read order_lines rather than a copy of it written out first, faster
-- at a million customers (README, What made it faster).
purchase_lines AS NOT MATERIALIZED (
  SELECT lines.member_id, lines.order_id, lines.promotion_id, lines.platform_id, products.category, lines.revenue
  FROM order_lines AS lines
  LEFT JOIN products USING (product_id)
  WHERE lines.is_purchase
),
-- The promotion is the order's, repeated on each of its lines.
member_orders AS (
  SELECT member_id,
         count(DISTINCT order_id) AS orders,
         count(DISTINCT order_id) FILTER (WHERE promotion_id IS NOT NULL) AS promotion_orders
  FROM purchase_lines
  GROUP BY member_id
),
member_categories AS (
  SELECT member_id, category, money_sum(revenue) AS spend
  FROM purchase_lines WHERE category IS NOT NULL
  GROUP BY ALL
),
member_platforms AS (
  SELECT member_id, platform_id, count(DISTINCT order_id) AS orders
  FROM purchase_lines WHERE platform_id IS NOT NULL
  GROUP BY ALL
),
people AS (
  SELECT cells.breakdown, cells.gender, cells.age_band,
         count(*) AS customers,
         count(*) FILTER (WHERE customers.orders_count > 0) AS buyers,
         money_sum(customers.revenue) AS revenue,
         count(rfm.member_id) AS scored_customers,
         avg(rfm.r_score) AS mean_r_score,
         avg(rfm.f_score) AS mean_f_score,
         avg(rfm.m_score) AS mean_m_score,
         avg(rfm.recency_days) AS mean_recency_days,
         avg(rfm.frequency) AS mean_frequency,
         money_avg(rfm.monetary) AS mean_monetary,
         sum(member_orders.orders) AS orders,
         sum(member_orders.promotion_orders) AS promotion_orders,
         count(*) FILTER (WHERE member_orders.promotion_orders > 0) AS promotion_buyers
  FROM cells
  JOIN customers USING (member_id)
  LEFT JOIN rfm USING (member_id)
  LEFT JOIN member_orders USING (member_id)
  GROUP BY ALL
),
-- Categories by revenue of purchase lines, platforms by purchase orders, as customers' favourites; ties go to
-- the smaller name.
category_ranking AS (
  SELECT breakdown, gender, age_band, list(category ORDER BY spend DESC, category)[1:3] AS top_categories
  FROM (SELECT cells.breakdown, cells.gender, cells.age_band, member_categories.category,
               money_sum(member_categories.spend) AS spend
        FROM cells JOIN member_categories USING (member_id)
        GROUP BY ALL)
  GROUP BY ALL
),
platform_ranking AS (
  SELECT breakdown, gender, age_band, list(platform ORDER BY orders DESC, platform)[1:3] AS top_platforms
  FROM (SELECT cells.breakdown, cells.gender, cells.age_band,
               coalesce(platforms.platform_name, member_platforms.platform_id) AS platform,
               sum(member_platforms.orders) AS orders
        FROM cells
        JOIN member_platforms USING (member_id)
        LEFT JOIN platforms USING (platform_id)
        GROUP BY ALL)
  GROUP BY ALL
),
totals AS (
  SELECT count(*) AS customers, money_sum(revenue) AS revenue FROM customers
)
SELECT
  people.breakdown,
  people.gender,
  people.age_band,
  people.customers,
  people.customers / totals.customers AS customer_share,
  people.buyers,
  people.revenue,
  people.revenue / nullif(totals.revenue, 0) AS revenue_share,
  people.scored_customers,
  people.mean_r_score,
  people.mean_f_score,
  people.mean_m_score,
  people.mean_recency_days,
  people.mean_frequency,
  people.mean_monetary,
  people.promotion_orders / nullif(people.orders, 0) AS promo_order_share,
  people.promotion_buyers / nullif(people.buyers, 0) AS promo_customer_share,
  coalesce(category_ranking.top_categories, CAST([] AS VARCHAR[])) AS top_categories,
  coalesce(platform_ranking.top_platforms, CAST([] AS VARCHAR[])) AS top_platforms
FROM people
CROSS JOIN totals
LEFT JOIN category_ranking USING (breakdown, gender, age_band)
LEFT JOIN platform_ranking USING (breakdown, gender, age_band)
ORDER BY people.breakdown, people.gender, people.age_band
