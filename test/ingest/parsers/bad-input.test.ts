// Bad input gives an IngestError with a specific message naming the file, the place and the field.
// Synthetic buffers are built here; some cases cut or alter the bytes of a real file.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseFile } from '../../../src/ingest/parsers/detect.js';
import { ANWEB_COLUMNS } from '../../../src/ingest/parsers/hcpcs-columns.js';
import { parseHcpcsCsv } from '../../../src/ingest/parsers/hcpcs-csv.js';
import { parseHcpcsTxt } from '../../../src/ingest/parsers/hcpcs-txt.js';
import { parseHcpcsXlsx } from '../../../src/ingest/parsers/hcpcs-xlsx.js';
import { parseMcdCsv } from '../../../src/ingest/parsers/mcd-csv.js';
import { parseModifiersCsv } from '../../../src/ingest/parsers/modifiers-csv.js';
import { parseNuccCsv } from '../../../src/ingest/parsers/nucc-csv.js';
import { parseOppsCsv } from '../../../src/ingest/parsers/opps-csv.js';
import { parsePosCsv } from '../../../src/ingest/parsers/pos-csv.js';
import { parsePosJson } from '../../../src/ingest/parsers/pos-json.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { anwebCsv, anwebTxt, anwebTxtLine, codeRow, ingestError, utc } from './helpers.js';

const dir = sharedDataDir();
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('synthetic files that are fine', () => {
  it('parse: a code with a continuation, a modifier, empty dates, ANEST_BU padding', () => {
    const parsed = parseHcpcsTxt(
      anwebTxt([
        anwebTxtLine(codeRow('A0001', { SEQNUM: '00100', 'LONG DESCRIPTION': 'First part of the text' })),
        anwebTxtLine({ HCPC: 'A0001', SEQNUM: '00200', RECID: '4', 'LONG DESCRIPTION': 'second part' }),
        anwebTxtLine({ HCPC: 'TC', SEQNUM: '00100', RECID: '7', 'LONG DESCRIPTION': 'Technical component', COV: 'C' }),
      ]),
      'tiny.txt',
    );
    expect(parsed.codes).toHaveLength(1);
    expect(parsed.codes[0]).toMatchObject({
      at: { file: 'tiny.txt', line: 5 },
      code: 'A0001',
      longDescription: 'First part of the text second part',
      anesthesiaBaseUnits: 0,
      terminationDate: null,
      addDate: utc('2017-01-01'),
    });
    expect(parsed.modifiers[0]).toMatchObject({ code: 'TC', shortDescription: null, addDate: null });
    expect(parsed.release).toEqual({});
  });

  it('strip a UTF-8 byte-order mark', () => {
    const body = 'code,bfd_display,assigned\n11,"OFFICE - LOCATION, OTHER THAN A HOSPITAL",Y\n';
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(body)]);
    expect(detectFormat(withBom, 'pos.csv')).toEqual({ kind: 'pos', format: 'pos-csv' });
    expect(parsePosCsv(withBom, 'pos.csv').places).toEqual(parsePosCsv(utf8(body), 'pos.csv').places);
    expect(parsePosCsv(withBom, 'pos.csv').places[0]?.name).toBe('OFFICE');
  });
});

describe('empty files', () => {
  it.each([
    ['hcpcs.csv', parseHcpcsCsv],
    ['hcpcs.txt', parseHcpcsTxt],
    ['modifiers.csv', parseModifiersCsv],
    ['pos.csv', parsePosCsv],
    ['pos.json', parsePosJson],
    ['nucc.csv', parseNuccCsv],
    ['opps.csv', parseOppsCsv],
    ['mcd.csv', parseMcdCsv],
    ['any.csv', detectFormat],
  ] as const)('%s', async (name, parser) => {
    for (const bytes of [Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), utf8('\n\r\n  \n')]) {
      const err = await ingestError(() => parser(bytes, name));
      expect(err.message).toBe(`${name}: file is empty`);
    }
  });

  it('xlsx', async () => {
    expect((await ingestError(() => parseHcpcsXlsx(Buffer.alloc(0), 'e.xlsx'))).message).toBe('e.xlsx: file is empty');
    expect((await ingestError(() => detectFormat(Buffer.alloc(0), 'e.xlsx'))).message).toBe('e.xlsx: file is empty');
  });

  it('a header without data rows', async () => {
    const err = await ingestError(() => parseHcpcsCsv(anwebCsv([]), 'h.csv'));
    expect(err.message).toBe('h.csv line 1: file has a header but no data rows');
  });
});

