// HCPCS Level II ANWEB table exported as CSV (header row with the 48 ANWEB column names).

import type { ParsedFile } from '../records.js';
import { readCsvWithHeader } from './csv.js';
import { ANWEB_COLUMNS, assembleAnweb, type AnwebInputRow } from './hcpcs-columns.js';

export function parseHcpcsCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'hcpcs' }> {
  const { rows, col } = readCsvWithHeader(bytes, fileName, ANWEB_COLUMNS, 'HCPCS ANWEB');
  const input = rows.map(({ at, values }): AnwebInputRow => ({ at, get: (column) => values[col[column]] ?? '' }));
  return assembleAnweb(input, fileName);
}
