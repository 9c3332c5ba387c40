// NUCC provider taxonomy codes into the taxonomy table.
import type { TaxonomyRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeFlat, type FlatTable } from './flat.js';

const TAXONOMY_TABLE: FlatTable = {
  table: 'taxonomy',
  key: ['code'],
  columns: [
    { column: 'code', type: 'text' },
    { column: 'grouping', type: 'text' },
    { column: 'classification', type: 'text' },
    { column: 'specialization', type: 'text' },
    { column: 'definition', type: 'text' },
    { column: 'notes', type: 'text' },
    { column: 'display_name', type: 'text' },
    { column: 'section', type: 'text' },
  ],
  descriptions: ['display_name', 'definition'],
};

export function writeTaxonomies(ctx: WriteContext, taxonomies: readonly TaxonomyRecord[]): Promise<WriteResult> {
  return writeFlat(
    ctx,
    TAXONOMY_TABLE,
    taxonomies.map((t) => ({
      code: t.code,
      grouping: t.grouping,
      classification: t.classification,
      specialization: t.specialization,
      definition: t.definition,
      notes: t.notes,
      display_name: t.displayName,
      section: t.section,
    })),
  );
}
