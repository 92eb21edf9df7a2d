-- quarantine: every problem found in a row of the input files, one row per problem: an error removed the row
-- from the cleaned base, a warning set an optional field to NULL and kept the row. `line` is the row's line in
-- its file (its row number in a Parquet file), `row_ref` the same as a person cites it (orders.csv:42), `detail`
-- the sentence that explains the problem. Built with the cleaned base, so it does not depend on the run date.
-- Reads: row_problems (each source's problems, collected by the clean stage).
SELECT source, file, line, row_ref, record_key, field, reason, severity, detail
FROM row_problems
-- A row with several warnings has one problem per field: the field orders them, so reruns write the same bytes.
ORDER BY source, line, row_ref, field, reason