describe('unknown format and wrong header', () => {
  it('unknown format lists the known layouts', async () => {
    const err = await ingestError(() => detectFormat(utf8('hello,world\n1,2\n'), 'mystery.csv'));
    expect(err.message).toMatch(/^mystery\.csv line 1: unknown file format: .*found "hello,world"/);
    expect(err.message).toContain('HCPCS ANWEB CSV (HCPC, SEQNUM, RECID, LONG DESCRIPTION');
    expect(err.message).toContain('NUCC taxonomy CSV (Code, Grouping, Classification');
    expect(err.message).toContain('HCPCS ANWEB fixed-width .txt');
    await expect(parseFile(utf8('just some text\n'), 'notes.txt')).rejects.toThrow(/unknown file format/);
  });

  it('a header close to a known one names what is missing and lists the expected columns', async () => {
    const bytes = utf8(
      anwebCsv([codeRow('A0001')])
        .toString('utf8')
        .replace('HCPC,SEQNUM', 'HCPCS,SEQNUM'),
    );
    for (const run of [() => detectFormat(bytes, 'bad.csv'), () => parseHcpcsCsv(bytes, 'bad.csv')]) {
      const err = await ingestError(run);
      expect(err.at).toEqual({ file: 'bad.csv', line: 1 });
      expect(err.message).toContain(
        'header does not match the HCPCS ANWEB layout (missing "HCPC"; unexpected "HCPCS")',
      );
      expect(err.message).toContain(`expected columns: ${ANWEB_COLUMNS.join(', ')}`);
    }
  });

  it('a file given to the wrong parser', async () => {
    const err = await ingestError(() => parseNuccCsv(utf8('modifier,long_description\nTC,Technical\n'), 'mods.csv'));
    expect(err.message).toContain('mods.csv line 1: header does not match the NUCC taxonomy layout');
    expect(err.message).toContain(
      'expected columns: Code, Grouping, Classification, Specialization, Definition, Notes, Display Name, Section',
    );
  });

  it('parseFile with a kind checks the content really is that kind', async () => {
    const nucc = utf8(
      'Code,Grouping,Classification,Specialization,Definition,Notes,Display Name,Section\n207Q00000X,A,B,,,,C,Individual\n',
    );
    await expect(parseFile(nucc, 'taxonomy.csv', 'hcpcs')).rejects.toThrow(
      'taxonomy.csv: expected a file of kind "hcpcs", but its content is of kind "nucc" (format nucc-csv)',
    );
    await expect(parseFile(nucc, 'taxonomy.csv', 'nucc')).resolves.toMatchObject({ kind: 'nucc', recordCount: 1 });
  });

  it('xlsx without an ANWEB header row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Changes');
    ws.addRow(['HCPC', 'ACTION CD', 'SHORT DESCRIPTION', 'LONG DESCRIPTION']);
    ws.addRow(['A0001', 'N', 'Short', 'Long']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const err = await ingestError(() => parseHcpcsXlsx(bytes, 'report.xlsx'));
    expect(err.message).toContain(
      'report.xlsx sheet "Changes" row 1: header does not match the HCPCS ANWEB layout (missing "SEQNUM", "RECID"',
    );
    const none = new ExcelJS.Workbook();
    none.addWorksheet('S').addRow(['nothing here']);
    const err2 = await ingestError(async () => parseHcpcsXlsx(Buffer.from(await none.xlsx.writeBuffer()), 'none.xlsx'));
    expect(err2.message).toMatch(/^none\.xlsx sheet "S": no ANWEB header row/);
  });

  it('an .xlsx that is not a zip, and JSON that is not the POS list', async () => {
    expect((await ingestError(() => detectFormat(utf8('HCPC,SEQNUM'), 'x.xlsx'))).message).toContain(
      'not an .xlsx workbook',
    );
    expect((await ingestError(() => parseHcpcsXlsx(utf8('HCPC,SEQNUM'), 'x.xlsx'))).message).toContain(
      'not an .xlsx workbook',
    );
    expect((await ingestError(() => detectFormat(utf8('[{"a":1}]'), 'x.json'))).message).toContain('unknown JSON file');
  });
});

