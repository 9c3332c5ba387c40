// Helpers shared by every parser: text decoding, empty-file checks, header checking, trimming,
// dates and file-name release hints. Everything that fails throws an IngestError that names the
// file, the place in it and the field.

import { IngestError } from '../errors.js';
import type { ReleaseHint, SourcePosition } from '../records.js';

// ---------------------------------------------------------------------------------------------
// Text decoding

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes start with a UTF-8 byte-order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/** Throw when the file has no content at all (0 bytes, only a BOM, or only whitespace). */
export function assertNotEmpty(text: string, fileName: string): void {
  if (text.trim() === '') throw new IngestError({ file: fileName }, 'file is empty');
}

/**
 * Decode a UTF-8 file strictly: strip a BOM, and on invalid bytes report the line (1-based) and
 * the byte offset within it where decoding fails.
 */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = utf8Strict.decode(body);
  } catch {
    throw invalidUtf8Error(body, fileName);
  }
  assertNotEmpty(text, fileName);
  return text;
}

/** Decode an ISO-8859-1 (Latin-1) file; every byte is a valid character. A UTF-8 BOM is dropped. */
export function decodeLatin1(bytes: Uint8Array, fileName: string): string {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  assertNotEmpty(text, fileName);
  return text;
}

/** Only called after decoding failed: find the first line that is not valid UTF-8. */
function invalidUtf8Error(body: Uint8Array, fileName: string): IngestError {
  let start = 0;
  let line = 1;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    const offset = firstInvalidUtf8Offset(body.subarray(start, end));
    if (offset !== -1) {
      const byte = body[start + offset];
      const hex = byte === undefined ? 'end of line' : `byte 0x${byte.toString(16).padStart(2, '0')}`;
      return new IngestError(
        { file: fileName, line },
        `invalid UTF-8 (${hex} at byte ${offset + 1} of the line); the file must be UTF-8 encoded`,
      );
    }
    start = end + 1;
    line++;
  }
  return new IngestError({ file: fileName }, 'invalid UTF-8; the file must be UTF-8 encoded');
}

/** Offset of the first byte of the first invalid UTF-8 sequence, or -1 when the bytes are valid. */
function firstInvalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Trimmed text ('' stays ''). */
export function clean(value: string | undefined): string {
  return value === undefined ? '' : value.trim();
}

/** Trimmed text, or null when empty. */
export function optional(value: string | undefined): string | null {
  const v = clean(value);
  return v === '' ? null : v;
}

/** Trimmed text that must not be empty. */
export function required(value: string | undefined, at: SourcePosition, field: string): string {
  const v = clean(value);
  if (v === '') throw new IngestError(at, 'value is required but empty', field);
  return v;
}

/** The non-empty trimmed values of repeating slots (PRICE1..4, TOS1..5, …), in slot order. */
export function nonEmpty(values: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const t = clean(v);
    if (t !== '') out.push(t);
  }
  return out;
}

const INTEGER = /^\d+$/;

/** A non-negative integer, or null when empty. */
export function optionalInteger(value: string | undefined, at: SourcePosition, field: string): number | null {
  const v = clean(value);
  if (v === '') return null;
  if (!INTEGER.test(v)) throw new IngestError(at, `expected a whole number, found "${v}"`, field);
  return Number(v);
}

/** A non-negative integer that must be present. */
export function requiredInteger(value: string | undefined, at: SourcePosition, field: string): number {
  const n = optionalInteger(value, at, field);
  if (n === null) throw new IngestError(at, 'value is required but empty', field);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Dates (always UTC midnight)

const YMD = /^(\d{4})(\d{2})(\d{2})$/;
const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** A real calendar date at UTC midnight, or null when year/month/day do not form one. */
export function utcDate(year: number, month: number, day: number): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d;
}

/** `YYYYMMDD` → Date; empty → null; anything else (including 20251340) → IngestError. */
export function parseYmd(value: string | undefined, at: SourcePosition, field: string): Date | null {
  const v = clean(value);
  if (v === '') return null;
  const m = YMD.exec(v);
  const d = m ? utcDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (!d) throw new IngestError(at, `"${v}" is not a valid date (expected YYYYMMDD)`, field);
  return d;
}

