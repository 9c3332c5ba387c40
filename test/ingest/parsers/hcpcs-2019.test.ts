// HCPCS Level II, 2019 annual ANWEB file in its three formats: fixed-width TXT, xlsx, and the CSV
// exported from the xlsx. They hold the same release, but the CMS TXT and xlsx disagree in a few
// places; those differences are asserted exactly.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHcpcsCsv } from '../../../src/ingest/parsers/hcpcs-csv.js';
import { parseHcpcsTxt } from '../../../src/ingest/parsers/hcpcs-txt.js';
import { parseHcpcsXlsx } from '../../../src/ingest/parsers/hcpcs-xlsx.js';
import type { HcpcsCodeRecord, ParsedFile } from '../../../src/ingest/records.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { utc, withoutAt } from './helpers.js';

type Hcpcs = Extract<ParsedFile, { kind: 'hcpcs' }>;

const dir = sharedDataDir();
const BASE = 'hcpcs/2019_annual/HCPC2019_CONTR_ANWEB';
const TXT = `${BASE}.txt`;
const XLSX = `${BASE}.xlsx`;
const CSV = `${BASE}.csv`;

/** Codes whose long description spans several TXT lines and where the xlsx has two spaces at a line boundary. */
const WHITESPACE_DIFFERENCES = [
  'C9754',
  'G0417',
  'G0418',
  'G0419',
  'G0502',
  'G0503',
  'G9482',
  'G9486',
  'G9488',
  'G9627',
  'G9986',
];
/** TOS4 is `R` in the xlsx and blank in the TXT. */
const TOS4_DIFFERENCES = ['E0210', 'E0776'];

