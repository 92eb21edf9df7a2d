import { Warehouse } from '../../lib/duckdb';

/**
 * customers.sql, churn_inputs.sql and discount_inputs.sql keep a window of business dates ("after run_date − N")
 * by comparing instants with the start of a business day, CAST(run_date − N + 1 AS TIMESTAMPTZ), instead of
 * casting every instant to a date. Both must keep the same rows, also where a time zone skips its midnight
 * (Santiago and Beirut start daylight saving at 00:00, so their day starts at 01:00).
 */
test.each(['America/Santiago', 'Asia/Beirut', 'Asia/Seoul', 'UTC'])(
  'a window of business dates is the same kept as instants as cast to dates, in %s',
  async (timeZone) => {
    const counts = await Warehouse.using({ timeZone }, (warehouse) =>
      warehouse.rows<{ compared: bigint; disagreeing: bigint; kept: bigint }>(`
        SELECT count(*) AS compared,
               count(*) FILTER (WHERE (CAST(instant AS DATE) > day - 30) <> (instant >= CAST(day - 29 AS TIMESTAMPTZ))) AS disagreeing,
               count(*) FILTER (WHERE instant >= CAST(day - 29 AS TIMESTAMPTZ)) AS kept
        FROM (SELECT TIMESTAMPTZ '2021-12-01 00:00:00+00' + to_minutes(i * 13) AS instant FROM range(0, 90000) AS t(i))
        CROSS JOIN (SELECT DATE '2022-01-01' + CAST(j AS INTEGER) AS day FROM range(0, 700, 17) AS t(j))`),
    );
    expect(counts).toEqual([{ compared: 3_780_000n, disagreeing: 0n, kept: expect.any(BigInt) }]);
    expect(counts[0]!.kept).toBeGreaterThan(0n);
  },
);
