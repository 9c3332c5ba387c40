// A HCPCS Level II release: a Code identity row for every new code, one CodeVersion per code
// (a full snapshot of the CMS fields), and the RECID 7 modifiers as a MODIFIER release of the
// same name, date and file.
import { contentHash } from '../content-hash.js';
import { day, writeChunks } from '../bulk.js';
import { diffReleases } from '../../db/release-diff.js';
import type { HcpcsCodeRecord, ModifierRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeModifiers } from './modifiers.js';

/**
 * An HCPCS file's modifier rows make the MODIFIER release of the file's release name (a companion
 * of its HCPCS release), which ingest-dir plans for.
 */
export function makesModifierRelease(modifiers: readonly ModifierRecord[]): boolean {
  return modifiers.length > 0;
}

const INSERT_CODES = `
  INSERT INTO code (code)
  SELECT r.code FROM jsonb_to_recordset($1::jsonb) AS r(code text)
  ON CONFLICT (code) DO NOTHING`;

const VERSION_COLUMNS = [
  ['long_description', 'text'],
  ['short_description', 'text'],
  ['pricing_indicators', 'text[]'],
  ['multiple_pricing_indicator', 'text'],
  ['cim_references', 'text[]'],
  ['mcm_references', 'text[]'],
  ['statute', 'text'],
  ['lab_certifications', 'text[]'],
  ['cross_references', 'text[]'],
  ['coverage_code', 'text'],
  ['asc_group', 'text'],
  ['asc_effective_date', 'date'],
  ['processing_note', 'text'],
  ['betos', 'text'],
  ['types_of_service', 'text[]'],
  ['anesthesia_base_units', 'int'],
  ['add_date', 'date'],
  ['action_effective_date', 'date'],
  ['termination_date', 'date'],
  ['action_code', 'text'],
  ['content_hash', 'text'],
] as const;

const INSERT_VERSIONS = `
  INSERT INTO code_version (code_id, release_id, code, ${VERSION_COLUMNS.map(([c]) => c).join(', ')})
  SELECT c.id, $2::int, r.code, ${VERSION_COLUMNS.map(([c]) => `r.${c}`).join(', ')}
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, ${VERSION_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
  JOIN code c ON c.code = r.code`;

function versionRow(record: HcpcsCodeRecord) {
  const { at: _at, code, ...fields } = record;
  return {
    code,
    long_description: fields.longDescription,
    short_description: fields.shortDescription,
    pricing_indicators: fields.pricingIndicators,
    multiple_pricing_indicator: fields.multiplePricingIndicator,
    cim_references: fields.cimReferences,
    mcm_references: fields.mcmReferences,
    statute: fields.statute,
    lab_certifications: fields.labCertifications,
    cross_references: fields.crossReferences,
    coverage_code: fields.coverageCode,
    asc_group: fields.ascGroup,
    asc_effective_date: day(fields.ascEffectiveDate),
    processing_note: fields.processingNote,
    betos: fields.betos,
    types_of_service: fields.typesOfService,
    anesthesia_base_units: fields.anesthesiaBaseUnits,
    add_date: day(fields.addDate),
    action_effective_date: day(fields.actionEffectiveDate),
    termination_date: day(fields.terminationDate),
    action_code: fields.actionCode,
    // The same hash the starter data uses: every published field, the code itself left out.
    content_hash: contentHash(fields),
  };
}

export async function writeHcpcs(
  ctx: WriteContext,
  codes: readonly HcpcsCodeRecord[],
  modifiers: readonly ModifierRecord[],
): Promise<WriteResult> {
  const rows = codes.map(versionRow);
  await writeChunks(
    ctx.tx,
    INSERT_CODES,
    rows.map((r) => ({ code: r.code })),
    [],
  );
  await writeChunks(ctx.tx, INSERT_VERSIONS, rows, [ctx.release.id], ctx.progress);
  const modifierRelease = makesModifierRelease(modifiers) ? await ctx.companion('MODIFIER', modifiers.length) : null;
  const modifierResult = modifierRelease ? await writeModifiers(modifierRelease, modifiers) : null;
  const { counts, samples } = await diffReleases(ctx.tx, 'HCPCS', ctx.previous?.id ?? null, ctx.release.id);
  return {
    counts,
    samples,
    extra: {
      codes: codes.length,
      modifiers: modifierResult
        ? { records: modifiers.length, ...modifierResult.counts, ...modifierResult.extra }
        : {
            records: modifiers.length,
            kept: `a MODIFIER release named "${ctx.release.name}" is loaded already; its modifiers were left as they are`,
          },
    },
  };
}
