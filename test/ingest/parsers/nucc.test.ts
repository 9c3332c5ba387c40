// NUCC Health Care Provider Taxonomy CSV, v24.0 (LF) and v25.1 (CRLF).
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { nuccReleaseHint, parseNuccCsv } from '../../../src/ingest/parsers/nucc-csv.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { utc } from './helpers.js';

const dir = sharedDataDir();
const V240 = 'nucc_taxonomy/nucc_taxonomy_240.csv';
const V251 = 'nucc_taxonomy/nucc_taxonomy_251.csv';

describe.skipIf(!dir)('NUCC taxonomy CSV', () => {
  it.each([
    [V240, 874, 'LF', { name: '24.0', effectiveDate: utc('2024-01-01') }],
    [V251, 883, 'CRLF', { name: '25.1', effectiveDate: utc('2025-07-01') }],
  ])('%s: %i rows (%s line ends)', (file, rows, lineEnd, release) => {
    const bytes = readSharedFile(dir!, file);
    expect(bytes.includes('\r\n')).toBe(lineEnd === 'CRLF');
    const independent = parse(bytes, { columns: true }) as Record<string, string>[];
    expect(independent).toHaveLength(rows);
    const parsed = parseNuccCsv(bytes, file);
    expect(parsed.taxonomies).toHaveLength(rows);
    expect(parsed.recordCount).toBe(rows);
    expect(parsed.release).toEqual(release);
    expect(parsed.taxonomies.map((t) => t.code)).toEqual(independent.map((r) => r.Code));
    expect(parsed.taxonomies.filter((t) => t.section === 'Non-Individual')).toHaveLength(185);
    expect(parsed.taxonomies.filter((t) => t.specialization === null)).toHaveLength(241);
    const family = parsed.taxonomies.find((t) => t.code === '207Q00000X');
    expect(family).toMatchObject({
      grouping: 'Allopathic & Osteopathic Physicians',
      classification: 'Family Medicine',
      specialization: null,
      displayName: 'Family Medicine Physician',
      section: 'Individual',
    });
    expect(parsed.taxonomies[0]).toEqual({
      at: { file, line: 2 },
      code: '193200000X',
      grouping: 'Group',
      classification: 'Multi-Specialty',
      specialization: null,
      definition:
        'A business group of one or more individual practitioners, who practice with different areas of specialization.',
      notes: '[7/1/2003: new]',
      displayName: 'Multi-Specialty Group',
      section: 'Individual',
    });
  });

  it('v25.1 adds exactly the 9 documented codes and removes none', () => {
    const v240 = new Set(parseNuccCsv(readSharedFile(dir!, V240), V240).taxonomies.map((t) => t.code));
    const v251 = parseNuccCsv(readSharedFile(dir!, V251), V251).taxonomies.map((t) => t.code);
    expect(v251.filter((c) => !v240.has(c)).sort()).toEqual([
      '146E00000X',
      '1835P1400X',
      '207LP4000X',
      '207QB0505X',
      '207QD0401X',
      '207QP0002X',
      '207RP1002X',
      '2080P1004X',
      '2086P0122X',
    ]);
    expect([...v240].filter((c) => !v251.includes(c))).toEqual([]);
  });
});

describe('NUCC release hint', () => {
  it('reads the version from the file name', () => {
    expect(nuccReleaseHint('data/nucc_taxonomy_251.csv')).toEqual({ name: '25.1', effectiveDate: utc('2025-07-01') });
    expect(nuccReleaseHint('nucc_taxonomy_240.csv')).toEqual({ name: '24.0', effectiveDate: utc('2024-01-01') });
    expect(nuccReleaseHint('taxonomy.csv')).toEqual({});
  });
});
