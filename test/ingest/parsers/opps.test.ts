// OPPS Addendum B (Level II rows): the full Jan 2023 layout and the rates-only Apr 2026 layout.
import { describe, expect, it } from 'vitest';
import { oppsReleaseHint, parseOppsCsv } from '../../../src/ingest/parsers/opps-csv.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { countLines, utc } from './helpers.js';

const dir = sharedDataDir();
const JAN_2023 = 'opps_addendum_b/opps_addendum_b_2023_jan_hcpcs_level2.csv';
const APR_2026 = 'opps_addendum_b/opps_addendum_b_2026_apr_hcpcs_level2.csv';

describe.skipIf(!dir)('OPPS Addendum B CSV', () => {
  it('Jan 2023: APC, weight, rate and copayments; "." is not applicable', () => {
    const bytes = readSharedFile(dir!, JAN_2023);
    const parsed = parseOppsCsv(bytes, JAN_2023);
    expect(parsed.rates).toHaveLength(countLines(bytes.toString('utf8'), /^[A-CE-V]\d{4},/));
    expect(parsed.recordCount).toBe(5749);
    expect(parsed.release).toEqual({ name: '2023-01', effectiveDate: utc('2023-01-01') });
    const byCode = new Map(parsed.rates.map((r) => [r.code, r]));
    expect(byCode.get('G0008')).toEqual({
      at: expect.any(Object),
      code: 'G0008',
      shortDescriptor: 'Admin influenza virus vac',
      statusIndicator: 'S',
      apc: '5691',
      relativeWeight: '0.4951',
      paymentRate: '42.37',
      nationalCopayment: '0',
      minimumCopayment: '0',
    });
    expect(byCode.get('A9597')).toMatchObject({
      shortDescriptor: 'Pet, dx, for tumor id, noc',
      statusIndicator: 'N',
      apc: null,
      paymentRate: null,
    });
    expect(byCode.get('Q0035')).toMatchObject({
      statusIndicator: 'Q1',
      apc: '5732',
      paymentRate: '33.96',
      nationalCopayment: null,
      minimumCopayment: '6.8',
    });
    // The export wrote 831.3199999999999 for the value 831.32.
    expect(byCode.get('A9600')).toMatchObject({
      apc: '0701',
      paymentRate: '4156.573',
      nationalCopayment: null,
      minimumCopayment: '831.32',
    });
    expect(parsed.rates.filter((r) => r.nationalCopayment === null && r.paymentRate !== null).length).toBeGreaterThan(
      600,
    );
  });

  it('Apr 2026: status indicator and rate only', () => {
    const bytes = readSharedFile(dir!, APR_2026);
    const parsed = parseOppsCsv(bytes, APR_2026);
    expect(parsed.rates).toHaveLength(countLines(bytes.toString('utf8'), /^[A-CE-V]\d{4},/));
    expect(parsed.recordCount).toBe(6664);
    expect(parsed.release).toEqual({ name: '2026-04', effectiveDate: utc('2026-04-01') });
    const byCode = new Map(parsed.rates.map((r) => [r.code, r]));
    expect(byCode.get('G0008')).toMatchObject({
      statusIndicator: 'S',
      paymentRate: '47.84',
      apc: null,
      relativeWeight: null,
      nationalCopayment: null,
      minimumCopayment: null,
    });
    expect(byCode.get('A9597')).toMatchObject({
      shortDescriptor: 'Pet, dx, for tumor id, noc',
      statusIndicator: 'N',
      paymentRate: null,
    });
    // A no-break space inside the text is kept as it is (only the ends are trimmed).
    expect(byCode.get('A2044')?.shortDescriptor).toBe('Biobrane\u00a0glove, each');
  });
});

describe('OPPS release hint', () => {
  it('prefers the file name, then a single source_release value', () => {
    expect(oppsReleaseHint('opps_addendum_b_2026_apr_hcpcs_level2.csv')).toEqual({
      name: '2026-04',
      effectiveDate: utc('2026-04-01'),
    });
    expect(oppsReleaseHint('addendum_b.csv', new Set(['2026-04']))).toEqual({
      name: '2026-04',
      effectiveDate: utc('2026-04-01'),
    });
    expect(oppsReleaseHint('addendum_b.csv', new Set(['2026-01', '2026-04']))).toEqual({});
  });
});
