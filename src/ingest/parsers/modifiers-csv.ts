// HCPCS Level II modifiers list (derived CSV: one row per modifier, code already trimmed).

import { IngestError } from '../errors.js';
import type { ModifierRecord, ParsedFile, ReleaseHint } from '../records.js';
import { DuplicateGuard, baseName, clean, monthNumber, monthRelease, optional, parseYmd, required } from './common.js';
import { readCsvWithHeader } from './csv.js';
import { MODIFIER_CODE } from '../../rules/code-patterns.js';

export const MODIFIERS_COLUMNS = [
  'modifier',
  'long_description',
  'short_description',
  'coverage_code',
  'procnote',
  'add_date',
  'action_effective_date',
  'termination_date',
  'action_code',
] as const;

// `hcpcs_level2_modifiers_2025_oct` → 2025-10
const RELEASE_NAME = /(\d{4})[_-]([A-Za-z]{3})(?![A-Za-z])/;

export function parseModifiersCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'modifiers' }> {
  const { rows, col } = readCsvWithHeader(bytes, fileName, MODIFIERS_COLUMNS, 'HCPCS modifiers');
  const duplicates = new DuplicateGuard('modifier');
  const modifiers = rows.map(({ at, values }): ModifierRecord => {
    const code = clean(values[col.modifier]);
    if (!MODIFIER_CODE.test(code)) throw new IngestError(at, `"${code}" is not a 2-character modifier`, 'modifier');
    duplicates.check(code, at, 'modifier');
    return {
      at,
      code,
      longDescription: required(values[col.long_description], at, 'long_description'),
      shortDescription: optional(values[col.short_description]),
      coverageCode: optional(values[col.coverage_code]),
      processingNote: optional(values[col.procnote]),
      addDate: parseYmd(values[col.add_date], at, 'add_date'),
      actionEffectiveDate: parseYmd(values[col.action_effective_date], at, 'action_effective_date'),
      terminationDate: parseYmd(values[col.termination_date], at, 'termination_date'),
      actionCode: optional(values[col.action_code]),
    };
  });
  return { kind: 'modifiers', release: modifiersReleaseHint(fileName), recordCount: modifiers.length, modifiers };
}

export function modifiersReleaseHint(fileName: string): ReleaseHint {
  const m = RELEASE_NAME.exec(baseName(fileName));
  return m ? monthRelease(Number(m[1]), monthNumber(m[2]!)) : {};
}
