// NUCC Health Care Provider Taxonomy, CSV edition (UTF-8, LF or CRLF).

import { IngestError } from '../errors.js';
import type { ParsedFile, ReleaseHint, TaxonomyRecord } from '../records.js';
import { DuplicateGuard, baseName, clean, optional, required, utcDate } from './common.js';
import { readCsvWithHeader } from './csv.js';
import { TAXONOMY_CODE } from '../../rules/code-patterns.js';

export const NUCC_COLUMNS = [
  'Code',
  'Grouping',
  'Classification',
  'Specialization',
  'Definition',
  'Notes',
  'Display Name',
  'Section',
] as const;

// `nucc_taxonomy_251` → version 25.1
const RELEASE_NAME = /nucc_taxonomy_(\d{2})(\d)(?!\d)/i;

export function parseNuccCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'nucc' }> {
  const { rows, col } = readCsvWithHeader(bytes, fileName, NUCC_COLUMNS, 'NUCC taxonomy');
  const duplicates = new DuplicateGuard('taxonomy code');
  const taxonomies = rows.map(({ at, values }): TaxonomyRecord => {
    const code = clean(values[col.Code]);
    if (!TAXONOMY_CODE.test(code)) throw new IngestError(at, `"${code}" is not a 10-character taxonomy code`, 'Code');
    duplicates.check(code, at, 'Code');
    return {
      at,
      code,
      grouping: required(values[col.Grouping], at, 'Grouping'),
      classification: required(values[col.Classification], at, 'Classification'),
      specialization: optional(values[col.Specialization]),
      definition: optional(values[col.Definition]),
      notes: optional(values[col.Notes]),
      displayName: optional(values[col['Display Name']]),
      section: optional(values[col.Section]),
    };
  });
  return { kind: 'nucc', release: nuccReleaseHint(fileName), recordCount: taxonomies.length, taxonomies };
}

/**
 * NUCC publishes version N.0 effective January 1 and N.1 effective July 1 of 20NN; the file name
 * carries the version without the dot (`nucc_taxonomy_251` → "25.1", 2025-07-01).
 */
export function nuccReleaseHint(fileName: string): ReleaseHint {
  const m = RELEASE_NAME.exec(baseName(fileName));
  if (!m) return {};
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const name = `${m[1]}.${m[2]}`;
  const effectiveDate = minor === 0 ? utcDate(2000 + major, 1, 1) : minor === 1 ? utcDate(2000 + major, 7, 1) : null;
  return effectiveDate ? { name, effectiveDate } : { name };
}
