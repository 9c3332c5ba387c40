// The CMS HCPCS Level II "ANWEB" table, shared by its three formats (CSV, XLSX, fixed-width TXT):
// the 48 columns (names as in the CSV/XLSX header, 1-based character positions in the TXT), and
// the one mapping from rows of that table to HcpcsCodeRecord / ModifierRecord, including
// continuation records, duplicate detection and the release hint from the file name.

import { IngestError } from '../errors.js';
import type { HcpcsCodeRecord, ModifierRecord, ParsedFile, ReleaseHint, SourcePosition } from '../records.js';
import {
  DuplicateGuard,
  baseName,
  clean,
  monthNumber,
  monthRelease,
  nonEmpty,
  optional,
  optionalInteger,
  parseYmd,
  placeOnly,
  utcDate,
} from './common.js';
import { MODIFIER_CODE } from '../../rules/code-patterns.js';

/** Column name → [first, last] 1-based character position in the fixed-width file. */
export const ANWEB_LAYOUT = [
  ['HCPC', 1, 5],
  ['SEQNUM', 6, 10],
  ['RECID', 11, 11],
  ['LONG DESCRIPTION', 12, 91],
  ['SHORT DESCRIPTION', 92, 119],
  ['PRICE1', 120, 121],
  ['PRICE2', 122, 123],
  ['PRICE3', 124, 125],
  ['PRICE4', 126, 127],
  ['MULT_PI', 128, 128],
  ['CIM1', 129, 134],
  ['CIM2', 135, 140],
  ['CIM3', 141, 146],
  ['MCM1', 147, 154],
  ['MCM2', 155, 162],
  ['MCM3', 163, 170],
  ['STATUTE', 171, 180],
  ['LABCERT1', 181, 183],
  ['LABCERT2', 184, 186],
  ['LABCERT3', 187, 189],
  ['LABCERT4', 190, 192],
  ['LABCERT5', 193, 195],
  ['LABCERT6', 196, 198],
  ['LABCERT7', 199, 201],
  ['LABCERT8', 202, 204],
  ['XREF1', 205, 209],
  ['XREF2', 210, 214],
  ['XREF3', 215, 219],
  ['XREF4', 220, 224],
  ['XREF5', 225, 229],
  ['COV', 230, 230],
  ['ASC_GRP', 231, 232],
  ['ASC_DT', 233, 240],
  ['OPPS', 241, 243],
  ['OPPS_PI', 244, 244],
  ['OPPS_DT', 245, 252],
  ['PROCNOTE', 253, 256],
  ['BETOS', 257, 259],
  ['TOS1', 261, 261],
  ['TOS2', 262, 262],
  ['TOS3', 263, 263],
  ['TOS4', 264, 264],
  ['TOS5', 265, 265],
  ['ANEST_BU', 266, 268],
  ['ADD DT', 269, 276],
  ['ACT EFF DT', 277, 284],
  ['TERM DT', 285, 292],
  ['ACTION CD', 293, 293],
] as const;

export type AnwebColumn = (typeof ANWEB_LAYOUT)[number][0];

/** The 48 header names, in file order. */
export const ANWEB_COLUMNS: readonly AnwebColumn[] = ANWEB_LAYOUT.map(([name]) => name);

/** Length of a fixed-width record, and the last position that carries data (ACTION CD). */
export const ANWEB_RECORD_LENGTH = 320;
export const ANWEB_LAST_DATA_POSITION = 293;

/** How to read one column of a row: by index (CSV/XLSX) or by slicing (TXT). */
export type AnwebRow = (column: AnwebColumn) => string;

export interface AnwebInputRow {
  at: SourcePosition;
  get: AnwebRow;
}

