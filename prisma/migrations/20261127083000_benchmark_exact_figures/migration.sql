-- Benchmarks hold the figures exactly as OPPS Addendum B gives them: payment rates come with up to
-- four decimals (e.g. 282.278) and weights with four, which numeric(12,2) / numeric(12,4) would
-- round. Unconstrained numeric stores every published digit.
ALTER TABLE "benchmark"
  ALTER COLUMN "relative_weight" TYPE numeric,
  ALTER COLUMN "payment_rate" TYPE numeric,
  ALTER COLUMN "national_copayment" TYPE numeric,
  ALTER COLUMN "minimum_copayment" TYPE numeric;
