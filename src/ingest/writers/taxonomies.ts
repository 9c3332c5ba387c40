// NUCC provider taxonomy codes: the taxonomy table (current state) and one taxonomy_version per
// code of the release.
import type { TaxonomyRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeVersioned, type FlatTable, type VersionTable } from './flat.js';

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

const COLUMNS = TAXONOMY_TABLE.columns;

const TAXONOMY_VERSIONS: VersionTable = {
  system: 'TAXONOMY',
  insert: `
    INSERT INTO taxonomy_version (release_id, ${COLUMNS.map((c) => c.column).join(', ')})
    SELECT $2::int, ${COLUMNS.map((c) => `r.${c.column}`).join(', ')}
    FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map((c) => `${c.column} ${c.type}`).join(', ')})`,
};

export function writeTaxonomies(ctx: WriteContext, taxonomies: readonly TaxonomyRecord[]): Promise<WriteResult> {
  return writeVersioned(
    ctx,
    TAXONOMY_TABLE,
    TAXONOMY_VERSIONS,
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