describe('truncated files', () => {
  it('CSV cut inside a quoted field: unterminated quote, reported at the record that opened it', async () => {
    const bytes = anwebCsv([codeRow('A0001'), codeRow('A0002', { 'LONG DESCRIPTION': 'Text, with a comma and more' })]);
    const cut = bytes.subarray(0, bytes.indexOf('with a comma'));
    const err = await ingestError(() => parseHcpcsCsv(cut, 'cut.csv'));
    expect(err.at).toEqual({ file: 'cut.csv', line: 3 });
    expect(err.message).toMatch(/^cut\.csv line 3: unterminated quoted field/);
  });

  it('CSV cut mid-line: the last line has too few fields', async () => {
    const bytes = anwebCsv([codeRow('A0001'), codeRow('A0002')]);
    const cut = bytes.subarray(0, bytes.indexOf('Short A0002'));
    const err = await ingestError(() => parseHcpcsCsv(cut, 'cut.csv'));
    expect(err.message).toBe(
      'cut.csv line 3: wrong number of fields: found 5, expected 48 (truncated line or unquoted delimiter?)',
    );
  });

  it('TXT cut mid-record: the last record is shorter than the fixed layout', async () => {
    const txt = anwebTxt([
      anwebTxtLine(codeRow('A0001', { SEQNUM: '00100' })),
      anwebTxtLine(codeRow('A0002', { SEQNUM: '00100' })),
    ]);
    const cut = txt.subarray(0, txt.length - 200);
    const err = await ingestError(() => parseHcpcsTxt(cut, 'cut.txt'));
    expect(err.message).toBe(
      'cut.txt line 6: truncated record at the end of the file: 122 characters, a record has 320',
    );
    // Cut so early that not even the code and RECID are complete.
    const early = txt.subarray(0, txt.length - 322 + 8);
    expect((await ingestError(() => parseHcpcsTxt(early, 'cut.txt'))).message).toContain('line 6: truncated record');
  });

  it('a short record in the middle of a TXT is an error too', async () => {
    const txt = anwebTxt([
      anwebTxtLine(codeRow('A0001', { SEQNUM: '00100' })).slice(0, 200),
      anwebTxtLine(codeRow('A0002', { SEQNUM: '00100' })),
    ]);
    expect((await ingestError(() => parseHcpcsTxt(txt, 'short.txt'))).message).toBe(
      'short.txt line 5: truncated record: 200 characters, a record has 320 (data up to position 293)',
    );
  });

  it('truncated xlsx and JSON', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow([...ANWEB_COLUMNS]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const err = await ingestError(() => parseHcpcsXlsx(bytes.subarray(0, bytes.length - 30), 't.xlsx'));
    expect(err.message).toContain('t.xlsx: truncated .xlsx workbook');
    const json = utf8('[{"placeOfServiceCode":"01","placeOfServiceName":"Pharmacy","placeOfServiceDescription":"A fac');
    expect((await ingestError(() => parsePosJson(json, 'pos.json'))).message).toMatch(
      /^pos\.json line 1: invalid JSON/,
    );
  });
});

