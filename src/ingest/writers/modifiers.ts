// Modifiers (RECID 7 rows of the HCPCS file, or the modifiers CSV) into the modifier table.
// Curated CPT modifiers (source CPT, e.g. 26) are never overwritten.
import { day } from '../bulk.js';
import type { ModifierRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeFlat, type FlatTable } from './flat.js';

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

export function writeModifiers(ctx: WriteContext, modifiers: readonly ModifierRecord[]): Promise<WriteResult> {
  return writeFlat(
    ctx,
    MODIFIER_TABLE,
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
