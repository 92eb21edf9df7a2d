-- pareto_top20_revenue_share (the manifest's statistics.paretoTop20RevenueShare): the share of revenue brought by
-- the top 20% of scored customers by monetary value, ⌈0.2 n⌉ customers, ties by member_id. NULL without revenue.
-- Reads: rfm. Macros: money_sum (aggregates.sql).
SELECT money_sum(CASE WHEN position <= ceil(0.2 * customers) THEN monetary END) / money_sum(monetary) AS pareto_top20_revenue_share
FROM (
  SELECT monetary, row_number() OVER (ORDER BY monetary DESC, member_id) AS position, count(*) OVER () AS customers
  FROM rfm
)
