// Read a UTF-8, RFC 4180 CSV file into rows of strings with the line each row starts on.
// Malformed CSV (unterminated quotes, a row with the wrong number of fields, …) becomes an
// IngestError that names the line.

import { CsvError, parse } from 'csv-parse/sync';
import { IngestError } from '../errors.js';
import type { SourcePosition } from '../records.js';
import { checkHeader, decodeUtf8 } from './common.js';

export interface CsvRow {
  at: SourcePosition;
  values: string[];
}

export interface CsvTable {
  header: CsvRow;
  rows: CsvRow[];
}

/** Decode and split a CSV file. The first non-empty row is the header; at least one data row. */
export function readCsv(bytes: Uint8Array, fileName: string): CsvTable {
  const text = decodeUtf8(bytes, fileName);
  const rows: CsvRow[] = [];
  let lastEndLine = 0;
  try {
    parse(text, {
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        lastEndLine = context.lines;
        rows.push({ at: { file: fileName, line: context.lines - embeddedNewlines(record) }, values: record });
        return null;
      },
    });
  } catch (err) {
    throw csvError(err, fileName, lastEndLine, rows[0]?.values.length);
  }
  const header = rows.shift();
  if (!header) throw new IngestError({ file: fileName }, 'file is empty');
  if (rows.length === 0) throw new IngestError(header.at, 'file has a header but no data rows');
  return { header, rows };
}

/** readCsv plus a header check; returns the column indexes by name. */
export function readCsvWithHeader<C extends string>(
  bytes: Uint8Array,
  fileName: string,
  expected: readonly C[],
  what: string,
): { rows: CsvRow[]; col: Record<C, number> } {
  const { header, rows } = readCsv(bytes, fileName);
  return { rows, col: checkHeader(header.values, expected, header.at, what) };
}

function embeddedNewlines(record: readonly string[]): number {
  let n = 0;
  for (const field of record) {
    let i = field.indexOf('\n');
    while (i !== -1) {
      n++;
      i = field.indexOf('\n', i + 1);
    }
  }
  return n;
}

function csvError(err: unknown, fileName: string, lastEndLine: number, headerLength: number | undefined): unknown {
  if (!(err instanceof CsvError)) return err;
  const line = typeof err.lines === 'number' ? err.lines : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new IngestError(
        { file: fileName, line: lastEndLine + 1 },
        `unterminated quoted field: the record starting here opens a quote that is never closed` +
          ` (the file ends inside it${line !== undefined ? ` at line ${line}` : ''}; is the file truncated?)`,
      );
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const found = Array.isArray(err.record) ? err.record.length : undefined;
      return new IngestError(
        { file: fileName, line },
        `wrong number of fields${found !== undefined ? `: found ${found}` : ''}` +
          `, expected ${headerLength ?? 'as many as the header'} (truncated line or unquoted delimiter?)`,
      );
    }
    default:
      return new IngestError({ file: fileName, line }, `malformed CSV (${err.code}): ${err.message}`);
  }
}
