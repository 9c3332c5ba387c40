// detectFormat / parseFile on every real file, and on the files of the folder that are not inputs.
import { describe, expect, it } from 'vitest';
import { detectFormat, parseFile } from '../../../src/ingest/parsers/detect.js';
import { IngestError } from '../../../src/ingest/errors.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';

const dir = sharedDataDir();

const INPUTS = [
  ['hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv', 'hcpcs', 'hcpcs-csv', 8846],
  ['hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.csv', 'hcpcs', 'hcpcs-csv', 6800],
  ['hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.xlsx', 'hcpcs', 'hcpcs-xlsx', 6800],
  ['hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.txt', 'hcpcs', 'hcpcs-txt', 6800],
  ['hcpcs/modifiers/hcpcs_level2_modifiers_2025_oct.csv', 'modifiers', 'modifiers-csv', 383],
  ['place_of_service/cms_bfd_clm_pos_cd.csv', 'pos', 'pos-csv', 100],
  ['place_of_service/cms_pos_codes_2017_scrape.json', 'pos', 'pos-json', 48],
  ['nucc_taxonomy/nucc_taxonomy_240.csv', 'nucc', 'nucc-csv', 874],
  ['nucc_taxonomy/nucc_taxonomy_251.csv', 'nucc', 'nucc-csv', 883],
  ['opps_addendum_b/opps_addendum_b_2023_jan_hcpcs_level2.csv', 'opps', 'opps-csv', 5749],
  ['opps_addendum_b/opps_addendum_b_2026_apr_hcpcs_level2.csv', 'opps', 'opps-csv', 6664],
  ['coverage/mcd_lcd_lca_documents_2025-08.csv', 'mcd', 'mcd-csv', 3133],
] as const;

describe.skipIf(!dir)('detectFormat and parseFile on the real files', () => {
  it.each(INPUTS)('%s → %s / %s', async (file, kind, format, count) => {
    const bytes = readSharedFile(dir!, file);
    expect(detectFormat(bytes, file)).toEqual({ kind, format });
    const parsed = await parseFile(bytes, file, kind);
    expect(parsed.kind).toBe(kind);
    expect(parsed.recordCount).toBe(count);
  });

  it('the detection does not depend on the file name', () => {
    for (const [file, kind, format] of INPUTS) {
      expect(detectFormat(readSharedFile(dir!, file), 'upload.bin')).toEqual({ kind, format });
    }
  });

  it.each([
    ['hcpcs/2019_annual/HCPCS2019_recordlayout.txt', /line 1: unknown file format/],
    ['hcpcs/2019_annual/HCPC2019_README.txt', /line 1: unknown file format/],
    [
      'hcpcs/2019_annual/hcpcs_code_value_tables_from_recordlayout_2019.csv',
      /line 1: unknown file format: .*found "table,code,description"/,
    ],
  ])('rejects %s', (file, message) => {
    const bytes = readSharedFile(dir!, file);
    expect(() => detectFormat(bytes, file)).toThrow(IngestError);
    expect(() => detectFormat(bytes, file)).toThrow(message);
  });

  it.each([
    ['hcpcs/2019_annual/HCPC2019_Trans_Alpha.xlsx', /sheet "Changes by HCPCS Code": no ANWEB header row/],
    [
      'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_Transaction_Report_v4.xlsx',
      /header does not match the HCPCS ANWEB layout \(missing "SEQNUM", "RECID"/,
    ],
    ['hcpcs/2025_jul/NOC_codes_JUL2025.xlsx', /no ANWEB header row/],
  ])('rejects the workbook %s', async (file, message) => {
    await expect(parseFile(readSharedFile(dir!, file), file)).rejects.toThrow(message);
  });

  it('refuses a file of another kind than the one asked for', async () => {
    const file = 'nucc_taxonomy/nucc_taxonomy_251.csv';
    await expect(parseFile(readSharedFile(dir!, file), file, 'opps')).rejects.toThrow(
      `${file}: expected a file of kind "opps", but its content is of kind "nucc" (format nucc-csv)`,
    );
  });
});

describe('files that are not text', () => {
  const expected =
    'expected a CSV (UTF-8), JSON, fixed-width .txt (Latin-1) or .xlsx file as CMS and NUCC publish them';

  it('says a UTF-16 file is UTF-16 (with or without a byte order mark), not what its bytes look like in Latin-1', () => {
    const text = 'HCPC,SEQNUM,RECID\nA9597,0010,3\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(() => detectFormat(le, 'anweb.csv')).toThrow(
      `anweb.csv: the file appears to be UTF-16 text (byte order mark FF FE); save it as UTF-8; ${expected}`,
    );
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(() => detectFormat(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'anweb.csv')).toThrow(
      'byte order mark FE FF',
    );
    expect(() => detectFormat(Buffer.from(text, 'utf16le'), 'anweb.csv')).toThrow(
      `anweb.csv: the file appears to be UTF-16 text (every other byte is zero); save it as UTF-8; ${expected}`,
    );
  });

  it('says a binary file is binary, and names the common wrong picks', () => {
    expect(() => detectFormat(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x00, 0x7f, 0x80]), 'data.bin')).toThrow(
      `data.bin: the file appears to be binary data, not text; ${expected}`,
    );
    expect(() => detectFormat(Buffer.from('%PDF-1.7\n...'), 'HCPC2025_OCT_ANWEB.pdf')).toThrow(
      'the file appears to be a PDF document;',
    );
    expect(() => detectFormat(Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 'anweb.csv.gz')).toThrow(
      'the file appears to be a gzip-compressed file (unpack it first);',
    );
    expect(() => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), 'anweb.xls')).toThrow(
      'an old Excel .xls workbook (save it as .xlsx or CSV)',
    );
  });
});
