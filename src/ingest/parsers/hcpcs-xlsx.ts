// HCPCS Level II ANWEB table as the CMS .xlsx workbook. The header row is found by content:
// the 2019 workbook has 7 disclaimer rows before it, the 2025 one none.

import { IngestError } from '../errors.js';
import type { ParsedFile } from '../records.js';
import { checkHeader } from './common.js';
import { ANWEB_COLUMNS, assembleAnweb, type AnwebInputRow } from './hcpcs-columns.js';
import { readFirstSheet } from './xlsx.js';

/** How many non-empty rows may precede the header (disclaimers, titles). */
const MAX_ROWS_BEFORE_HEADER = 20;

export async function parseHcpcsXlsx(bytes: Buffer, fileName: string): Promise<Extract<ParsedFile, { kind: 'hcpcs' }>> {
  const sheet = await readFirstSheet(bytes, fileName);
  const headerIndex = sheet.rows
    .slice(0, MAX_ROWS_BEFORE_HEADER + 1)
    .findIndex((r) => r.values[0]?.trim() === ANWEB_COLUMNS[0]);
  if (headerIndex === -1) {
    throw new IngestError(
      { file: fileName, sheet: sheet.name },
      `no ANWEB header row (a row starting with "HCPC") in the first ${MAX_ROWS_BEFORE_HEADER + 1} non-empty rows;` +
        ` expected columns: ${ANWEB_COLUMNS.join(', ')}`,
    );
  }
  const header = sheet.rows[headerIndex]!;
  const col = checkHeader(header.values, ANWEB_COLUMNS, header.at, 'HCPCS ANWEB');
  const data = sheet.rows.slice(headerIndex + 1);
  if (data.length === 0) throw new IngestError(header.at, 'sheet has a header but no data rows');
  const input = data.map(({ at, values }): AnwebInputRow => ({ at, get: (column) => values[col[column]] ?? '' }));
  return assembleAnweb(input, fileName);
}
