// briefing(code:) and `refgraph brief`: the starter-data A9597 briefing (sections without data say
// "Data not available"), a code with every section present, as-of dates, payer scope, escaping and
// valid HTML, the statement count, and the command line end to end.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { contentHash } from '../../src/ingest/content-hash.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';

const run = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
});

const BRIEFING = /* GraphQL */ `
  query Briefing($code: String!, $asOf: Date, $payers: [ID!]) {
    briefing(code: $code, asOf: $asOf, payers: $payers) {
      code
      asOf
      release
      overview
      summary { label value source release }
      billing { label value source release }
      sitesOfService { setting placeOfService note source release }
      modifiers { modifier description whenToUse descriptionSource descriptionRelease source release }
      taxonomies { taxonomy displayName classification note descriptionSource descriptionRelease source release }
      diagnoses { diagnosis description note descriptionSource source release }
      clinicalContext { scenario workflow { stage actor description } componentBilling source release }
      payers { slug name notes { status scope policy summary effectiveDate source release } }
      benchmarks { release effectiveDate statusIndicator apc paymentRate source }
      recentChanges { release previousRelease effectiveDate field before after source }
      missing
      markdown
      html
    }
  }
`;

/** What BRIEFING selects (every field of a briefing). */
interface Sourced {
  source: string;
  release: string;
}
interface Fact extends Sourced {
  label: string;
  value: string;
}
interface Briefing {
  code: string;
  asOf: string;
  release: string;
  overview: string;
  summary: Fact[];
  billing: Fact[];
  sitesOfService: (Sourced & { setting: string; placeOfService: string | null; note: string | null })[];
  modifiers: (Sourced & {
    modifier: string;
    description: string;
    whenToUse: string;
    descriptionSource: string;
    descriptionRelease: string;
  })[];
  taxonomies: (Sourced & {
    taxonomy: string;
    displayName: string | null;
    classification: string;
    note: string | null;
  })[];
  diagnoses: (Sourced & { diagnosis: string; description: string; note: string | null; descriptionSource: string })[];
  clinicalContext:
    | (Sourced & {
        scenario: string;
        workflow: { stage: string; actor: string; description: string }[];
        componentBilling: string;
      })
    | null;
  payers: {
    slug: string;
    name: string;
    notes: (Sourced & {
      status: string;
      scope: string;
      policy: string | null;
      summary: string;
      effectiveDate: string | null;
    })[];
  }[];
  benchmarks: (Sourced & {
    effectiveDate: string;
    statusIndicator: string | null;
    apc: string | null;
    paymentRate: string | null;
  })[];
  recentChanges: (Sourced & {
    previousRelease: string;
    effectiveDate: string;
    field: string;
    before: string | null;
    after: string | null;
  })[];
  missing: string[];
  markdown: string;
  html: string;
}

async function briefing(variables: Record<string, unknown>): Promise<Briefing> {
  const response = await graphql<{ briefing: Briefing | null }>(BRIEFING, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.briefing!;
}

const SECTION_TITLES = [
  'Summary and overview',
  'Billing code overview',
  'Coding specifications',
  'Provider taxonomies',
  'Supporting diagnoses',
  'Clinical context',
  'Payers in scope',
  'Benchmarks',
  'Recent changes',
];

type Element = DefaultTreeAdapterMap['element'];

/** Parses HTML strictly: every parse error is returned (a valid document has none). */
function parseHtml(html: string): { errors: string[]; root: DefaultTreeAdapterMap['document'] } {
  const errors: string[] = [];
  const root = parse(html, {
    onParseError: (error) => errors.push(`${error.code} at ${error.startLine}:${error.startCol}`),
  });
  return { errors, root };
}

function elements(node: { childNodes?: unknown[] }, tag: string, found: Element[] = []): Element[] {
  for (const child of (node.childNodes ?? []) as Element[]) {
    if (child.tagName === tag) found.push(child);
    if (child.childNodes) elements(child, tag, found);
  }
  return found;
}

function textOf(node: { childNodes?: unknown[]; value?: string; nodeName?: string }): string {
  if (node.nodeName === '#text') return node.value ?? '';
  return ((node.childNodes ?? []) as (typeof node)[]).map(textOf).join('');
}

/** Markdown sections: `## Title` → its body. */
function markdownSections(markdown: string): Record<string, string> {
  return Object.fromEntries(
    markdown
      .split(/^## /m)
      .slice(1)
      .map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1).trim()]),
  );
}

