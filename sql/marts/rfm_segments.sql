-- rfm_segments: one row per named segment that has customers: its size and share, mean recency, frequency
-- and monetary value, and its revenue and share of revenue. Reads: rfm.
SELECT
  segment,
  count(*) AS customers,
  count(*) / sum(count(*)) OVER () AS customer_share,
  avg(recency_days) AS mean_recency_days,
  avg(frequency) AS mean_frequency,
  money_avg(monetary) AS mean_monetary,
  money_sum(monetary) AS revenue,
  money_sum(monetary) / (SELECT money_sum(monetary) FROM rfm) AS revenue_share
FROM rfm
GROUP BY segment
ORDER BY revenue DESC, segment
