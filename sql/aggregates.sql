-- Aggregates whose result does not depend on the order rows arrive in. DuckDB aggregates in parallel, and a
-- floating-point sum depends on the order of its terms: with plain sum(), the same input could publish other
-- last digits from one run to the next. Money is summed exactly, as DECIMAL to a millionth of the currency
-- unit, and returned as DOUBLE; other doubles are aggregated in sorted order (avg(x ORDER BY x)).
CREATE OR REPLACE MACRO money_sum(amount) AS CAST(sum(CAST(amount AS DECIMAL(38, 6))) AS DOUBLE);
CREATE OR REPLACE MACRO money_avg(amount) AS CAST(avg(CAST(amount AS DECIMAL(38, 6))) AS DOUBLE);
-- The mean of values known to a millionth that are not money (a discount percentage, a satisfaction score),
-- summed exactly too: a sorted avg(x ORDER BY x) holds each group's values in memory, and a million customers'
-- groups outgrew a 1.5 GB limit.
CREATE OR REPLACE MACRO exact_avg(value) AS money_avg(value);
