// Read the first worksheet of an .xlsx workbook as rows of text (every cell read as text:
// the number 20250930 becomes "20250930", an empty cell ""). Uses ExcelJS's streaming reader,
// which is noticeably faster than loading the whole workbook model.

import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { IngestError } from '../errors.js';
import type { SourcePosition } from '../records.js';

export interface SheetRow {
  at: SourcePosition;
  /** Cell texts, 0-based (column A = 0). Empty cells are "". */
  values: string[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;

/** True when the bytes start like a zip archive (which every .xlsx is). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** The first worksheet of the workbook, non-empty rows only (at most `maxRows` of them), all values as text. */
export async function readFirstSheet(
  bytes: Uint8Array,
  fileName: string,
  { maxRows = Infinity }: { maxRows?: number } = {},
): Promise<Sheet> {
  if (bytes.length === 0) throw new IngestError({ file: fileName }, 'file is empty');
  if (!looksLikeZip(bytes)) {
    throw new IngestError({ file: fileName }, 'not an .xlsx workbook (the file does not start with a zip signature)');
  }
  if (!hasEndOfCentralDirectory(bytes)) {
    throw new IngestError(
      { file: fileName },
      'truncated .xlsx workbook: the zip end-of-central-directory record is missing',
    );
  }
  // Loaded on first use: a workbook reader the gateway itself needs only when it loads a file.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      const name = sheetName(worksheet);
      const rows: SheetRow[] = [];
      for await (const row of worksheet) {
        const values = rowTexts(row.values);
        if (values.some((v) => v.trim() !== '')) {
          rows.push({ at: { file: fileName, sheet: name, row: row.number }, values });
          if (rows.length >= maxRows) break;
        }
      }
      // Only the first worksheet is read; the stream is abandoned after it.
      return { name, rows };
    }
  } catch (err) {
    if (err instanceof IngestError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new IngestError({ file: fileName }, `cannot read the .xlsx workbook (damaged or truncated?): ${reason}`);
  }
  throw new IngestError({ file: fileName }, 'the workbook has no worksheet');
}

/** A complete zip ends with an end-of-central-directory record (PK\x05\x06, then ≤ 65,535 bytes of comment). */
function hasEndOfCentralDirectory(bytes: Uint8Array): boolean {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  }
  return false;
}

function sheetName(worksheet: object): string {
  const name: unknown = Reflect.get(worksheet, 'name');
  return typeof name === 'string' ? name : 'Sheet1';
}

function rowTexts(values: ExcelJS.CellValue[] | { [key: string]: ExcelJS.CellValue }): string[] {
  const cells = Array.isArray(values) ? values : [];
  const out: string[] = [];
  // ExcelJS row values are 1-based; index 0 is always empty.
  for (let c = 1; c < cells.length; c++) out.push(cellText(cells[c]));
  return out;
}

/** Any cell value as text. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null);
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return String(value.error);
  return '';
}
