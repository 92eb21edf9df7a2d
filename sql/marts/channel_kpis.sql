-- channel_kpis: seed 003's acquisition economics per acquisition channel (customers.acquisition_channel): one row
-- per channel and business month (`period` 'month', `month` its first day) and one per channel over everything
-- known by the run date (`period` 'total', `month` NULL). Customers whose channel is unknown form the rows of
-- channel NULL. Reads: customers, clv, marketing_spend (the run date's cut), unpaid_channels (channels.unpaid;
-- may be empty). Variables: run_date.
--
-- A row's customers: the channel's customers whose first purchase fell in the month (total: by the run date).
-- new_customers   how many they are
-- spend           the channel's spend in the period: day rows as recorded, a month row spread evenly over its days
--                 (in the run date's month, the days up to the run date count); NULL without a spend row
-- cac             spend / new_customers; 0 for an unpaid channel, NULL without spend or without new customers
-- historic_ltv    mean revenue to date of the row's customers (revenue.definition, as customers.revenue)
-- predicted_clv   mean clv.predicted_clv of those lifetime value scored (positive revenue)
-- monthly_revenue_per_customer  their revenue to date / their months as customers, a customer's months being
--                 the days from the first purchase day to the run date, both included, over 30, at least 1
-- ltv_to_cac      historic_ltv / cac; payback_months  cac / monthly_revenue_per_customer. Both NULL for an
--                 unpaid channel, and where the divisor is not positive.
WITH buyers AS (
  SELECT customers.acquisition_channel AS channel,
         CAST(date_trunc('month', CAST(customers.first_order_at AS DATE)) AS DATE) AS month,
         customers.revenue,
         greatest(customers.days_since_first_order + 1, 30) AS days_as_customer,
         clv.predicted_clv
  FROM customers LEFT JOIN clv USING (member_id)
  WHERE customers.orders_count > 0
),
cohorts AS (
  SELECT channel, month, GROUPING(month) = 1 AS is_total,
         count(*) AS new_customers,
         money_sum(revenue) AS revenue,
         money_avg(revenue) AS historic_ltv,
         avg(predicted_clv ORDER BY predicted_clv) AS predicted_clv,
         sum(days_as_customer) AS days_as_customers
  FROM buyers
  GROUP BY GROUPING SETS ((channel, month), (channel))
),
spend_rows AS (
  SELECT channel, CAST(date_trunc('month', date) AS DATE) AS month, spend, impressions, clicks, conversions,
         CASE WHEN period = 'month'
              THEN least(date_diff('day', date, getvariable('run_date')) + 1, day(last_day(date))) / day(last_day(date))
              ELSE 1 END AS counted_share
  FROM marketing_spend
),
spend AS (
  SELECT channel, month, GROUPING(month) = 1 AS is_total,
         money_sum(spend * counted_share) AS spend,
         sum(impressions * counted_share ORDER BY impressions * counted_share) AS impressions,
         sum(clicks * counted_share ORDER BY clicks * counted_share) AS clicks,
         sum(conversions * counted_share ORDER BY conversions * counted_share) AS conversions
  FROM spend_rows
  GROUP BY GROUPING SETS ((channel, month), (channel))
),
cells AS (
  SELECT coalesce(cohorts.channel, spend.channel) AS channel,
         coalesce(cohorts.is_total, spend.is_total) AS is_total,
         coalesce(cohorts.month, spend.month) AS month,
         coalesce(cohorts.new_customers, 0) AS new_customers,
         spend.spend, spend.impressions, spend.clicks, spend.conversions,
         cohorts.revenue, cohorts.historic_ltv, cohorts.predicted_clv,
         cohorts.revenue * 30 / cohorts.days_as_customers AS monthly_revenue_per_customer
  FROM cohorts
  FULL JOIN spend
    ON spend.channel = cohorts.channel AND spend.is_total = cohorts.is_total AND spend.month IS NOT DISTINCT FROM cohorts.month
),
-- A channel is unpaid when channels.unpaid lists it; the customers of no known channel are neither.
paid AS (
  SELECT *, CASE WHEN channel IS NOT NULL THEN channel NOT IN (SELECT channel FROM unpaid_channels) END AS is_paid FROM cells
),
costed AS (
  SELECT *, CASE WHEN NOT is_paid THEN 0.0 ELSE spend / nullif(new_customers, 0) END AS cac FROM paid
)
SELECT
  channel,
  CASE WHEN is_total THEN 'total' ELSE 'month' END AS period,
  month,
  is_paid,
  CAST(new_customers AS BIGINT) AS new_customers,
  spend,
  impressions,
  clicks,
  conversions,
  cac,
  revenue,
  historic_ltv,
  predicted_clv,
  monthly_revenue_per_customer,
  CASE WHEN is_paid AND cac > 0 THEN historic_ltv / cac END AS ltv_to_cac,
  CASE WHEN is_paid AND monthly_revenue_per_customer > 0 THEN cac / monthly_revenue_per_customer END AS payback_months
FROM costed
ORDER BY channel NULLS LAST, is_total DESC, month
