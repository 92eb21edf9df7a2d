-- rfm: recency, frequency and monetary value of every customer with at least one purchase and positive revenue,
-- their 1-5 scores, RFM class and named segment. Reads: customers, segment_rules.
-- Variables: frequency_basis ('orders' or 'lines').
--
-- recency_days: whole calendar days from the business date of the last purchase to the run date (0 = today).
-- frequency:    purchase orders (or purchase lines), not counting cancelled orders and return documents.
-- monetary:     revenue by revenue.definition: net (purchases minus returns and cancellations) or gross. Customers
--               whose returns cancel out their purchases (monetary <= 0) are left out and counted by the stage: as
--               the lowest quintile they would push real buyers up a score.
-- Scores follow seed 000: qcut(series.rank(method='first'), 5), ties ranked by member_id; recency reversed.
-- rfm_class follows seed 001: qcut(rfm_score, 3, labels=['silver', 'gold', 'platinum']).
WITH base AS (
  SELECT member_id, recency_days,
         CASE WHEN getvariable('frequency_basis') = 'lines' THEN order_lines_count ELSE orders_count END AS frequency,
         revenue AS monetary
  FROM customers
  WHERE orders_count > 0 AND revenue > 0
),
ranked AS (
  SELECT *,
         count(*) OVER () AS n,
         row_number() OVER (ORDER BY recency_days, member_id) AS recency_rank,
         row_number() OVER (ORDER BY frequency, member_id) AS frequency_rank,
         row_number() OVER (ORDER BY monetary, member_id) AS monetary_rank
  FROM base
),
scored AS (
  SELECT member_id, recency_days, frequency, monetary,
         6 - quintile_of_rank(recency_rank, n) AS r_score,
         quintile_of_rank(frequency_rank, n) AS f_score,
         quintile_of_rank(monetary_rank, n) AS m_score,
         r_score + f_score + m_score AS rfm_score
  FROM ranked
),
class_edges AS (
  SELECT tercile_edge_x3(sorted, 1) AS edge1_x3, tercile_edge_x3(sorted, 2) AS edge2_x3
  FROM (SELECT list(rfm_score ORDER BY rfm_score) AS sorted FROM scored)
)
SELECT
  member_id, recency_days, frequency, monetary, r_score, f_score, m_score,
  CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_cell,
  rfm_score,
  tercile_label(rfm_score, edge1_x3, edge2_x3, 'silver', 'gold', 'platinum') AS rfm_class,
  (SELECT rule.segment FROM segment_rules AS rule
   WHERE r_score BETWEEN rule.r_min AND rule.r_max
     AND f_score BETWEEN rule.f_min AND rule.f_max
     AND m_score BETWEEN rule.m_min AND rule.m_max
   ORDER BY rule.priority LIMIT 1) AS segment
FROM scored CROSS JOIN class_edges
ORDER BY member_id
