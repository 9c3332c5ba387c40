// Medicare Coverage Database list of LCDs and Articles (harvested CSV, 12 columns).
// `contractor_name_type` is "Name\n(Type, Type)"; documents shared by several contractors list
// each as such a pair, separated by a blank line.

import { IngestError } from '../errors.js';
import type { CoverageDocumentRecord, ParsedFile, ReleaseHint, SourcePosition } from '../records.js';
import {
  DuplicateGuard,
  baseName,
  clean,
  monthRelease,
  optional,
  parseMdy,
  required,
  requiredInteger,
} from './common.js';
import { readCsvWithHeader } from './csv.js';

export const MCD_COLUMNS = [
  'contractor_name_type',
  'document_display_id',
  'document_id',
  'document_type',
  'document_version',
  'effective_date',
  'note',
  'retirement_date',
  'title',
  'updated_on',
  'updated_on_sort',
  'url',
] as const;

const DISPLAY_ID = /^[LA]\d+$/;
const NEWLINE = /\r?\n/;
const PARENTHESISED = /^\((.*)\)$/;
const NULL_DATES = ['N/A'] as const;
// `mcd_lcd_lca_documents_2025-08` → 2025-08
const RELEASE_NAME = /(\d{4})-(\d{2})(?!\d)/;

export function parseMcdCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'mcd' }> {
  const { rows, col } = readCsvWithHeader(bytes, fileName, MCD_COLUMNS, 'MCD LCD/Article list');
  const duplicates = new DuplicateGuard('document version');
  let latestUpdate: Date | null = null;
  const documents = rows.map(({ at, values }): CoverageDocumentRecord => {
    const displayId = clean(values[col.document_display_id]);
    if (!DISPLAY_ID.test(displayId)) {
      throw new IngestError(at, `"${displayId}" is not an LCD (L…) or Article (A…) id`, 'document_display_id');
    }
    const version = requiredInteger(values[col.document_version], at, 'document_version');
    duplicates.check(`${displayId} version ${version}`, at, 'document_version');
    const contractor = splitContractor(values[col.contractor_name_type], at);
    const updatedOn = parseMdy(values[col.updated_on], at, 'updated_on', NULL_DATES);
    if (updatedOn && (!latestUpdate || updatedOn > latestUpdate)) latestUpdate = updatedOn;
    return {
      at,
      displayId,
      documentId: requiredInteger(values[col.document_id], at, 'document_id'),
      type: documentType(values[col.document_type], at),
      version,
      title: required(values[col.title], at, 'title'),
      contractorName: contractor.name,
      contractorType: contractor.type,
      effectiveDate: parseMdy(values[col.effective_date], at, 'effective_date', NULL_DATES),
      retirementDate: parseMdy(values[col.retirement_date], at, 'retirement_date', NULL_DATES),
      updatedOn,
      note: optional(values[col.note]),
      url: required(values[col.url], at, 'url'),
    };
  });
  return { kind: 'mcd', release: mcdReleaseHint(fileName, latestUpdate), recordCount: documents.length, documents };
}

function documentType(value: string | undefined, at: SourcePosition): 'LCD' | 'ARTICLE' {
  const v = clean(value);
  if (v === 'LCD') return 'LCD';
  if (v === 'Article') return 'ARTICLE';
  throw new IngestError(at, `expected LCD or Article, found "${v}"`, 'document_type');
}

/**
 * `Noridian Healthcare Solutions, LLC\n(MAC - Part A, MAC - Part B)` → name + type without
 * parentheses. Several contractors (blank-line separated pairs) → names joined with "; ", their
 * distinct types joined with ", ". A value without a type line gives type null.
 */
export function splitContractor(value: string | undefined, at: SourcePosition): { name: string; type: string | null } {
  const lines = clean(value)
    .split(NEWLINE)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new IngestError(at, 'value is required but empty', 'contractor_name_type');
  const names: string[] = [];
  const types: string[] = [];
  for (const line of lines) {
    const type = PARENTHESISED.exec(line);
    if (type) {
      if (names.length === 0)
        throw new IngestError(at, `contractor type "${line}" before any contractor name`, 'contractor_name_type');
      for (const t of type[1]!.split(',').map((s) => s.trim())) if (t !== '' && !types.includes(t)) types.push(t);
    } else {
      names.push(line);
    }
  }
  return { name: names.join('; '), type: types.length ? types.join(', ') : null };
}

/**
 * From the file name (`…_2025-08` → "2025-08", 2025-08-01); otherwise the month of the latest
 * `updated_on` in the file.
 */
export function mcdReleaseHint(fileName: string, latestUpdate: Date | null = null): ReleaseHint {
  const m = RELEASE_NAME.exec(baseName(fileName));
  if (m) return monthRelease(Number(m[1]), Number(m[2]));
  if (latestUpdate) return monthRelease(latestUpdate.getUTCFullYear(), latestUpdate.getUTCMonth() + 1);
  return {};
}
