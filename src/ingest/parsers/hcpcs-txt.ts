// HCPCS Level II ANWEB table as the CMS fixed-width text file: ISO-8859-1, CRLF, a disclaimer
// block before the first record, then 320-character records sliced at the positions of
// ANWEB_LAYOUT. A record shorter than 320 but reaching ACTION CD (position 293) is right-padded
// (the 2019 file has one 316-character line); anything shorter is a truncated record.

import { IngestError } from '../errors.js';
import type { ParsedFile } from '../records.js';
import { decodeLatin1 } from './common.js';
import {
  ANWEB_LAST_DATA_POSITION,
  ANWEB_LAYOUT,
  ANWEB_RECORD_LENGTH,
  assembleAnweb,
  type AnwebColumn,
  type AnwebInputRow,
} from './hcpcs-columns.js';

/** A record line: 5-character code (or blank-padded modifier), 5-digit SEQNUM, RECID 3/4/7/8. */
export const ANWEB_RECORD_START = /^[A-Z0-9 ]{5}[0-9]{5}[3478]/;
/** How many lines may precede the first record (disclaimer block). */
export const MAX_LINES_BEFORE_FIRST_RECORD = 20;

const LINE_BREAK = /\r?\n/;
const SLICES = new Map<AnwebColumn, readonly [number, number]>(
  ANWEB_LAYOUT.map(([name, first, last]) => [name, [first - 1, last]] as const),
);

export function parseHcpcsTxt(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'hcpcs' }> {
  const lines = decodeLatin1(bytes, fileName).split(LINE_BREAK);
  const first = lines.findIndex((l) => ANWEB_RECORD_START.test(l));
  if (first === -1 || first > MAX_LINES_BEFORE_FIRST_RECORD) {
    throw new IngestError(
      { file: fileName, line: first === -1 ? 1 : first + 1 },
      first === -1
        ? 'no fixed-width HCPCS record found (a record starts with a 5-character code, a 5-digit SEQNUM and RECID 3, 4, 7 or 8)'
        : `the first record is at line ${first + 1}; at most ${MAX_LINES_BEFORE_FIRST_RECORD} disclaimer lines may precede it`,
    );
  }

  const rows: AnwebInputRow[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue; // blank lines (e.g. after the final CRLF)
    const at = { file: fileName, line: i + 1 };
    const isLast = i === lines.length - 1 || (i === lines.length - 2 && lines[i + 1] === '');
    if (isLast && line.length < ANWEB_LAST_DATA_POSITION) {
      throw new IngestError(
        at,
        `truncated record at the end of the file: ${line.length} characters, a record has ${ANWEB_RECORD_LENGTH}`,
      );
    }
    if (!ANWEB_RECORD_START.test(line)) {
      throw new IngestError(at, `not a fixed-width HCPCS record: "${line.slice(0, 40)}"`);
    }
    if (line.length < ANWEB_LAST_DATA_POSITION) {
      throw new IngestError(
        at,
        `truncated record: ${line.length} characters, a record has ${ANWEB_RECORD_LENGTH} (data up to position ${ANWEB_LAST_DATA_POSITION})`,
      );
    }
    if (line.length > ANWEB_RECORD_LENGTH) {
      throw new IngestError(at, `record too long: ${line.length} characters, a record has ${ANWEB_RECORD_LENGTH}`);
    }
    rows.push({ at, get: (column) => slice(line, column) });
  }
  return assembleAnweb(rows, fileName);
}

function slice(line: string, column: AnwebColumn): string {
  const [start, end] = SLICES.get(column)!;
  return line.slice(start, end);
}
