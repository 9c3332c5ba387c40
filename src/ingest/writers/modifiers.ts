// Modifiers (RECID 7 rows of the HCPCS file, or the modifiers CSV): the modifier table (current
// state) and one modifier_version per modifier of the release. Curated CPT modifiers (source CPT,
// e.g. 26) are never overwritten.
import { day } from '../bulk.js';
import type { ModifierRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeVersioned, type FlatTable, type VersionTable } from './flat.js';

const MODIFIER_TABLE: FlatTable = {
  table: 'modifier',
  key: ['code'],
  columns: [
    { column: 'code', type: 'text' },
    { column: 'long_description', type: 'text' },
    { column: 'short_description', type: 'text' },
    { column: 'coverage_code', type: 'text' },
    { column: 'processing_note', type: 'text' },
    { column: 'add_date', type: 'date' },
    { column: 'action_effective_date', type: 'date' },
    { column: 'termination_date', type: 'date' },
    { column: 'action_code', type: 'text' },
  ],
  descriptions: ['long_description', 'short_description'],
  termination: 'termination_date',
  insertConstants: { source: `'HCPCS_LEVEL_II'::"ModifierSource"` },
  updateConstants: { source_note: 'NULL' },
  updateWhere: `modifier.source <> 'CPT'::"ModifierSource"`,
};

const COLUMNS = MODIFIER_TABLE.columns;

const MODIFIER_VERSIONS: VersionTable = {
  system: 'MODIFIER',
  insert: `
    INSERT INTO modifier_version (modifier_id, release_id, ${COLUMNS.map((c) => c.column).join(', ')})
    SELECT m.id, $2::int, ${COLUMNS.map((c) => `r.${c.column}`).join(', ')}
    FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map((c) => `${c.column} ${c.type}`).join(', ')})
    JOIN modifier m ON m.code = r.code`,
};

export function writeModifiers(ctx: WriteContext, modifiers: readonly ModifierRecord[]): Promise<WriteResult> {
  return writeVersioned(
    ctx,
    MODIFIER_TABLE,
    MODIFIER_VERSIONS,
    modifiers.map((m) => ({
      code: m.code,
      long_description: m.longDescription,
      short_description: m.shortDescription,
      coverage_code: m.coverageCode,
      processing_note: m.processingNote,
      add_date: day(m.addDate),
      action_effective_date: day(m.actionEffectiveDate),
      termination_date: day(m.terminationDate),
      action_code: m.actionCode,
    })),
  );
}