describe.skipIf(!dir)('truncated real files', () => {
  it('the 2019 TXT cut in the middle of line 1,445 (A9597)', async () => {
    const bytes = readSharedFile(dir!, 'hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.txt');
    let offset = 0;
    for (let line = 1; line < 1445; line++) offset = bytes.indexOf('\r\n', offset) + 2;
    const err = await ingestError(() => parseHcpcsTxt(bytes.subarray(0, offset + 150), 'HCPC2019_CONTR_ANWEB.txt'));
    expect(err.message).toBe(
      'HCPC2019_CONTR_ANWEB.txt line 1445: truncated record at the end of the file: 150 characters, a record has 320',
    );
  });

  it('the Oct 2025 CSV cut inside the quoted TC description (line 319)', async () => {
    const bytes = readSharedFile(dir!, 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv');
    const cut = bytes.subarray(0, bytes.indexOf('portable x-ray suppliers'));
    const err = await ingestError(() => parseHcpcsCsv(cut, 'HCPC2025_OCT_ANWEB_v4.csv'));
    expect(err.at.line).toBe(319);
    expect(err.message).toContain('unterminated quoted field');
  });
});

describe('records', () => {
  it('continuation record without its first record', async () => {
    const txt = anwebTxt([
      anwebTxtLine(codeRow('A0001', { SEQNUM: '00100' })),
      anwebTxtLine({ HCPC: 'A0002', SEQNUM: '00200', RECID: '4', 'LONG DESCRIPTION': 'orphan' }),
    ]);
    const err = await ingestError(() => parseHcpcsTxt(txt, 'orphan.txt'));
    expect(err.message).toBe(
      'orphan.txt line 6, field RECID: continuation record (RECID 4) for procedure code "A0002" without its first record (RECID 3); the record before it is A0001 (RECID 3)',
    );
    const csv = anwebCsv([{ HCPC: '   TC', SEQNUM: '0020', RECID: '8', 'LONG DESCRIPTION': 'orphan' }]);
    expect((await ingestError(() => parseHcpcsCsv(csv, 'orphan.csv'))).message).toBe(
      'orphan.csv line 2, field RECID: continuation record (RECID 8) for modifier "TC" without its first record (RECID 7)',
    );
  });

  it('duplicate code names both lines', async () => {
    const csv = anwebCsv([codeRow('A9597'), codeRow('A0002'), codeRow('A9597')]);
    const err = await ingestError(() => parseHcpcsCsv(csv, 'dup.csv'));
    expect(err.message).toBe('dup.csv line 4, field HCPC: duplicate code A9597 (first at line 2)');
    const mods = utf8(
      'modifier,long_description,short_description,coverage_code,procnote,add_date,action_effective_date,termination_date,action_code\nTC,a,,C,,,,,N\nTC,b,,C,,,,,N\n',
    );
    expect((await ingestError(() => parseModifiersCsv(mods, 'm.csv'))).message).toBe(
      'm.csv line 3, field modifier: duplicate modifier TC (first at line 2)',
    );
  });

  it('impossible dates name the field', async () => {
    const csv = anwebCsv([codeRow('A0001'), codeRow('A0002', { 'ADD DT': '20251340' })]);
    expect((await ingestError(() => parseHcpcsCsv(csv, 'd.csv'))).message).toBe(
      'd.csv line 3, field ADD DT: "20251340" is not a valid date (expected YYYYMMDD)',
    );
    const feb30 = anwebCsv([codeRow('A0001', { 'TERM DT': '20250230' })]);
    expect((await ingestError(() => parseHcpcsCsv(feb30, 'd.csv'))).message).toContain(
      'field TERM DT: "20250230" is not a valid date',
    );
    const txt = anwebTxt([anwebTxtLine(codeRow('A0001', { SEQNUM: '00100', 'ACT EFF DT': '2025AB01' }))]);
    expect((await ingestError(() => parseHcpcsTxt(txt, 'd.txt'))).message).toBe(
      'd.txt line 5, field ACT EFF DT: "2025AB01" is not a valid date (expected YYYYMMDD)',
    );
  });

  it('impossible date in an xlsx names the sheet and row; numeric date cells are read as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('ANWEB');
    ws.addRow(['***Disclaimers']);
    ws.addRow([]);
    ws.addRow([...ANWEB_COLUMNS]);
    const row = (fields: ReturnType<typeof codeRow>) => ANWEB_COLUMNS.map((c) => fields[c] ?? null);
    const good = row(codeRow('A0001'));
    good[ANWEB_COLUMNS.indexOf('TERM DT')] = 20250930 as unknown as string; // stored as a number
    ws.addRow(good);
    const parsed = await parseHcpcsXlsx(Buffer.from(await wb.xlsx.writeBuffer()), 'ok.xlsx');
    expect(parsed.codes[0]).toMatchObject({
      at: { file: 'ok.xlsx', sheet: 'ANWEB', row: 4 },
      terminationDate: utc('2025-09-30'),
    });
    ws.addRow(row(codeRow('A0002', { 'ADD DT': '20251340' })));
    const err = await ingestError(async () => parseHcpcsXlsx(Buffer.from(await wb.xlsx.writeBuffer()), 'bad.xlsx'));
    expect(err.message).toBe(
      'bad.xlsx sheet "ANWEB" row 5, field ADD DT: "20251340" is not a valid date (expected YYYYMMDD)',
    );
  });

  it('other field checks: MM/DD/YYYY dates, document type, decimals, codes', async () => {
    const mcdHeader =
      'contractor_name_type,document_display_id,document_id,document_type,document_version,effective_date,note,retirement_date,title,updated_on,updated_on_sort,url\n';
    const mcd = (effective: string, type = 'LCD') =>
      utf8(
        `${mcdHeader}"Palmetto GBA\n(HHH MAC)",L1,1,${type},1,${effective},,N/A,T,01/02/2025,20250102000000,https://x\n`,
      );
    expect(parseMcdCsv(mcd('02/28/2025'), 'mcd.csv').documents[0]).toMatchObject({
      at: { file: 'mcd.csv', line: 2 },
      contractorName: 'Palmetto GBA',
      contractorType: 'HHH MAC',
      effectiveDate: utc('2025-02-28'),
      retirementDate: null,
    });
    expect((await ingestError(() => parseMcdCsv(mcd('02/30/2025'), 'mcd.csv'))).message).toBe(
      'mcd.csv line 2, field effective_date: "02/30/2025" is not a valid date (expected MM/DD/YYYY)',
    );
    expect((await ingestError(() => parseMcdCsv(mcd('02/28/2025', 'NCD'), 'mcd.csv'))).message).toBe(
      'mcd.csv line 2, field document_type: expected LCD or Article, found "NCD"',
    );
    const opps = utf8(
      'hcpcs_code,short_descriptor,status_indicator,payment_rate,changed,source_release\nG0008,Admin,S,$47.84,false,2026-04\n',
    );
    expect((await ingestError(() => parseOppsCsv(opps, 'opps.csv'))).message).toBe(
      'opps.csv line 2, field payment_rate: expected a decimal number, found "$47.84"',
    );
    const code = anwebCsv([codeRow('A001')]);
    expect((await ingestError(() => parseHcpcsCsv(code, 'c.csv'))).message).toBe(
      'c.csv line 2, field HCPC: "A001" is not a 5-character HCPCS code (RECID 3)',
    );
    const anest = anwebCsv([codeRow('A0001', { ANEST_BU: ' x1' })]);
    expect((await ingestError(() => parseHcpcsCsv(anest, 'c.csv'))).message).toBe(
      'c.csv line 2, field ANEST_BU: expected a whole number, found "x1"',
    );
  });
});

