// Which parser applies to a file, decided from its first bytes (zip signature, JSON, CSV header,
// fixed-width records) and its extension; and parseFile, which detects and dispatches.

import { IngestError } from '../errors.js';
import type { IngestKind, ParsedFile } from '../records.js';
import { baseName, checkHeader, hasUtf8Bom } from './common.js';
import { ANWEB_COLUMNS } from './hcpcs-columns.js';
import { parseHcpcsCsv } from './hcpcs-csv.js';
import { ANWEB_RECORD_START, MAX_LINES_BEFORE_FIRST_RECORD, parseHcpcsTxt } from './hcpcs-txt.js';
import { parseHcpcsXlsx } from './hcpcs-xlsx.js';
import { MCD_COLUMNS, parseMcdCsv } from './mcd-csv.js';
import { MODIFIERS_COLUMNS, parseModifiersCsv } from './modifiers-csv.js';
import { NUCC_COLUMNS, parseNuccCsv } from './nucc-csv.js';
import { OPPS_FULL_COLUMNS, OPPS_RATE_COLUMNS, parseOppsCsv } from './opps-csv.js';
import { POS_CSV_COLUMNS, parsePosCsv } from './pos-csv.js';
import { POS_JSON_KEYS, parsePosJson } from './pos-json.js';
import { looksLikeZip } from './xlsx.js';

export type FileFormat =
  | 'hcpcs-csv'
  | 'hcpcs-xlsx'
  | 'hcpcs-txt'
  | 'modifiers-csv'
  | 'pos-csv'
  | 'pos-json'
  | 'nucc-csv'
  | 'opps-csv'
  | 'mcd-csv';

/** The order in which formats of the same data are preferred (the workbook is CMS's reference copy). */
const FORMAT_PREFERENCE: readonly FileFormat[] = ['hcpcs-xlsx', 'hcpcs-txt', 'hcpcs-csv'];

/** Rank of a format when several files hold the same data: lower is preferred. */
export function formatRank(format: FileFormat): number {
  const i = FORMAT_PREFERENCE.indexOf(format);
  return i === -1 ? FORMAT_PREFERENCE.length : i;
}

export interface DetectedFormat {
  kind: IngestKind;
  format: FileFormat;
}

interface CsvLayout {
  kind: IngestKind;
  format: FileFormat;
  label: string;
  columns: readonly string[];
}

const CSV_LAYOUTS: readonly CsvLayout[] = [
  { kind: 'hcpcs', format: 'hcpcs-csv', label: 'HCPCS ANWEB', columns: ANWEB_COLUMNS },
  { kind: 'modifiers', format: 'modifiers-csv', label: 'HCPCS modifiers', columns: MODIFIERS_COLUMNS },
  { kind: 'pos', format: 'pos-csv', label: 'Place of Service (BFD)', columns: POS_CSV_COLUMNS },
  { kind: 'nucc', format: 'nucc-csv', label: 'NUCC taxonomy', columns: NUCC_COLUMNS },
  { kind: 'opps', format: 'opps-csv', label: 'OPPS Addendum B (full)', columns: OPPS_FULL_COLUMNS },
  { kind: 'opps', format: 'opps-csv', label: 'OPPS Addendum B (rates only)', columns: OPPS_RATE_COLUMNS },
  { kind: 'mcd', format: 'mcd-csv', label: 'MCD LCD/Article list', columns: MCD_COLUMNS },
];

const PARSERS: Readonly<Record<FileFormat, (bytes: Buffer, fileName: string) => ParsedFile | Promise<ParsedFile>>> = {
  'hcpcs-csv': parseHcpcsCsv,
  'hcpcs-xlsx': parseHcpcsXlsx,
  'hcpcs-txt': parseHcpcsTxt,
  'modifiers-csv': parseModifiersCsv,
  'pos-csv': parsePosCsv,
  'pos-json': parsePosJson,
  'nucc-csv': parseNuccCsv,
  'opps-csv': parseOppsCsv,
  'mcd-csv': parseMcdCsv,
};

/** How much of the file is looked at to decide. */
const SNIFF_BYTES = 64 * 1024;
const LINE_BREAK = /\r?\n/;
const EXTENSION = /\.([A-Za-z0-9]+)$/;
const XLSX_EXTENSIONS = new Set(['xlsx', 'xlsm']);

