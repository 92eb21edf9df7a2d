-- quintile_of_rank(rank, n): the bin 1-5 that pandas.qcut(ranks, 5) gives rank `rank` of 1..n.
-- qcut cuts at the quantiles 1 + (n - 1) * i / 5 of the ranks, bins closed on the right, the first bin also
-- holding its lower edge; so the bin is the smallest i with rank <= 1 + (n - 1) * i / 5. A single customer gets 1.
CREATE OR REPLACE MACRO quintile_of_rank(rank, n) AS
  CASE WHEN n <= 1 THEN 1
       ELSE CAST(greatest(1, ceil(5 * (rank - 1) / (n - 1))) AS INTEGER) END;
