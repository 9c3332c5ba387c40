// A code's whole profile in one request, on the starter data every fresh database has.
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_QUERY } from '../../src/http/graphiql-examples.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';

/** What PROFILE_QUERY selects; the sections this file only expects empty stay `unknown[]`. */
interface Profile {
  code: {
    code: string;
    shortDescription: string;
    longDescription: string;
    status: string;
    release: { name: string; effectiveDate: string };
    serviceType: string | null;
    sitesOfService: { setting: string; placeOfService: { code: string; name: string } | null; note: string | null }[];
    modifiers: { modifier: { code: string; description: string }; whenToUse: string | null }[];
    coverage: unknown[];
    relatedCodes: unknown[];
    taxonomies: unknown[];
    diagnoses: unknown[];
    benchmarks: unknown[];
    clinicalContext: {
      scenario: string;
      workflow: { stage: string; actor: string; description: string }[];
      componentBilling: string;
    } | null;
    missing: string[];
  } | null;
  payers: { name: string }[];
}

beforeAll(async () => {
  await useTestDatabase();
});

describe('code(code:) on the starter data', () => {
  it('answers A9597 with its descriptions, sites, modifiers, clinical context and payers', async () => {
    const response = await graphql<Profile>(PROFILE_QUERY);
    expect(response.errors).toBeUndefined();
    const code = response.data!.code!;
    expect(code.code).toBe('A9597');
    expect(code.longDescription).toBe(
      'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
    );
    expect(code.shortDescription).toBe('Pet, dx, for tumor id, noc');
    expect(code.status).toBe('ACTIVE');
    expect(code.release).toEqual({ name: 'refgraph-starter', effectiveDate: '2017-01-01' });
    expect(code.serviceType).toBe('Diagnostic PET radiopharmaceutical administered for tumor identification');
    expect(code.sitesOfService.map((s) => [s.setting, s.placeOfService?.code ?? null])).toEqual([
      ['Outpatient imaging center', null],
      ['Hospital-based imaging department, on campus', '22'],
      ['Hospital-based imaging department, off campus', '19'],
      ['Ambulatory diagnostic center', null],
    ]);
    expect(code.sitesOfService[1]?.placeOfService?.name).toBe('On Campus-Outpatient Hospital');
    const modifiers = Object.fromEntries(code.modifiers.map((m) => [m.modifier.code, m]));
    expect(Object.keys(modifiers).sort()).toEqual(['26', 'TC']);
    expect(modifiers.TC?.modifier.description).toMatch(/^Technical component; under certain circumstances/);
    expect(modifiers['26']?.modifier.description).toMatch(/^Professional component/);
    expect(modifiers['26']?.whenToUse).toMatch(/interpreting physician/);
    expect(modifiers.TC?.whenToUse).toMatch(/facility/);
    expect(code.coverage).toEqual([]);
    expect(code.relatedCodes).toEqual([]);
    expect(code.taxonomies).toEqual([]);
    expect(code.diagnoses).toEqual([]);
    expect(code.benchmarks).toEqual([]);
    expect(code.clinicalContext?.scenario).toMatch(/colorectal cancer.*rising CEA.*equivocal/s);
    expect(code.clinicalContext?.workflow.map((step) => step.stage)).toEqual([
      'AUTHORIZATION',
      'PREPARATION',
      'ADMINISTRATION',
      'ACQUISITION',
      'INTERPRETATION',
    ]);
    expect(code.clinicalContext?.componentBilling).toMatch(/modifier 26/);
    expect(response.data!.payers.map((p) => p.name)).toEqual([
      'Aetna',
      'Blue Cross Blue Shield',
      'Cigna Healthcare',
      'Medicare',
      'UnitedHealthcare',
    ]);
  });

  it('lists the sections with no data in missing, and only those', async () => {
    const response = await graphql<{ code: { missing: string[] } | null }>(`{ code(code: "A9597") { missing } }`);
    expect(response.data!.code?.missing).toEqual([
      'COVERAGE',
      'RELATED_CODES',
      'TAXONOMIES',
      'DIAGNOSES',
      'BENCHMARKS',
    ]);
  });

  it('accepts lower case and surrounding spaces', async () => {
    const response = await graphql(`{ code(code: " a9597 ") { code } }`);
    expect(response.data).toEqual({ code: { code: 'A9597' } });
  });

  it('returns null with no error for an unknown code', async () => {
    const response = await graphql(`{ code(code: "Z9999") { code } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ code: null });
  });

  it('answers a whole profile with a small fixed number of SQL statements', async () => {
    const { result, count } = await countStatements(() => graphql(PROFILE_QUERY));
    expect(result.errors).toBeUndefined();
    // The release in force (1), then Prisma loads the version with every relation it needs in one
    // statement (relationJoins: LATERAL joins), plus the payers list (1). The number does not depend
    // on the data.
    expect(count).toBe(STATEMENTS_PER_PROFILE);
  });
});

/** Statements one profile request sends; asserted so an N+1 regression fails. */
const STATEMENTS_PER_PROFILE = 3;

describe('malformed arguments', () => {
  it('names the argument and gives BAD_USER_INPUT for a malformed code', async () => {
    const response = await graphql(`{ code(code: "A95") { code } }`);
    expect(response.data).toEqual({ code: null });
    expect(response.errors![0]!.message).toBe(
      'Argument "code" must be a HCPCS Level II code: a letter and four digits, e.g. A9597 (got "A95")',
    );
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
  });

  it('rejects an impossible asOf date with a clear error', async () => {
    const response = await graphql(`{ code(code: "A9597", asOf: "2025-02-30") { code } }`);
    expect(response.errors![0]!.message).toMatch(/"2025-02-30" is not a date in the form YYYY-MM-DD/);
    expect(response.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects a wrong argument type through variables without a stack trace', async () => {
    const response = await graphql(`query ($c: String!) { code(code: $c) { code } }`, { c: 42 });
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(
      /Variable "\$c" got invalid value 42; String cannot represent a non string value/,
    );
    expect(JSON.stringify(response)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names other malformed lookups', async () => {
    const response = await graphql(`{ modifier(code: "TOOLONG") { code } placeOfService(code: "9") { code } }`);
    expect(response.errors!.map((e) => e.message)).toEqual([
      'Argument "code" must be a two-character modifier such as TC or 26 (got "TOOLONG")',
      'Argument "code" must be a two-digit place-of-service code such as 22 (got "9")',
    ]);
  });
});

describe('lookups by code and by global id', () => {
  it('finds modifiers and places of service, null when unknown', async () => {
    const response = await graphql(`{
      tc: modifier(code: "tc") { code source shortDescription provenance }
      pc: modifier(code: "26") { code source provenance }
      none: modifier(code: "ZZ") { code }
      pos: placeOfService(code: "22") { code name assigned }
      unknownPos: placeOfService(code: "98") { code }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      tc: {
        code: 'TC',
        source: 'HCPCS_LEVEL_II',
        shortDescription: 'Technical component',
        provenance: 'HCPCS Level II modifiers release refgraph-starter',
      },
      pc: {
        code: '26',
        source: 'CPT',
        provenance: 'CPT (Level I) modifier, maintained by the AMA; description written by refgraph',
      },
      none: null,
      pos: { code: '22', name: 'On Campus-Outpatient Hospital', assigned: true },
      unknownPos: null,
    });
  });

  it('refetches objects through node(id)', async () => {
    const first = await graphql<{ code: { id: string } | null; payers: { id: string; name: string }[] }>(
      `{ code(code: "A9597") { id } payers { id name } }`,
    );
    const codeId = first.data!.code!.id;
    const payer = first.data!.payers[0]!;
    const node = await graphql(
      `query ($a: ID!, $b: ID!) {
      a: node(id: $a) { __typename ... on Code { code } }
      b: node(id: $b) { __typename ... on Payer { name } }
    }`,
      { a: codeId, b: payer.id },
    );
    expect(node.data).toEqual({
      a: { __typename: 'Code', code: 'A9597' },
      b: { __typename: 'Payer', name: payer.name },
    });
  });
});