/** Decide which parser applies; throws an IngestError naming the expected layouts when none does. */
export function detectFormat(bytes: Uint8Array, fileName: string): DetectedFormat {
  const file = { file: fileName };
  const extension = EXTENSION.exec(baseName(fileName))?.[1]?.toLowerCase() ?? '';
  if (looksLikeZip(bytes)) return { kind: 'hcpcs', format: 'hcpcs-xlsx' };
  if (XLSX_EXTENSIONS.has(extension)) {
    throw new IngestError(
      file,
      bytes.length === 0
        ? 'file is empty'
        : `not an .xlsx workbook (no zip signature) although the name ends in .${extension}`,
    );
  }

  const notText = notTextFile(bytes);
  if (notText) {
    throw new IngestError(
      file,
      `${notText}; expected a CSV (UTF-8), JSON, fixed-width .txt (Latin-1) or .xlsx file as CMS and NUCC publish them`,
    );
  }

  const start = hasUtf8Bom(bytes) ? 3 : 0;
  // Latin-1 never fails, so sniffing works on any bytes; the parser itself decodes strictly.
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + start,
    Math.min(bytes.length - start, SNIFF_BYTES),
  ).toString('latin1');
  const text = head.trimStart();
  if (text === '') throw new IngestError(file, 'file is empty');

  if (text.startsWith('[') || text.startsWith('{')) {
    if (POS_JSON_KEYS.every((k) => text.includes(`"${k}"`))) return { kind: 'pos', format: 'pos-json' };
    throw new IngestError(
      file,
      `unknown JSON file: expected an array of objects with keys ${POS_JSON_KEYS.join(', ')}`,
    );
  }

  const lines = head.split(LINE_BREAK);
  const header = splitHeaderLine(lines[0] ?? '');
  const exact = CSV_LAYOUTS.find((l) => sameColumns(header, l.columns));
  if (exact) return { kind: exact.kind, format: exact.format };

  if (lines.slice(0, MAX_LINES_BEFORE_FIRST_RECORD + 1).some((l) => ANWEB_RECORD_START.test(l))) {
    return { kind: 'hcpcs', format: 'hcpcs-txt' };
  }

  // A header that resembles a known layout: report what is wrong with it.
  const headerAt = { file: fileName, line: 1 };
  const best = bestLayout(header);
  if (best) {
    checkHeader(header, best.columns, headerAt, best.label);
  }
  throw new IngestError(
    headerAt,
    `unknown file format: the first line is neither a known CSV header nor a fixed-width HCPCS record` +
      ` (found "${(lines[0] ?? '').slice(0, 60)}"). Known layouts: ` +
      CSV_LAYOUTS.map((l) => `${l.label} CSV (${l.columns.join(', ')})`).join('; ') +
      `; HCPCS ANWEB fixed-width .txt; HCPCS ANWEB .xlsx; Place of Service JSON (${POS_JSON_KEYS.join(', ')})`,
  );
}

/** Signatures of files that are often picked by mistake. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file (unpack it first)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel .xls workbook (save it as .xlsx or CSV)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
];

/**
 * What a file that is not text appears to be (UTF-16 text, a PDF, binary data), or undefined
 * when it may be text. Decided from the first 4 KB.
 */
export function notTextFile(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return `the file appears to be UTF-16 text (byte order mark ${bytes[0] === 0xff ? 'FF FE' : 'FE FF'}); save it as UTF-8`;
  }
  const signature = SIGNATURES.find((known) => known.bytes.every((byte, i) => bytes[i] === byte));
  if (signature) return `the file appears to be ${signature.what}`;
  const head = bytes.subarray(0, 4_096);
  let zeros = 0;
  let evenZeros = 0;
  let controls = 0;
  head.forEach((byte, i) => {
    if (byte === 0) {
      zeros += 1;
      if (i % 2 === 1) evenZeros += 1;
    } else if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls += 1;
  });
  // UTF-16 without a byte order mark: ASCII text with a zero after (or before) every character.
  if (head.length >= 16 && zeros >= head.length / 3 && (evenZeros >= zeros * 0.9 || evenZeros <= zeros * 0.1)) {
    return 'the file appears to be UTF-16 text (every other byte is zero); save it as UTF-8';
  }
  if (zeros > 0 || controls > head.length / 20) return 'the file appears to be binary data, not text';
  return undefined;
}

/**
 * Detect the format and parse. When `kind` is given, the file must really be of that kind
 * (a NUCC file passed as 'hcpcs' is an error, not a silent mis-load).
 */
export async function parseFile(bytes: Buffer, fileName: string, kind?: IngestKind): Promise<ParsedFile> {
  const detected = detectFormat(bytes, fileName);
  if (kind !== undefined && detected.kind !== kind) {
    throw new IngestError(
      { file: fileName },
      `expected a file of kind "${kind}", but its content is of kind "${detected.kind}" (format ${detected.format})`,
    );
  }
  return PARSERS[detected.format](bytes, fileName);
}

/** Header names of a CSV first line (header names never contain commas or quotes of their own). */
function splitHeaderLine(line: string): string[] {
  return line.split(',').map((h) => {
    const t = h.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

function sameColumns(found: readonly string[], expected: readonly string[]): boolean {
  if (found.length !== expected.length) return false;
  const set = new Set(found);
  return expected.every((c) => set.has(c));
}

/** The layout sharing the most column names with the header (at least two), if any. */
function bestLayout(header: readonly string[]): CsvLayout | undefined {
  const names = new Set(header);
  let best: CsvLayout | undefined;
  let bestScore = 1;
  for (const layout of CSV_LAYOUTS) {
    const score = layout.columns.filter((c) => names.has(c)).length;
    if (score > bestScore) {
      best = layout;
      bestScore = score;
    }
  }
  return best;
}