const PRICE = ['PRICE1', 'PRICE2', 'PRICE3', 'PRICE4'] as const;
const CIM = ['CIM1', 'CIM2', 'CIM3'] as const;
const MCM = ['MCM1', 'MCM2', 'MCM3'] as const;
const LABCERT = [
  'LABCERT1',
  'LABCERT2',
  'LABCERT3',
  'LABCERT4',
  'LABCERT5',
  'LABCERT6',
  'LABCERT7',
  'LABCERT8',
] as const;
const XREF = ['XREF1', 'XREF2', 'XREF3', 'XREF4', 'XREF5'] as const;
const TOS = ['TOS1', 'TOS2', 'TOS3', 'TOS4', 'TOS5'] as const;

const PROCEDURE_CODE = /^[A-Z0-9]{5}$/;
const SEQNUM = /^\d{1,5}$/;

type HcpcsFile = Extract<ParsedFile, { kind: 'hcpcs' }>;

interface Open {
  code: string;
  recid: '3' | '7';
  at: SourcePosition;
  pieces: { seq: number; text: string; at: SourcePosition }[];
  record: HcpcsCodeRecord | ModifierRecord;
}

/**
 * Turn ANWEB rows (in file order) into code and modifier records. RECID 3/7 rows start a record;
 * RECID 4/8 rows continue the long description of the record just before them (same code), and
 * the pieces are joined with a single space in SEQNUM order.
 */
export function assembleAnweb(rows: Iterable<AnwebInputRow>, fileName: string): HcpcsFile {
  const codes: HcpcsCodeRecord[] = [];
  const modifiers: ModifierRecord[] = [];
  const duplicates = new DuplicateGuard('code');
  let open: Open | undefined;

  const close = (): void => {
    if (!open) return;
    if (open.pieces.length > 1) {
      const seen = new Map<number, SourcePosition>();
      for (const p of open.pieces) {
        const first = seen.get(p.seq);
        if (first) {
          throw new IngestError(
            p.at,
            `duplicate SEQNUM ${p.seq} for ${open.code} (first at ${placeOnly(first)})`,
            'SEQNUM',
          );
        }
        seen.set(p.seq, p.at);
      }
      open.pieces.sort((a, b) => a.seq - b.seq);
    }
    const text = open.pieces
      .map((p) => p.text)
      .filter((t) => t !== '')
      .join(' ')
      .trim();
    if (text === '') throw new IngestError(open.at, `no long description for ${open.code}`, 'LONG DESCRIPTION');
    open.record.longDescription = text;
    open = undefined;
  };

  for (const row of rows) {
    const { at, get } = row;
    const recid = clean(get('RECID'));
    const code = clean(get('HCPC'));
    const seqText = clean(get('SEQNUM'));
    if (!SEQNUM.test(seqText)) throw new IngestError(at, `expected a sequence number, found "${seqText}"`, 'SEQNUM');
    const seq = Number(seqText);
    // Only the right side is padding in the fixed-width file; a leading space is real text
    // (two spaces at a piece boundary in the original description).
    const piece = { seq, text: get('LONG DESCRIPTION').trimEnd(), at };

    if (recid === '4' || recid === '8') {
      const first = recid === '4' ? '3' : '7';
      if (!open || open.code !== code || open.recid !== first) {
        const kind = recid === '4' ? 'procedure code' : 'modifier';
        throw new IngestError(
          at,
          `continuation record (RECID ${recid}) for ${kind} "${code}" without its first record (RECID ${first})` +
            (open ? `; the record before it is ${open.code} (RECID ${open.recid})` : ''),
          'RECID',
        );
      }
      open.pieces.push(piece);
      continue;
    }

    close();
    if (recid === '3') {
      if (!PROCEDURE_CODE.test(code)) {
        throw new IngestError(at, `"${code}" is not a 5-character HCPCS code (RECID 3)`, 'HCPC');
      }
      duplicates.check(code, at, 'HCPC');
      const record = codeRecord(code, row);
      codes.push(record);
      open = { code, recid, at, pieces: [piece], record };
    } else if (recid === '7') {
      if (!MODIFIER_CODE.test(code)) {
        throw new IngestError(at, `"${code}" is not a 2-character modifier (RECID 7)`, 'HCPC');
      }
      duplicates.check(code, at, 'HCPC');
      const record = modifierRecord(code, row);
      modifiers.push(record);
      open = { code, recid, at, pieces: [piece], record };
    } else {
      throw new IngestError(at, `unknown record type "${recid}" (expected 3, 4, 7 or 8)`, 'RECID');
    }
  }
  close();

  if (codes.length + modifiers.length === 0) throw new IngestError({ file: fileName }, 'no HCPCS records in the file');
  return {
    kind: 'hcpcs',
    release: hcpcsReleaseHint(fileName),
    recordCount: codes.length + modifiers.length,
    codes,
    modifiers,
  };
}

