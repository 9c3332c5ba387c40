// The A9597 briefing on the real CMS files (../shared/data), loaded with refgraph's own loader:
// HCPCS 2019 and October 2025, OPPS Addendum B January 2023 and April 2026.
import path from 'node:path';
import { parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';
import { sharedDataDir } from '../support/shared-data.js';

const dataDir = sharedDataDir();

const BRIEFING = /* GraphQL */ `
  query Briefing($asOf: Date) {
    briefing(code: "A9597", asOf: $asOf) {
      release
      summary { label value source release }
      billing { label value source release }
      modifiers { modifier }
      payers { slug notes { status } }
      benchmarks { release effectiveDate statusIndicator paymentRate source }
      recentChanges { release field }
      missing
      markdown
      html
    }
  }
`;

/** What BRIEFING selects. */
interface Fact {
  label: string;
  value: string;
  source: string;
  release: string;
}
interface Briefing {
  release: string;
  summary: Fact[];
  billing: Fact[];
  modifiers: { modifier: string }[];
  payers: { slug: string; notes: { status: string }[] }[];
  benchmarks: {
    release: string;
    effectiveDate: string;
    statusIndicator: string | null;
    paymentRate: string | null;
    source: string;
  }[];
  recentChanges: { release: string; field: string }[];
  missing: string[];
  markdown: string;
  html: string;
}

describe.skipIf(!dataDir)('the A9597 briefing on the shared CMS data', () => {
  beforeAll(async () => {
    const database = await useTestDatabase();
    const file = (relative: string) => path.join(dataDir!, relative);
    await loadFile(database.url, file('hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.csv'), { kind: 'hcpcs' });
    await loadFile(database.url, file('hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv'), { kind: 'hcpcs' });
    await loadFile(database.url, file('opps_addendum_b/opps_addendum_b_2023_jan_hcpcs_level2.csv'), { kind: 'opps' });
    await loadFile(database.url, file('opps_addendum_b/opps_addendum_b_2026_apr_hcpcs_level2.csv'), { kind: 'opps' });
  }, 180_000);

  it('states the October 2025 facts with their file and release, the OPPS benchmarks, and what is missing', async () => {
    const response = await graphql<{ briefing: Briefing }>(BRIEFING, { asOf: '2026-06-30' });
    expect(response.errors).toBeUndefined();
    const b = response.data!.briefing;
    const hcpcs = b.summary[0];
    expect(hcpcs).toMatchObject({
      label: 'Code',
      value: 'A9597',
      source: 'CMS HCPCS Level II (HCPC2025_OCT_ANWEB_v4.csv)',
    });
    expect(b.release).toBe(hcpcs?.release);
    expect(b.release).toMatch(/^2025-10/);
    const billing = Object.fromEntries(b.billing.map((f) => [f.label, f.value]));
    expect(billing).toMatchObject({
      'Long description':
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
      BETOS: 'I1E',
      'Types of service': '4',
      'Medicare coverage code': 'C',
      'Pricing indicators': '57',
      'Multiple pricing indicator': 'A',
    });
    expect(b.summary.find((f) => f.label === 'Added to HCPCS')?.value).toBe('2017-01-01');
    // OPPS Addendum B: status indicator N (packaged, no separate rate) in both files, newest first.
    expect(b.benchmarks.map((x) => [x.effectiveDate.slice(0, 7), x.statusIndicator, x.paymentRate])).toEqual([
      ['2026-04', 'N', null],
      ['2023-01', 'N', null],
    ]);
    expect(b.benchmarks[0]?.source).toBe('CMS OPPS Addendum B (opps_addendum_b_2026_apr_hcpcs_level2.csv)');
    // A9597 reads the same in 2019 and October 2025; no payer note is loaded from these files.
    expect(b.recentChanges).toEqual([]);
    // No taxonomy or diagnosis is linked to A9597 here; its clinical context comes from the starter data.
    expect(b.missing).toEqual(['TAXONOMIES', 'DIAGNOSES', 'PAYERS', 'RECENT_CHANGES']);
    expect(b.markdown).toMatch(/## Recent changes\n\n_Data not available_\n$/);
    expect(b.markdown).toMatch(/\| 2026-04[^|]* \| 2026-04-01 \| N \| — \| — \|/);
    const errors: string[] = [];
    parse(b.html, { onParseError: (error) => errors.push(error.code) });
    expect(errors).toEqual([]);
  });

  it('answers as of 2019 from the 2019 file, before the 2023 OPPS file', async () => {
    const response = await graphql<{ briefing: Briefing }>(BRIEFING, { asOf: '2019-07-01' });
    expect(response.errors).toBeUndefined();
    const b = response.data!.briefing;
    expect(b.summary[0]?.source).toBe('CMS HCPCS Level II (HCPC2019_CONTR_ANWEB.csv)');
    expect(b.benchmarks).toEqual([]);
    expect(b.missing).toEqual(['TAXONOMIES', 'DIAGNOSES', 'PAYERS', 'BENCHMARKS', 'RECENT_CHANGES']);
  });
});
