-- pandas.qcut in exact integer arithmetic. qcut cuts at np.quantile's linear-interpolation quantiles, bins
-- closed on the right, the first bin also holding its lower edge. pandas (>= 3) nudges quantiles that binary
-- floating point cannot hold (1/3, 0.6, ...) upwards, which is what the exact forms below give; the fixtures
-- in test/fixtures/reference, made by pandas itself, prove it.

-- quintile_of_rank(rank, n): the bin 1-5 that qcut(ranks, 5) gives rank `rank` of 1..n, i.e. the smallest i
-- with rank <= 1 + (n - 1) * i / 5. pandas refuses n = 1 (all edges equal); a single customer gets bin 1.
CREATE OR REPLACE MACRO quintile_of_rank(rank, n) AS
  CASE WHEN n <= 1 THEN 1
       ELSE CAST(greatest(1, ceil(5 * (rank - 1) / (n - 1))) AS INTEGER) END;

-- tercile_edge_x3(sorted, k): three times the k-th inner edge (k = 1 or 2) of qcut(values, 3), where `sorted`
-- is the list of all values in ascending order: the value at position (n - 1) * k / 3 plus that position's
-- remainder (in thirds) of the step to the next value. Tripled so that the edge stays a whole number.
CREATE OR REPLACE MACRO tercile_edge_x3(sorted, k) AS
  3 * sorted[1 + (len(sorted) - 1) * k // 3]
  + (sorted[least(len(sorted), 2 + (len(sorted) - 1) * k // 3)] - sorted[1 + (len(sorted) - 1) * k // 3])
    * ((len(sorted) - 1) * k % 3);

-- tercile_label(value, edge1_x3, edge2_x3, low, middle, high): the label qcut(values, 3, labels=[low, middle,
-- high]) gives `value`. Where two edges coincide pandas refuses the whole column; the same rule still labels it.
CREATE OR REPLACE MACRO tercile_label(value, edge1_x3, edge2_x3, low, middle, high) AS
  CASE WHEN 3 * value <= edge1_x3 THEN low WHEN 3 * value <= edge2_x3 THEN middle ELSE high END;

-- quartile_edge_x4(sorted, k): four times the k-th inner edge (k = 1, 2 or 3) of qcut(values, 4) on doubles,
-- where `sorted` lists all values in ascending order. numpy interpolates between a = the value at position
-- (n - 1) * k / 4 and the next one, b, as a + (b - a) t below t = 1/2 and b - (b - a)(1 - t) from there; times
-- four, t is a whole number of quarters and the scaling is exact, so the edge has numpy's very last digit.
CREATE OR REPLACE MACRO quartile_edge_x4(sorted, k) AS
  CASE WHEN (len(sorted) - 1) * k % 4 < 2
       THEN 4 * sorted[1 + (len(sorted) - 1) * k // 4]
            + (sorted[least(len(sorted), 2 + (len(sorted) - 1) * k // 4)] - sorted[1 + (len(sorted) - 1) * k // 4])
              * ((len(sorted) - 1) * k % 4)
       ELSE 4 * sorted[least(len(sorted), 2 + (len(sorted) - 1) * k // 4)]
            - (sorted[least(len(sorted), 2 + (len(sorted) - 1) * k // 4)] - sorted[1 + (len(sorted) - 1) * k // 4])
              * (4 - (len(sorted) - 1) * k % 4) END;

-- quartile_label(value, edge1_x4, edge2_x4, edge3_x4, labels): the label of qcut(values, 4, labels=labels),
-- bins closed on the right. Coinciding edges, which pandas refuses, still label by the same rule.
CREATE OR REPLACE MACRO quartile_label(value, edge1_x4, edge2_x4, edge3_x4, labels) AS
  CASE WHEN 4 * value <= edge1_x4 THEN labels[1] WHEN 4 * value <= edge2_x4 THEN labels[2]
       WHEN 4 * value <= edge3_x4 THEN labels[3] ELSE labels[4] END;