function codeRecord(code: string, { at, get }: AnwebInputRow): HcpcsCodeRecord {
  return {
    at,
    code,
    longDescription: '', // set when the record (and its continuations) is complete
    shortDescription: clean(get('SHORT DESCRIPTION')),
    pricingIndicators: nonEmpty(PRICE.map(get)),
    multiplePricingIndicator: optional(get('MULT_PI')),
    cimReferences: nonEmpty(CIM.map(get)),
    mcmReferences: nonEmpty(MCM.map(get)),
    statute: optional(get('STATUTE')),
    labCertifications: nonEmpty(LABCERT.map(get)),
    crossReferences: nonEmpty(XREF.map(get)),
    coverageCode: optional(get('COV')),
    ascGroup: optional(get('ASC_GRP')),
    ascEffectiveDate: parseYmd(get('ASC_DT'), at, 'ASC_DT'),
    processingNote: optional(get('PROCNOTE')),
    betos: optional(get('BETOS')),
    typesOfService: nonEmpty(TOS.map(get)),
    anesthesiaBaseUnits: optionalInteger(get('ANEST_BU'), at, 'ANEST_BU'),
    addDate: parseYmd(get('ADD DT'), at, 'ADD DT'),
    actionEffectiveDate: parseYmd(get('ACT EFF DT'), at, 'ACT EFF DT'),
    terminationDate: parseYmd(get('TERM DT'), at, 'TERM DT'),
    actionCode: optional(get('ACTION CD')),
  };
}

function modifierRecord(code: string, { at, get }: AnwebInputRow): ModifierRecord {
  return {
    at,
    code,
    longDescription: '',
    shortDescription: optional(get('SHORT DESCRIPTION')),
    coverageCode: optional(get('COV')),
    processingNote: optional(get('PROCNOTE')),
    addDate: parseYmd(get('ADD DT'), at, 'ADD DT'),
    actionEffectiveDate: parseYmd(get('ACT EFF DT'), at, 'ACT EFF DT'),
    terminationDate: parseYmd(get('TERM DT'), at, 'TERM DT'),
    actionCode: optional(get('ACTION CD')),
  };
}

// `HCPC2025_OCT_ANWEB_v4` → 2025-10; `HCPC2019_CONTR_ANWEB` (annual "contractor" file) → 2019.
const QUARTERLY_NAME = /HCPC(\d{4})_([A-Z]{3})_ANWEB/i;
const ANNUAL_NAME = /HCPC(\d{4})_CONTR_ANWEB/i;

/** Release name and effective date from the CMS file name, or an empty hint. */
export function hcpcsReleaseHint(fileName: string): ReleaseHint {
  const name = baseName(fileName);
  const annual = ANNUAL_NAME.exec(name);
  if (annual) {
    const year = Number(annual[1]);
    const effectiveDate = utcDate(year, 1, 1);
    return effectiveDate ? { name: String(year), effectiveDate } : {};
  }
  const quarterly = QUARTERLY_NAME.exec(name);
  if (quarterly) return monthRelease(Number(quarterly[1]), monthNumber(quarterly[2]!));
  return {};
}