describe('invalid UTF-8', () => {
  const header = 'Code,Grouping,Classification,Specialization,Definition,Notes,Display Name,Section\n';
  const row = (code: string, def: string) => `${code},Group,Multi-Specialty,,${def},,Name,Individual\n`;

  it('reports the line where decoding fails', async () => {
    const bytes = Buffer.concat([
      utf8(header + row('193200000X', 'Fine — with a dash') + row('193400000X', 'also fine')),
      utf8('193500000X,Group,Bad,,caf'),
      Buffer.from([0xe9]), // Latin-1 "é": not valid UTF-8 on its own
      utf8(',,Name,Individual\n'),
    ]);
    for (const run of [() => parseNuccCsv(bytes, 'nucc.csv'), () => parseFile(bytes, 'nucc.csv')]) {
      const err = await ingestError(run);
      expect(err.message).toBe(
        'nucc.csv line 4: invalid UTF-8 (byte 0xe9 at byte 26 of the line); the file must be UTF-8 encoded',
      );
    }
  });

  it('a multi-byte sequence cut short', async () => {
    const bytes = Buffer.concat([utf8(header), Buffer.from([0xe2, 0x80]), utf8(row('193200000X', 'x'))]);
    expect((await ingestError(() => parseNuccCsv(bytes, 'nucc.csv'))).message).toBe(
      'nucc.csv line 2: invalid UTF-8 (byte 0xe2 at byte 1 of the line); the file must be UTF-8 encoded',
    );
  });
});

describe.skipIf(!dir)('invalid UTF-8 in a real file', () => {
  it('the NUCC 25.1 CSV with one byte altered on line 100', async () => {
    const bytes = Buffer.from(readSharedFile(dir!, 'nucc_taxonomy/nucc_taxonomy_251.csv'));
    let offset = 0;
    for (let line = 1; line < 100; line++) offset = bytes.indexOf('\n', offset) + 1;
    bytes[offset + 3] = 0xff;
    const err = await ingestError(() => parseNuccCsv(bytes, 'nucc_taxonomy_251.csv'));
    expect(err.message).toBe(
      'nucc_taxonomy_251.csv line 100: invalid UTF-8 (byte 0xff at byte 4 of the line); the file must be UTF-8 encoded',
    );
  });
});