describe.skipIf(!dir)('HCPCS 2019 annual ANWEB (TXT, XLSX, CSV)', () => {
  let txtLines: string[];
  let txt: Hcpcs;
  let xlsx: Hcpcs;
  let csv: Hcpcs;

  beforeAll(async () => {
    const txtBytes = readSharedFile(dir!, TXT);
    txtLines = txtBytes.toString('latin1').split('\r\n');
    txt = parseHcpcsTxt(txtBytes, TXT);
    xlsx = await parseHcpcsXlsx(readSharedFile(dir!, XLSX), XLSX);
    csv = parseHcpcsCsv(readSharedFile(dir!, CSV), CSV);
  });

  it('reads every TXT record: first lines become records, continuation lines are joined', () => {
    // Counted from the bytes: a record line is `CODE(5) SEQNUM(5) RECID(1)`, RECID at position 11.
    const recid = (r: string) => txtLines.filter((l) => /^[A-Z0-9 ]{5}\d{5}[3478]/.test(l) && l[10] === r).length;
    expect([recid('3'), recid('4'), recid('7'), recid('8')]).toEqual([6440, 4656, 360, 166]);
    expect(txtLines.slice(0, 8).some((l) => /^[A-Z0-9 ]{5}\d{5}[3478]/.test(l))).toBe(false);
    expect(txt.codes).toHaveLength(recid('3'));
    expect(txt.modifiers).toHaveLength(recid('7'));
    expect(txt.recordCount).toBe(6800);
    expect(txt.release).toEqual({ name: '2019', effectiveDate: utc('2019-01-01') });
  });

  it('reads the xlsx (7 disclaimer rows, header on row 8) with its one G0503 continuation row', async () => {
    // Counted with ExcelJS' own workbook model, independently of the parser's streaming reader.
    const wb = new ExcelJS.Workbook();
    const bytes = readSharedFile(dir!, XLSX);
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(8).getCell(1).text).toBe('HCPC');
    const recids: Record<string, number> = {};
    sheet.eachRow((row, n) => {
      if (n > 8) recids[row.getCell(3).text] = (recids[row.getCell(3).text] ?? 0) + 1;
    });
    expect(recids).toEqual({ '3': 6440, '4': 1, '7': 360 });
    expect(xlsx.codes).toHaveLength(6440);
    expect(xlsx.modifiers).toHaveLength(360);
    expect(xlsx.codes[0]?.at.sheet).toBe('A');
    expect(xlsx.modifiers[0]?.at).toEqual({ file: XLSX, sheet: 'A', row: 9 });
  });

  it('joins the G0503 continuation in every format', () => {
    const expected =
      'Subsequent psychiatric collaborative care management, first 60 minutes in a subsequent month of behavioral';
    for (const parsed of [txt, xlsx, csv]) {
      const g0503 = parsed.codes.find((c) => c.code === 'G0503')!;
      expect(g0503.longDescription.startsWith(expected)).toBe(true);
      expect(
        g0503.longDescription.endsWith(
          'and/or other treatment goals and are prepared for discharge from active treatment',
        ),
      ).toBe(true);
    }
    const fromXlsx = xlsx.codes.find((c) => c.code === 'G0503')!;
    expect(fromXlsx.longDescription).toHaveLength(1253);
    expect(txt.codes.find((c) => c.code === 'G0503')!.longDescription).toHaveLength(1251);
    expect(txt.codes.find((c) => c.code === 'G0503')!.at).toEqual({ file: TXT, line: 3663 });
  });

  it('maps A9597 from its two TXT lines (1,445 and 1,446)', () => {
    const a9597 = txt.codes.find((c) => c.code === 'A9597')!;
    expect(a9597.at).toEqual({ file: TXT, line: 1445 });
    expect(a9597).toMatchObject({
      longDescription:
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
      shortDescription: 'Pet, dx, for tumor id, noc',
      pricingIndicators: ['57'],
      multiplePricingIndicator: 'A',
      coverageCode: 'C',
      betos: 'I1E',
      typesOfService: ['4'],
      anesthesiaBaseUnits: 0,
      addDate: utc('2017-01-01'),
    });
  });

  it('right-pads the one short TXT record (G8891 continuation, 316 characters)', () => {
    expect(txtLines[4460]).toHaveLength(316);
    expect(txtLines[4460]!.startsWith('G8891')).toBe(true);
    expect(txt.codes.find((c) => c.code === 'G8891')!.longDescription).toContain(
      '(e.g., patients with palliative goals for whom treatment of hypertension',
    );
  });

  it('gives the CSV exactly the records of the xlsx it was exported from', () => {
    expect(csv.codes.map(withoutAt)).toEqual(xlsx.codes.map(withoutAt));
    expect(csv.modifiers.map(withoutAt)).toEqual(xlsx.modifiers.map(withoutAt));
  });

  it('gives TXT and xlsx the same records except where the CMS files disagree', () => {
    const fromTxt = new Map(txt.codes.map((c) => [c.code, c]));
    expect(xlsx.codes.map((c) => c.code)).toEqual(txt.codes.map((c) => c.code));
    expect(xlsx.modifiers.map(withoutAt)).toEqual(txt.modifiers.map(withoutAt));

    const differences = new Map<keyof HcpcsCodeRecord, string[]>();
    for (const x of xlsx.codes) {
      const t = fromTxt.get(x.code)!;
      for (const key of Object.keys(x) as (keyof HcpcsCodeRecord)[]) {
        if (key === 'at') continue;
        if (JSON.stringify(x[key]) !== JSON.stringify(t[key])) {
          differences.set(key, [...(differences.get(key) ?? []), x.code]);
        }
      }
    }
    expect([...differences.keys()].sort()).toEqual(['actionEffectiveDate', 'longDescription', 'typesOfService']);

    // 1. ACT EFF DT: present in the TXT, empty in the xlsx, for 115 codes (e.g. A0130).
    const actEff = differences.get('actionEffectiveDate')!;
    expect(actEff).toHaveLength(115);
    expect(actEff).toContain('A0130');
    for (const code of actEff) {
      expect(xlsx.codes.find((c) => c.code === code)!.actionEffectiveDate).toBeNull();
      expect(fromTxt.get(code)!.actionEffectiveDate).toBeInstanceOf(Date);
    }
    expect(fromTxt.get('A0130')!.actionEffectiveDate).toEqual(utc('1982-01-01'));

    // 2. TOS4: `R` in the xlsx, blank in the TXT.
    expect(differences.get('typesOfService')).toEqual(TOS4_DIFFERENCES);
    expect(xlsx.codes.find((c) => c.code === 'E0210')!.typesOfService).toEqual(['A', 'L', 'P', 'R']);
    expect(fromTxt.get('E0210')!.typesOfService).toEqual(['A', 'L', 'P']);

    // 3. Long descriptions: the xlsx has two spaces where a TXT line ends with a (lost) trailing space.
    expect(differences.get('longDescription')).toEqual(WHITESPACE_DIFFERENCES);
    for (const code of WHITESPACE_DIFFERENCES) {
      const x = xlsx.codes.find((c) => c.code === code)!.longDescription;
      const t = fromTxt.get(code)!.longDescription;
      expect(x.replace(/ {2,}/g, ' ')).toBe(t.replace(/ {2,}/g, ' '));
      expect(x.length - t.length).toBeGreaterThan(0);
    }
  });
});
