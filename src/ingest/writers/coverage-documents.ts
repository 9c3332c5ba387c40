// Medicare Coverage Database documents (LCDs and articles) into the coverage_document table.
import { day } from '../bulk.js';
import type { CoverageDocumentRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeFlat, type FlatTable } from './flat.js';

const COVERAGE_DOCUMENT_TABLE: FlatTable = {
  table: 'coverage_document',
  key: ['type', 'document_id', 'version', 'contractor_name'],
  columns: [
    { column: 'display_id', type: 'text' },
    { column: 'document_id', type: 'int' },
    { column: 'type', type: 'text', cast: '"CoverageDocumentType"' },
    { column: 'version', type: 'int' },
    { column: 'title', type: 'text' },
    { column: 'contractor_name', type: 'text' },
    { column: 'contractor_type', type: 'text' },
    { column: 'effective_date', type: 'date' },
    { column: 'retirement_date', type: 'date' },
    { column: 'updated_on', type: 'date' },
    { column: 'note', type: 'text' },
    { column: 'url', type: 'text' },
  ],
  descriptions: ['title'],
  termination: 'retirement_date',
};

export function writeCoverageDocuments(
  ctx: WriteContext,
  documents: readonly CoverageDocumentRecord[],
): Promise<WriteResult> {
  return writeFlat(
    ctx,
    COVERAGE_DOCUMENT_TABLE,
    documents.map((d) => ({
      display_id: d.displayId,
      document_id: d.documentId,
      type: d.type,
      version: d.version,
      title: d.title,
      contractor_name: d.contractorName,
      contractor_type: d.contractorType,
      effective_date: day(d.effectiveDate),
      retirement_date: day(d.retirementDate),
      updated_on: day(d.updatedOn),
      note: d.note,
      url: d.url,
    })),
  );
}
