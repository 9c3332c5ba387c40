// OPPS Addendum B, Level II rows, in either derived layout: the full 2023 one (APC, weight,
// copayments; "." = not applicable → null) or the 2026 one (status indicator and rate only).

import { IngestError } from '../errors.js';
import type { OppsRecord, ParsedFile, ReleaseHint, SourcePosition } from '../records.js';
import { DuplicateGuard, baseName, checkHeader, clean, monthNumber, monthRelease, optional } from './common.js';
import { readCsv } from './csv.js';

export const OPPS_FULL_COLUMNS = [
  'hcpcs_code',
  'short_descriptor',
  'status_indicator',
  'apc',
  'relative_weight',
  'payment_rate',
  'national_unadjusted_copayment',
  'minimum_unadjusted_copayment',
  'copay_note',
  'pass_through_expiration',
  'changed_flag',
] as const;

export const OPPS_RATE_COLUMNS = [
  'hcpcs_code',
  'short_descriptor',
  'status_indicator',
  'payment_rate',
  'changed',
  'source_release',
] as const;

const HCPCS_CODE = /^[A-Z0-9]{5}$/;
const APC = /^\d{4}$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
/** A float artefact of the spreadsheet export, e.g. 831.3199999999999 for 831.32. */
const FLOAT_ARTEFACT = /\.\d{10,}$/;
const NOT_APPLICABLE = '.';
const RELEASE_NAME = /(\d{4})[_-]([A-Za-z]{3})(?![A-Za-z])/;
const SOURCE_RELEASE = /^(\d{4})-(\d{2})$/;

export function parseOppsCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'opps' }> {
  const { header, rows } = readCsv(bytes, fileName);
  const full = overlap(header.values, OPPS_FULL_COLUMNS) >= overlap(header.values, OPPS_RATE_COLUMNS);
  const duplicates = new DuplicateGuard('HCPCS code');
  const sourceReleases = new Set<string>();
  let rates: OppsRecord[];

  const base = (at: SourcePosition, values: string[], codeIndex: number, descIndex: number, siIndex: number) => {
    const code = clean(values[codeIndex]);
    if (!HCPCS_CODE.test(code)) throw new IngestError(at, `"${code}" is not a 5-character HCPCS code`, 'hcpcs_code');
    duplicates.check(code, at, 'hcpcs_code');
    return { at, code, shortDescriptor: optional(values[descIndex]), statusIndicator: optional(values[siIndex]) };
  };

  if (full) {
    const col = checkHeader(header.values, OPPS_FULL_COLUMNS, header.at, 'OPPS Addendum B (full)');
    rates = rows.map(({ at, values }): OppsRecord => {
      const apc = optional(values[col.apc]);
      if (apc !== null && !APC.test(apc)) throw new IngestError(at, `expected a 4-digit APC, found "${apc}"`, 'apc');
      return {
        ...base(at, values, col.hcpcs_code, col.short_descriptor, col.status_indicator),
        apc,
        relativeWeight: decimal(values[col.relative_weight], at, 'relative_weight'),
        paymentRate: decimal(values[col.payment_rate], at, 'payment_rate'),
        nationalCopayment: decimal(values[col.national_unadjusted_copayment], at, 'national_unadjusted_copayment'),
        minimumCopayment: decimal(values[col.minimum_unadjusted_copayment], at, 'minimum_unadjusted_copayment'),
      };
    });
  } else {
    const col = checkHeader(header.values, OPPS_RATE_COLUMNS, header.at, 'OPPS Addendum B (rates only)');
    rates = rows.map(({ at, values }): OppsRecord => {
      const source = clean(values[col.source_release]);
      if (source !== '') sourceReleases.add(source);
      return {
        ...base(at, values, col.hcpcs_code, col.short_descriptor, col.status_indicator),
        apc: null,
        relativeWeight: null,
        paymentRate: decimal(values[col.payment_rate], at, 'payment_rate'),
        nationalCopayment: null,
        minimumCopayment: null,
      };
    });
  }
  return { kind: 'opps', release: oppsReleaseHint(fileName, sourceReleases), recordCount: rates.length, rates };
}

/**
 * A non-negative decimal as a string; empty or "." → null. Float artefacts of the xlsx export
 * (831.3199999999999, 24.520000000000003: 10 or more decimals) are rounded to 12 significant
 * digits, which gives back the value CMS entered (831.32, 24.52).
 */
function decimal(value: string | undefined, at: SourcePosition, field: string): string | null {
  const v = clean(value);
  if (v === '' || v === NOT_APPLICABLE) return null;
  if (!DECIMAL.test(v)) throw new IngestError(at, `expected a decimal number, found "${v}"`, field);
  if (FLOAT_ARTEFACT.test(v)) return String(Number(Number(v).toPrecision(12)));
  return v;
}

/**
 * From the file name (`opps_addendum_b_2023_jan` → "2023-01", 2023-01-01); otherwise from the
 * `source_release` column when every row names the same YYYY-MM.
 */
export function oppsReleaseHint(fileName: string, sourceReleases: ReadonlySet<string> = new Set()): ReleaseHint {
  const m = RELEASE_NAME.exec(baseName(fileName));
  if (m) return monthRelease(Number(m[1]), monthNumber(m[2]!));
  if (sourceReleases.size === 1) {
    const s = SOURCE_RELEASE.exec([...sourceReleases][0]!);
    if (s) return monthRelease(Number(s[1]), Number(s[2]));
  }
  return {};
}

function overlap(found: readonly string[], expected: readonly string[]): number {
  const names = new Set(found.map((h) => h.trim()));
  return expected.filter((c) => names.has(c)).length;
}