/** `MM/DD/YYYY` → Date; empty or one of `nullTokens` → null; anything else → IngestError. */
export function parseMdy(
  value: string | undefined,
  at: SourcePosition,
  field: string,
  nullTokens: readonly string[] = [],
): Date | null {
  const v = clean(value);
  if (v === '' || nullTokens.includes(v)) return null;
  const m = MDY.exec(v);
  const d = m ? utcDate(Number(m[3]), Number(m[1]), Number(m[2])) : null;
  if (!d) throw new IngestError(at, `"${v}" is not a valid date (expected MM/DD/YYYY)`, field);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Headers

/**
 * Check a header row against the expected column names (trimmed, case-sensitive, any order, no
 * extras) and return the index of every expected column. On mismatch the error lists the
 * expected columns and what is missing or unexpected.
 */
export function checkHeader<C extends string>(
  found: readonly string[],
  expected: readonly C[],
  at: SourcePosition,
  what: string,
): Record<C, number> {
  const names = found.map((h) => h.trim());
  // Trailing empty header cells (an xlsx row that extends past the table) are not columns.
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const index = new Map<string, number>();
  const duplicated: string[] = [];
  names.forEach((n, i) => {
    if (index.has(n)) duplicated.push(n);
    else index.set(n, i);
  });
  const missing = expected.filter((c) => !index.has(c));
  const expectedSet = new Set<string>(expected);
  const unexpected = names.filter((n) => !expectedSet.has(n));
  if (missing.length > 0 || unexpected.length > 0 || duplicated.length > 0) {
    const details = [
      missing.length ? `missing ${quoteList(missing)}` : '',
      unexpected.length ? `unexpected ${quoteList(unexpected)}` : '',
      duplicated.length ? `duplicated ${quoteList(duplicated)}` : '',
    ].filter((s) => s !== '');
    throw new IngestError(
      at,
      `header does not match the ${what} layout (${details.join('; ')}); expected columns: ${expected.join(', ')}`,
    );
  }
  const out = {} as Record<C, number>;
  for (const c of expected) out[c] = index.get(c)!;
  return out;
}

export function quoteList(values: readonly string[], max = 12): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')} … (${values.length} in all)` : shown.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Duplicates

/** Remembers where each key was first seen; a second occurrence throws naming both places. */
export class DuplicateGuard {
  private readonly seen = new Map<string, SourcePosition>();

  constructor(private readonly what: string) {}

  check(key: string, at: SourcePosition, field?: string): void {
    const first = this.seen.get(key);
    if (first) {
      throw new IngestError(at, `duplicate ${this.what} ${key} (first at ${placeOnly(first)})`, field);
    }
    this.seen.set(key, at);
  }
}

/** `line 12` / `sheet "S" row 9`: a position without the file name (same file). */
export function placeOnly(at: SourcePosition): string {
  const parts: string[] = [];
  if (at.sheet !== undefined) parts.push(`sheet "${at.sheet}"`);
  if (at.row !== undefined) parts.push(`row ${at.row}`);
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  return parts.length ? parts.join(' ') : at.file;
}

// ---------------------------------------------------------------------------------------------
// Release hints

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

/** Month number for a three-letter English month abbreviation (any case), or undefined. */
export function monthNumber(abbrev: string): number | undefined {
  return MONTHS[abbrev.toUpperCase()];
}

/** `{ name: "YYYY-MM", effectiveDate: YYYY-MM-01 }`, or an empty hint when month is invalid. */
export function monthRelease(year: number, month: number | undefined): ReleaseHint {
  if (month === undefined) return {};
  const effectiveDate = utcDate(year, month, 1);
  if (!effectiveDate) return {};
  return { name: `${year}-${String(month).padStart(2, '0')}`, effectiveDate };
}

/** The last path segment of a file name, without directories. */
export function baseName(fileName: string): string {
  const i = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return i === -1 ? fileName : fileName.slice(i + 1);
}
