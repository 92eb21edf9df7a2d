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
