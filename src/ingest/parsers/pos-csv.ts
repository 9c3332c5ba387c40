// Place of Service codes from the CMS Blue Button (BFD) code system export: `code,bfd_display,assigned`.
// The CMS text runs name, effective-date note and definition together in upper case; the name is
// taken out of it (see posName) and the whole text is kept as the description.

import { IngestError } from '../errors.js';
import type { ParsedFile, PlaceOfServiceRecord } from '../records.js';
import { DuplicateGuard, clean, required } from './common.js';
import { readCsvWithHeader } from './csv.js';
import { PLACE_OF_SERVICE_CODE } from '../../rules/code-patterns.js';

export const POS_CSV_COLUMNS = ['code', 'bfd_display', 'assigned'] as const;

const UNASSIGNED = 'UNASSIGNED';

/** The first separator between name and definition: a hyphen followed by white space. */
const NAME_SEPARATOR = /\s*-\s/;
/**
 * An effective-date note in parentheses: `(EFFECTIVE …)`, `(EFF. 10/1/23)`, `(OCTOBER 1, 2003)`, `(CODE EFFECTIVE, …)`.
 */
const DATE_NOTE = /\s*\((?=[^()]*(?:\bEFF(?:ECTIVE\b|\.)|\bREVISED\b|\b[A-Z]+ \d{1,2}, \d{4}\b))[^()]*\)/;
/** With neither, a definition that starts with an article right after the name (`AMBULANCE—LAND A LAND VEHICLE …`). */
const ARTICLE_START = /\s(?:A|AN)\s/;
/** …and only when a real definition follows, not a short name that happens to contain "A". */
const MIN_DEFINITION_LENGTH = 30;

export function parsePosCsv(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'pos' }> {
  const { rows, col } = readCsvWithHeader(bytes, fileName, POS_CSV_COLUMNS, 'Place of Service (BFD)');
  const duplicates = new DuplicateGuard('place of service code');
  const places = rows.map(({ at, values }): PlaceOfServiceRecord => {
    const code = clean(values[col.code]);
    if (!PLACE_OF_SERVICE_CODE.test(code))
      throw new IngestError(at, `"${code}" is not a 2-digit place of service code`, 'code');
    duplicates.check(code, at, 'code');
    const text = required(values[col.bfd_display], at, 'bfd_display');
    const flag = clean(values[col.assigned]);
    if (flag !== 'Y' && flag !== 'N') throw new IngestError(at, `expected Y or N, found "${flag}"`, 'assigned');
    if ((flag === 'N') !== (text.toUpperCase() === UNASSIGNED)) {
      throw new IngestError(at, `assigned is ${flag} but the text is "${text.slice(0, 40)}"`, 'assigned');
    }
    if (flag === 'N') return { at, code, name: 'Unassigned', description: null, assigned: false };
    return { at, code, name: posName(text), description: text, assigned: true };
  });
  return { kind: 'pos', release: {}, recordCount: places.length, places };
}

/**
 * The name part of a CMS POS text: everything before the first `-`+space separator or the first
 * effective-date parenthesis, whichever comes first; failing both, and only when a definition
 * follows (at least 30 more characters), everything before the first standalone `A`/`AN`
 * (`AMBULANCE—LAND A LAND VEHICLE …`, `COMPREHENSIVE OUTPATIENT REHABILITATION FACILITY A FACILITY …`).
 */
export function posName(text: string): string {
  const separator = NAME_SEPARATOR.exec(text);
  const note = DATE_NOTE.exec(text);
  const cuts = [separator?.index, note?.index].filter((i): i is number => i !== undefined && i > 0);
  if (cuts.length > 0) return text.slice(0, Math.min(...cuts)).trim();
  const article = ARTICLE_START.exec(text);
  if (article && article.index > 0 && text.length - article.index >= MIN_DEFINITION_LENGTH) {
    return text.slice(0, article.index).trim();
  }
  return text;
}
