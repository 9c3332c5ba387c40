// Place of Service: the CMS Blue Button code list (CSV) and the 2017 web-page scrape (JSON).
import { describe, expect, it } from 'vitest';
import { parsePosCsv, posName } from '../../../src/ingest/parsers/pos-csv.js';
import { parsePosJson } from '../../../src/ingest/parsers/pos-json.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { countLines } from './helpers.js';

const dir = sharedDataDir();
const CSV = 'place_of_service/cms_bfd_clm_pos_cd.csv';
const JSON_FILE = 'place_of_service/cms_pos_codes_2017_scrape.json';

describe.skipIf(!dir)('Place of Service CSV (CMS BFD)', () => {
  const bytes = dir ? readSharedFile(dir, CSV) : Buffer.alloc(0);

  it('reads codes 00–99, 52 of them assigned', () => {
    const parsed = parsePosCsv(bytes, CSV);
    const text = bytes.toString('utf8');
    expect(parsed.places).toHaveLength(countLines(text, /^\d{2},/));
    expect(parsed.places.map((p) => p.code)).toEqual(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')));
    expect(parsed.places.filter((p) => p.assigned)).toHaveLength(countLines(text, /,Y$/));
    expect(parsed.places.filter((p) => p.assigned)).toHaveLength(52);
    expect(parsed.recordCount).toBe(100);
    expect(parsed.release).toEqual({});
  });

  it('takes a clean name out of the run-together CMS text and keeps the text as description', () => {
    const byCode = new Map(parsePosCsv(bytes, CSV).places.map((p) => [p.code, p]));
    const names: Record<string, string> = {
      '01': 'PHARMACY',
      '02': 'TELEHEALTH',
      '04': 'HOMELESS SHELTER',
      '10': 'TELEHEALTH',
      '11': 'OFFICE',
      '14': 'GROUP HOME',
      '19': 'OFF CAMPUS-OUTPATIENT HOSPITAL',
      '22': 'ON CAMPUS-OUTPATIENT HOSPITAL',
      '23': 'EMERGENCY ROOM-HOSPITAL',
      '24': 'AMBULATORY SURGICAL CENTER',
      '27': 'OUTREACH SITE/STREET',
      '32': 'NURSING FACILITY',
      '41': 'AMBULANCE—LAND',
      '42': 'AMBULANCE—AIR OR WATER',
      '49': 'INDEPENDENT CLINIC',
      '57': 'NON-RESIDENTIAL SUBSTANCE ABUSE TREATMENT FACILITY',
      '58': 'NON-RESIDENTIAL OPIOID TREATMENT FACILITY',
      '62': 'COMPREHENSIVE OUTPATIENT REHABILITATION FACILITY',
      '66': 'PROGRAMS OF ALL INCLUSIVE CARE FOR THE ELDERLY (PACE) CENTER',
      '99': 'OTHER PLACE OF SERVICE',
    };
    for (const [code, name] of Object.entries(names)) expect(byCode.get(code)?.name, code).toBe(name);
    expect(byCode.get('22')?.description).toMatch(
      /^ON CAMPUS-OUTPATIENT HOSPITAL \(DESCRIPTION REVISED JANUARY 1, 2016\) - A PORTION OF A HOSPITAL’S MAIN CAMPUS/,
    );
    expect(byCode.get('24')?.description).toMatch(/^AMBULATORY SURGICAL CENTER - A FREESTANDING FACILITY/);
    expect(byCode.get('27')?.description).toBe('OUTREACH SITE/STREET (EFF. 10/1/23)');
    expect(byCode.get('00')).toEqual({
      at: { file: CSV, line: 2 },
      code: '00',
      name: 'Unassigned',
      description: null,
      assigned: false,
    });
    for (const p of byCode.values()) {
      if (p.assigned) expect(p.name.length, p.code).toBeLessThanOrEqual(70);
    }
  });

  it('posName handles each separator style', () => {
    expect(posName('PHARMACY (EFFECTIVE OCTOBER 1, 2005)- A FACILITY')).toBe('PHARMACY');
    expect(posName('INDEPENDENT CLINIC (EFFECTIVE OCTOBER 1, 2003)  - A LOCATION')).toBe('INDEPENDENT CLINIC');
    expect(posName('EMERGENCY ROOM-HOSPITAL-  A PORTION OF A HOSPITAL')).toBe('EMERGENCY ROOM-HOSPITAL');
    expect(posName('NON-RESIDENTIAL OPIOID TREATMENT FACILITY')).toBe('NON-RESIDENTIAL OPIOID TREATMENT FACILITY');
  });
});

describe.skipIf(!dir)('Place of Service JSON (2017 scrape)', () => {
  it('reads the 48 scraped codes with their mixed-case names', () => {
    const bytes = readSharedFile(dir!, JSON_FILE);
    const parsed = parsePosJson(bytes, JSON_FILE);
    const raw = JSON.parse(bytes.toString('utf8')) as unknown[];
    expect(parsed.places).toHaveLength(raw.length);
    expect(parsed.places).toHaveLength(48);
    expect(parsed.places.every((p) => p.assigned)).toBe(true);
    const byCode = new Map(parsed.places.map((p) => [p.code, p]));
    expect(byCode.get('11')?.name).toBe('Office');
    expect(byCode.get('19')?.name).toBe('Off Campus-Outpatient Hospital');
    expect(byCode.get('22')?.name).toBe('On Campus-Outpatient Hospital');
    expect(byCode.get('24')?.name).toBe('Ambulatory Surgical Center');
    expect(byCode.get('23')?.name).toBe('Emergency Room – Hospital');
    expect(byCode.get('09')?.name).toBe('Prison  Correctional Facility');
    expect(byCode.get('22')?.description).toContain('hospital’s main campus');
    expect(byCode.get('24')?.at).toEqual({
      file: JSON_FILE,
      row: raw.findIndex((p) => (p as { placeOfServiceCode: string }).placeOfServiceCode === '24') + 1,
    });
    for (const missing of ['10', '27', '58', '66']) expect(byCode.has(missing)).toBe(false);
  });
});
