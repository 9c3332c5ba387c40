// An OPPS Addendum B release: one Benchmark per code (status indicator, APC, weight, payment
// rate, copayments). Rows for codes that no loaded HCPCS release knows are skipped and counted,
// never invented.
import { writeChunks } from '../bulk.js';
import { diffReleases } from '../../db/release-diff.js';
import type { OppsRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';

const INSERT_BENCHMARKS = `
  INSERT INTO benchmark (code_id, release_id, status_indicator, apc, relative_weight, payment_rate, national_copayment, minimum_copayment)
  SELECT c.id, $2::int, r.status_indicator, r.apc, r.relative_weight::numeric, r.payment_rate::numeric,
         r.national_copayment::numeric, r.minimum_copayment::numeric
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, status_indicator text, apc text, relative_weight text,
       payment_rate text, national_copayment text, minimum_copayment text)
  JOIN code c ON c.code = r.code`;

const SKIPPED_SAMPLE = `
  SELECT r.code FROM jsonb_to_recordset($1::jsonb) AS r(code text)
  WHERE NOT EXISTS (SELECT 1 FROM code c WHERE c.code = r.code) ORDER BY r.code LIMIT 10`;

export async function writeOpps(ctx: WriteContext, rates: readonly OppsRecord[]): Promise<WriteResult> {
  const rows = rates.map((r) => ({
    code: r.code,
    status_indicator: r.statusIndicator,
    apc: r.apc,
    relative_weight: r.relativeWeight,
    payment_rate: r.paymentRate,
    national_copayment: r.nationalCopayment,
    minimum_copayment: r.minimumCopayment,
  }));
  const written = await writeChunks(ctx.tx, INSERT_BENCHMARKS, rows, [ctx.release.id], ctx.progress);
  const skipped = rows.length - written;
  const skippedSample =
    skipped > 0
      ? (await ctx.tx.query<{ code: string }>(SKIPPED_SAMPLE, JSON.stringify(rows.map((r) => ({ code: r.code }))))).map(
          (r) => r.code,
        )
      : [];
  const { counts, samples } = await diffReleases(ctx.tx, 'OPPS', ctx.previous?.id ?? null, ctx.release.id);
  return { counts, samples, extra: { benchmarks: written, skippedUnknownCodes: skipped, skippedSample } };
}
