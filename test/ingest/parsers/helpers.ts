// Small helpers shared by the parser tests.
import { expect } from 'vitest';
import { IngestError } from '../../../src/ingest/errors.js';

/** A record without its `at` (for comparing the same data read from different formats). */
export function withoutAt<T extends { at: unknown }>(record: T): Omit<T, 'at'> {
  const { at: _at, ...rest } = record;
  return rest;
}

/** Count the lines of `text` that match `pattern` (independent of the parsers). */
export function countLines(text: string, pattern: RegExp): number {
  let n = 0;
  for (const line of text.split(/\r?\n/)) if (pattern.test(line)) n++;
  return n;
}

/** Run `fn` (sync or async) and return the IngestError it throws; fails the test otherwise. */
export async function ingestError(fn: () => unknown): Promise<IngestError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return err as IngestError;
  }
  throw new Error('expected an IngestError, but nothing was thrown');
}

export function utc(ymd: string): Date {
  return new Date(`${ymd}T00:00:00.000Z`);
}

// ---------------------------------------------------------------------------------------------
// Tiny synthetic ANWEB files for the bad-input tests.

import { ANWEB_COLUMNS, ANWEB_LAYOUT, type AnwebColumn } from '../../../src/ingest/parsers/hcpcs-columns.js';

export type AnwebFields = Partial<Record<AnwebColumn, string>>;

/** A valid procedure-code row (RECID 3); `fields` override or add values. */
export function codeRow(code: string, fields: AnwebFields = {}): AnwebFields {
  return {
    HCPC: code,
    SEQNUM: '0010',
    RECID: '3',
    'LONG DESCRIPTION': `Long description of ${code}`,
    'SHORT DESCRIPTION': `Short ${code}`,
    PRICE1: '57',
    MULT_PI: 'A',
    COV: 'C',
    BETOS: 'I1E',
    TOS1: '4',
    ANEST_BU: '  0',
    'ADD DT': '20170101',
    'ACT EFF DT': '20170101',
    'ACTION CD': 'N',
    ...fields,
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** An ANWEB CSV (header + rows), LF line ends. */
export function anwebCsv(rows: AnwebFields[]): Buffer {
  const lines = [ANWEB_COLUMNS.join(','), ...rows.map((r) => ANWEB_COLUMNS.map((c) => csvField(r[c] ?? '')).join(','))];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** One 320-character fixed-width record (SEQNUM given 5 digits, as in the TXT). */
export function anwebTxtLine(fields: AnwebFields): string {
  const chars = Array<string>(320).fill(' ');
  for (const [name, first, last] of ANWEB_LAYOUT) {
    const value = fields[name] ?? '';
    const width = last - first + 1;
    const text = name === 'HCPC' ? value.padStart(width) : value.padEnd(width);
    for (let i = 0; i < width; i++) chars[first - 1 + i] = text[i] ?? ' ';
  }
  return chars.join('');
}

/** A fixed-width ANWEB TXT: a short disclaimer block, then the records, ISO-8859-1 with CRLF. */
export function anwebTxt(records: string[]): Buffer {
  const disclaimer = ['***Disclaimers\t\t', '', '*Inclusion or exclusion\u00a0does not imply coverage.', ''];
  return Buffer.from(`${[...disclaimer, ...records].join('\r\n')}\r\n`, 'latin1');
}