describe('the A9597 briefing on the starter data', () => {
  it('states the code, its descriptions, sites and modifiers with their sources, and says what is missing', async () => {
    const b = await briefing({ code: 'a9597', asOf: '2026-01-15' });
    expect(b.code).toBe('A9597');
    expect(b.asOf).toBe('2026-01-15');
    expect(b.release).toBe('refgraph-starter');
    const starter = 'refgraph starter data (as published in the CMS HCPCS Level II file)';
    expect(b.summary).toEqual([
      { label: 'Code', value: 'A9597', source: starter, release: 'refgraph-starter' },
      { label: 'Short description', value: 'Pet, dx, for tumor id, noc', source: starter, release: 'refgraph-starter' },
      { label: 'Status on 2026-01-15', value: 'ACTIVE', source: starter, release: 'refgraph-starter' },
      { label: 'Added to HCPCS', value: '2017-01-01', source: starter, release: 'refgraph-starter' },
    ]);
    const billing = Object.fromEntries(b.billing.map((f) => [f.label, f]));
    expect(billing['Long description']?.value).toBe(
      'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
    );
    expect(billing['Service type']).toMatchObject({
      value: 'Diagnostic PET radiopharmaceutical administered for tumor identification',
      source: 'refgraph curation: service type',
      release: expect.stringMatching(/^curated \d{4}-\d{2}-\d{2}$/),
    });
    expect(billing.BETOS).toMatchObject({ value: 'I1E', release: 'refgraph-starter' });
    expect(billing['Types of service']?.value).toBe('4');
    expect(billing['Pricing indicators']?.value).toBe('57');
    expect(b.sitesOfService.map((s) => [s.setting, s.placeOfService])).toEqual([
      ['Outpatient imaging center', null],
      ['Hospital-based imaging department, on campus', '22 On Campus-Outpatient Hospital'],
      ['Hospital-based imaging department, off campus', '19 Off Campus-Outpatient Hospital'],
      ['Ambulatory diagnostic center', null],
    ]);
    const modifiers = Object.fromEntries(b.modifiers.map((m) => [m.modifier, m]));
    expect(Object.keys(modifiers).sort()).toEqual(['26', 'TC']);
    expect(modifiers.TC?.description).toMatch(/^Technical component/);
    expect(modifiers.TC?.whenToUse).toMatch(/facility that owns the scanner/);
    expect(modifiers.TC?.descriptionSource).toBe(
      'refgraph starter data (as published in the CMS HCPCS Level II modifiers file)',
    );
    expect(modifiers['26']?.descriptionSource).toBe(
      'refgraph curation: CPT (Level I) modifier, maintained by the AMA; description written by refgraph',
    );
    expect(modifiers['26']?.descriptionRelease).toBe('curated');
    expect(b.payers.map((p) => [p.slug, p.notes])).toEqual([
      ['aetna', []],
      ['bcbs', []],
      ['cigna', []],
      ['medicare', []],
      ['uhc', []],
    ]);
    expect(b.benchmarks).toEqual([]);
    expect(b.recentChanges).toEqual([]);
    expect(b.taxonomies).toEqual([]);
    expect(b.diagnoses).toEqual([]);
    // The clinical context, curated, with its source and curation date.
    expect(b.clinicalContext).toMatchObject({
      scenario: expect.stringMatching(/^A patient treated for colorectal cancer/),
      componentBilling: expect.stringMatching(/^The facility bills the radiopharmaceutical/),
      source: 'refgraph curation: refgraph starter data',
      release: expect.stringMatching(/^curated \d{4}-\d{2}-\d{2}$/),
    });
    expect(b.clinicalContext?.workflow.map((w) => w.stage)).toEqual([
      'AUTHORIZATION',
      'PREPARATION',
      'ADMINISTRATION',
      'ACQUISITION',
      'INTERPRETATION',
    ]);
    expect(b.missing).toEqual(['TAXONOMIES', 'DIAGNOSES', 'PAYERS', 'BENCHMARKS', 'RECENT_CHANGES']);
    expect(b.overview).toBe(
      'A9597 (Pet, dx, for tumor id, noc) is ACTIVE on 2026-01-15 in HCPCS release refgraph-starter. refgraph holds 4 typical ' +
        'site(s) of service, 2 modifier(s) with guidance, 0 provider taxonomy(ies), 0 supporting diagnosis(es), a clinical context, ' +
        '0 current coverage note(s) from 0 of 5 payer(s) in scope, 0 payment benchmark(s) and 0 recorded change(s) across 1 release(s).',
    );
  });

  it('renders Markdown with every section, and "Data not available" exactly where there is no data', async () => {
    const b = await briefing({ code: 'A9597', asOf: '2026-01-15' });
    expect(b.markdown.split('\n')[0]).toBe('# National briefing: HCPCS A9597');
    const sections = markdownSections(b.markdown);
    expect(Object.keys(sections)).toEqual(SECTION_TITLES);
    expect(sections['Payers in scope']).toBe(
      '_Data not available_\n\nPayers in scope: Aetna, Blue Cross Blue Shield, Cigna Healthcare, Medicare, UnitedHealthcare.',
    );
    expect(sections.Benchmarks).toBe('_Data not available_');
    expect(sections['Recent changes']).toBe('_Data not available_');
    expect(sections['Provider taxonomies']).toBe('_Data not available_');
    expect(sections['Supporting diagnoses']).toBe('_Data not available_');
    expect(sections['Clinical context']).toMatch(/^### Typical scenario\n\nA patient treated for colorectal cancer/);
    expect(sections['Clinical context']).toContain(
      '| INTERPRETATION | Radiologist or nuclear medicine physician | Reads the study',
    );
    expect(sections['Clinical context']).toMatch(
      /### Component billing\n\nThe facility bills the radiopharmaceutical .*\n\nSource: refgraph curation: refgraph starter data · curated \d{4}-\d{2}-\d{2}$/,
    );
    expect(sections['Coding specifications']).toMatch(
      /^### Modifiers\n\n\| Modifier \| Description \| When to use \| Description source \| Guidance source \|/,
    );
    expect(sections['Coding specifications']).toMatch(/\n\| 26 \| Professional component: /);
    expect(sections['Billing code overview']).toContain(
      '| Hospital-based imaging department, on campus | 22 On Campus-Outpatient Hospital | — | refgraph curation: refgraph starter data |',
    );
    expect(b.markdown.match(/Data not available/g)).toHaveLength(5);
  });

  it('renders valid HTML with the same sections', async () => {
    const b = await briefing({ code: 'A9597', asOf: '2026-01-15' });
    const { errors, root } = parseHtml(b.html);
    expect(errors).toEqual([]);
    expect(elements(root, 'section').map((s) => s.attrs.find((a) => a.name === 'id')?.value)).toEqual([
      'summary',
      'billing-overview',
      'coding-specifications',
      'taxonomies',
      'diagnoses',
      'clinical-context',
      'payers',
      'benchmarks',
      'recent-changes',
    ]);
    expect(elements(root, 'h2').map(textOf)).toEqual(SECTION_TITLES);
    expect(elements(root, 'p').filter((p) => textOf(p) === 'Data not available')).toHaveLength(5);
    expect(textOf(elements(root, 'title')[0]!)).toBe('National briefing: HCPCS A9597');
  });

  it('answers null for an unknown code and BAD_USER_INPUT for a malformed one', async () => {
    expect((await graphql<{ briefing: Briefing | null }>(BRIEFING, { code: 'Z9999' })).data).toEqual({
      briefing: null,
    });
    // Added 2017-01-01: unknown before it.
    expect(
      (await graphql<{ briefing: Briefing | null }>(BRIEFING, { code: 'A9597', asOf: '2016-06-01' })).data,
    ).toEqual({ briefing: null });
    const bad = await graphql(BRIEFING, { code: 'PET' });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
  });
});

/** Two official HCPCS releases, two OPPS releases, coverage notes: every section has data. */
async function addHistory(db: Db): Promise<void> {
  const system = async (kind: 'HCPCS' | 'OPPS' | 'TAXONOMY') =>
    (await db.codeSystem.findUniqueOrThrow({ where: { kind } })).id;
  const hcpcs = await system('HCPCS');
  const opps = await system('OPPS');
  const identity = await db.code.findUniqueOrThrow({ where: { code: 'A9597' } });
  const base = {
    code: 'A9597',
    codeId: identity.id,
    pricingIndicators: ['57'],
    cimReferences: [],
    mcmReferences: [],
    labCertifications: [],
    crossReferences: [],
    typesOfService: ['4'],
    multiplePricingIndicator: 'A',
    coverageCode: 'C',
    addDate: new Date('2017-01-01'),
  };
  const versions = [
    {
      release: '2019',
      effective: '2019-01-01',
      longDescription:
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
      shortDescription: 'Pet, dx, for tumor id, noc',
      betos: 'I1E',
      actionCode: 'N',
    },
    {
      release: '2025-10',
      effective: '2025-10-01',
      longDescription:
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
      shortDescription: 'Pet, dx, for tumor id, noc',
      betos: 'I1E',
      actionCode: 'N',
      terminationDate: null,
    },
    {
      release: '2026-01',
      effective: '2026-01-01',
      longDescription: 'PET radiopharmaceutical, diagnostic, tumor identification, NOC <see policy> | pipe',
      shortDescription: 'Pet, dx, tumor id, noc',
      betos: 'I1F',
      actionCode: 'C',
    },
  ];
  for (const v of versions) {
    const release = await db.release.create({
      data: {
        systemId: hcpcs,
        name: v.release,
        effectiveDate: new Date(v.effective),
        sourceFile: `HCPC${v.release}_ANWEB.xlsx`,
      },
    });
    const { release: _r, effective: _e, ...fields } = v;
    await db.codeVersion.create({
      data: { ...base, ...fields, releaseId: release.id, contentHash: contentHash({ ...base, ...fields }) },
    });
  }
  for (const [name, effective, si, rate] of [
    ['2023-01', '2023-01-01', 'N', null],
    ['2026-04', '2026-04-01', 'S', '1234.56'],
  ] as const) {
    const release = await db.release.create({
      data: { systemId: opps, name, effectiveDate: new Date(effective), sourceFile: `opps_${name}.csv` },
    });
    await db.benchmark.create({
      data: {
        codeId: identity.id,
        releaseId: release.id,
        statusIndicator: si,
        apc: si === 'S' ? '5593' : null,
        paymentRate: rate,
      },
    });
  }
  // A NUCC taxonomy from a loaded release and a diagnosis, each linked to the code by curation.
  const nucc = await db.release.create({
    data: {
      systemId: await system('TAXONOMY'),
      name: '25.1',
      effectiveDate: new Date('2025-07-01'),
      sourceFile: 'nucc_taxonomy_251.csv',
    },
  });
  await db.taxonomy.create({
    data: {
      code: '2085N0700X',
      grouping: 'Allopathic & Osteopathic Physicians',
      classification: 'Radiology',
      specialization: 'Neuroradiology',
      displayName: 'Neuroradiology Physician',
      releaseId: nucc.id,
    },
  });
  await db.taxonomy.create({
    data: {
      code: '2085R0202X',
      grouping: 'Allopathic & Osteopathic Physicians',
      classification: 'Radiology',
      specialization: 'Diagnostic Radiology',
      displayName: 'Diagnostic Radiology Physician',
      releaseId: nucc.id,
    },
  });
  await db.codeTaxonomy.create({
    data: {
      codeId: identity.id,
      taxonomyCode: '2085R0202X',
      note: 'Reads the PET/CT study',
      source: 'team review 2026-01',
    },
  });
  await db.diagnosis.create({
    data: { code: 'C189', description: 'Malignant neoplasm of colon, unspecified', source: 'ICD-10-CM FY2026 (CDC)' },
  });
  await db.codeDiagnosis.create({
    data: { codeId: identity.id, diagnosisCode: 'C189', note: 'Suspected recurrence', source: 'team review 2026-01' },
  });
  const payers = Object.fromEntries((await db.payer.findMany()).map((p) => [p.slug, p.id]));
  await db.coverageNote.createMany({
    data: [
      {
        codeId: identity.id,
        payerId: payers.aetna!,
        status: 'PRIOR_AUTH_REQUIRED',
        policyId: 'CPB 0071',
        policyTitle: 'Positron Emission Tomography',
        summary: 'Covered for tumor identification with prior authorization <b>only</b> | see policy',
        effectiveDate: new Date('2024-03-01'),
        sourceUrl: 'https://www.aetna.com/cpb/medical/data/1_99/0071.html',
        lastReviewed: new Date('2025-11-20'),
      },
      {
        codeId: identity.id,
        payerId: payers.medicare!,
        status: 'CONDITIONAL',
        scope: 'REGIONAL',
        region: 'JL',
        summary: 'Covered when the LCD criteria are met.',
        effectiveDate: new Date('2026-02-01'),
        sourceUrl: 'https://www.cms.gov/medicare-coverage-database/',
        lastReviewed: new Date('2026-02-10'),
      },
    ],
  });
}

describe('a code with every section present', () => {
  beforeAll(async () => {
    await addHistory(database.db);
  });

  it('fills every section from the data, each fact with its source and release', async () => {
    const b = await briefing({ code: 'A9597', asOf: '2026-06-30' });
    expect(b.missing).toEqual([]);
    expect(b.taxonomies).toEqual([
      {
        taxonomy: '2085R0202X',
        displayName: 'Diagnostic Radiology Physician',
        classification: 'Radiology',
        note: 'Reads the PET/CT study',
        descriptionSource: 'NUCC Health Care Provider Taxonomy (nucc_taxonomy_251.csv)',
        descriptionRelease: '25.1',
        source: 'refgraph curation: team review 2026-01',
        release: expect.stringMatching(/^curated /),
      },
    ]);
    expect(b.diagnoses).toEqual([
      {
        diagnosis: 'C189',
        description: 'Malignant neoplasm of colon, unspecified',
        note: 'Suspected recurrence',
        descriptionSource: 'ICD-10-CM FY2026 (CDC)',
        source: 'refgraph curation: team review 2026-01',
        release: expect.stringMatching(/^curated /),
      },
    ]);
    const sections = markdownSections(b.markdown);
    expect(sections['Provider taxonomies']).toContain(
      '| 2085R0202X | Diagnostic Radiology Physician | Reads the PET/CT study | NUCC Health Care Provider Taxonomy (nucc\\_taxonomy\\_251.csv) · 25.1 |',
    );
    expect(sections['Supporting diagnoses']).toContain(
      '| C189 | Malignant neoplasm of colon, unspecified | Suspected recurrence | ICD-10-CM FY2026 (CDC) |',
    );
    expect(b.release).toBe('2026-01');
    expect(b.summary[1]).toEqual({
      label: 'Short description',
      value: 'Pet, dx, tumor id, noc',
      source: 'CMS HCPCS Level II (HCPC2026-01_ANWEB.xlsx)',
      release: '2026-01',
    });
    expect(b.benchmarks).toEqual([
      {
        release: '2026-04',
        effectiveDate: '2026-04-01',
        statusIndicator: 'S',
        apc: '5593',
        paymentRate: '1234.56',
        source: 'CMS OPPS Addendum B (opps_2026-04.csv)',
      },
      {
        release: '2023-01',
        effectiveDate: '2023-01-01',
        statusIndicator: 'N',
        apc: null,
        paymentRate: null,
        source: 'CMS OPPS Addendum B (opps_2023-01.csv)',
      },
    ]);
    // Official releases only (the starter copy is not a CMS release); newest first.
    expect(b.recentChanges.map((c) => [c.release, c.previousRelease, c.field, c.before, c.after])).toEqual([
      [
        '2026-01',
        '2025-10',
        'Long description',
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
        'PET radiopharmaceutical, diagnostic, tumor identification, NOC <see policy> | pipe',
      ],
      ['2026-01', '2025-10', 'Short description', 'Pet, dx, for tumor id, noc', 'Pet, dx, tumor id, noc'],
      ['2026-01', '2025-10', 'CMS action code', 'N', 'C'],
      ['2026-01', '2025-10', 'BETOS', 'I1E', 'I1F'],
    ]);
    expect(b.recentChanges[0]?.source).toBe('CMS HCPCS Level II (HCPC2026-01_ANWEB.xlsx)');
    const withNotes = b.payers.filter((p) => p.notes.length > 0);
    expect(withNotes.map((p) => [p.slug, p.notes[0]?.status, p.notes[0]?.scope, p.notes[0]?.release])).toEqual([
      ['aetna', 'PRIOR_AUTH_REQUIRED', 'NATIONAL', 'reviewed 2025-11-20'],
      ['medicare', 'CONDITIONAL', 'REGIONAL', 'reviewed 2026-02-10'],
    ]);
    expect(withNotes[0]?.notes[0]).toMatchObject({
      policy: 'CPB 0071 Positron Emission Tomography',
      source: 'https://www.aetna.com/cpb/medical/data/1_99/0071.html',
    });
    // No section is empty; only the three payers without a note say so in their row.
    expect(b.markdown).not.toContain('_Data not available_');
    expect(b.markdown.match(/^\| (.+?) \| Data not available \|/gm)).toEqual([
      '| Blue Cross Blue Shield | Data not available |',
      '| Cigna Healthcare | Data not available |',
      '| UnitedHealthcare | Data not available |',
    ]);
    expect(b.overview).toContain(
      '2 current coverage note(s) from 2 of 5 payer(s) in scope, 2 payment benchmark(s) (latest: status indicator S, release 2026-04)',
    );
  });

  it('escapes the data in Markdown tables and HTML, and the HTML stays valid', async () => {
    const b = await briefing({ code: 'A9597', asOf: '2026-06-30' });
    expect(b.markdown).toContain(
      '| Long description | PET radiopharmaceutical, diagnostic, tumor identification, NOC \\<see policy\\> \\| pipe |',
    );
    expect(b.markdown).toContain('prior authorization \\<b\\>only\\</b\\> \\| see policy');
    const { errors, root } = parseHtml(b.html);
    expect(errors).toEqual([]);
    expect(b.html).toContain('prior authorization &lt;b&gt;only&lt;/b&gt; | see policy');
    expect(elements(root, 'b')).toEqual([]);
    const links = elements(root, 'a').map((a) => a.attrs.find((attr) => attr.name === 'href')?.value);
    expect(links).toContain('https://www.aetna.com/cpb/medical/data/1_99/0071.html');
    const payerRows = elements(
      elements(root, 'section').find((section) => section.attrs.some((a) => a.name === 'id' && a.value === 'payers'))!,
      'tr',
    )
      .slice(1)
      .map((tr) => elements(tr, 'td').map(textOf)[0]);
    expect(payerRows).toEqual(['Aetna', 'Blue Cross Blue Shield', 'Cigna Healthcare', 'Medicare', 'UnitedHealthcare']);
  });

  it('answers as of an earlier date: that release, no later benchmark, notes or changes', async () => {
    const b = await briefing({ code: 'A9597', asOf: '2025-12-31' });
    expect(b.release).toBe('2025-10');
    expect(b.benchmarks.map((x) => x.release)).toEqual(['2023-01']);
    expect(b.payers.flatMap((p) => p.notes.map(() => p.slug))).toEqual(['aetna']);
    // 2019 → 2025-10 changed nothing the briefing compares.
    expect(b.recentChanges).toEqual([]);
    expect(b.missing).toEqual(['RECENT_CHANGES']);
  });

  it('limits payers to those asked for (slugs or IDs)', async () => {
    const payers = await graphql<{ payers: { id: string; slug: string }[] }>('{ payers { id slug } }');
    const medicare = payers.data!.payers.find((p) => p.slug === 'medicare')!.id;
    const b = await briefing({ code: 'A9597', asOf: '2026-06-30', payers: ['aetna', medicare] });
    expect(b.payers.map((p) => [p.slug, p.notes.length])).toEqual([
      ['aetna', 1],
      ['medicare', 1],
    ]);
    const none = await briefing({ code: 'A9597', asOf: '2026-06-30', payers: ['cigna'] });
    expect(none.payers.map((p) => [p.slug, p.notes.length])).toEqual([['cigna', 0]]);
    expect(none.missing).toEqual(['PAYERS']);
  });

  it('costs the same small number of SQL statements whatever it holds', async () => {
    const { result, count } = await countStatements(() => graphql(BRIEFING, { code: 'A9597', asOf: '2026-06-30' }));
    expect(result.errors).toBeUndefined();
    // The release in force, then the code with everything joined (relationJoins) and the payers in scope.
    expect(count).toBe(3);
  });

  it('`refgraph brief` prints the same briefing, as HTML on request, and fails clearly for an unknown code', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'error', NODE_ENV: 'test' };
    const [md, html, unknown] = await Promise.all([
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'brief', 'A9597', '--as-of', '2026-06-30'], { env }),
      run(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', 'brief', 'a9597', '--format', 'html', '--as-of', '2026-06-30'],
        { env },
      ),
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'brief', 'Z9999'], { env }).catch(
        (error: { code: number; stderr: string }) => error,
      ),
    ]);
    const b = await briefing({ code: 'A9597', asOf: '2026-06-30' });
    expect(md.stdout).toBe(b.markdown);
    expect(html.stdout).toBe(b.html);
    expect(parseHtml(html.stdout).errors).toEqual([]);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('refgraph: unknown code Z9999: it is not in the HCPCS release in force'),
    });
  }, 120_000);
});
