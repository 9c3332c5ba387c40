// Dashboard queries: codes(filter:, orderBy:) with totalCount, codeStats and coverageSummary,
// with their SQL statement counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { addRealCodes } from '../support/code-fixtures.js';
import { addCodesWithCoverage } from '../support/factories.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { pino } from 'pino';
import { createRefgraphYoga } from '../../src/yoga.js';
import { graphql, type Edges, type GraphQLBody } from '../support/graphql.js';

type Codes = { codes: Edges<{ code: string }> };

async function codes(filter: Record<string, unknown>, extra = ''): Promise<string[]> {
  const response = await graphql<Codes>(
    `query ($filter: CodeFilter) { codes(first: 100, filter: $filter ${extra}) { edges { node { code } } } }`,
    { filter },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.codes.edges.map((edge) => edge.node.code);
}

beforeAll(async () => {
  const { db } = await useTestDatabase();
  await addRealCodes(db);
  // T0001..T0010: notes from every payer, statuses cycling per code and payer.
  await addCodesWithCoverage(db, 10, ['COVERED', 'PRIOR_AUTH_REQUIRED', 'NOT_COVERED']);
});

describe('codes(filter:)', () => {
  it('filters by a code range (A9500 to A9999), inclusive', async () => {
    expect(await codes({ codeFrom: 'A9500', codeTo: 'A9999' })).toEqual([
      'A9500',
      'A9502',
      'A9552',
      'A9597',
      'A9598',
      'A9599',
    ]);
    expect(await codes({ codeFrom: 'A9552', codeTo: 'A9598' })).toEqual(['A9552', 'A9597', 'A9598']);
    // A short upper bound covers every code it starts: A95 means up to A9599.
    expect(await codes({ codeFrom: 'A9', codeTo: 'A95' })).toEqual([
      'A9500',
      'A9502',
      'A9552',
      'A9597',
      'A9598',
      'A9599',
    ]);
  });

  it('filters by status on the date asked', async () => {
    expect(await codes({ codePrefix: 'A95', status: 'TERMINATED' })).toEqual(['A9599']);
    expect(await codes({ codePrefix: 'A95', status: 'ACTIVE' })).toEqual(['A9500', 'A9502', 'A9552', 'A9597', 'A9598']);
  });

  it('filters by BETOS, coverage code, pricing indicator and type of service', async () => {
    expect(await codes({ betos: ['O1E', 'D1E'] })).toEqual(['E0130', 'J9035']);
    expect(await codes({ coverageCode: ['D'] })).toEqual(['A9599', 'E0130']);
    expect(await codes({ pricingIndicator: '53' })).toEqual(['A9552']);
    expect(await codes({ typeOfService: '1' })).toEqual(['J9035']);
  });

  it('filters by "has a coverage note from payer X with status Y"', async () => {
    // addCodesWithCoverage: code i, payer p (0 aetna .. 4 medicare) gets statuses[(i + p) % 3].
    expect(await codes({ hasCoverage: { payer: 'aetna', status: 'NOT_COVERED' } })).toEqual([
      'T0002',
      'T0005',
      'T0008',
    ]);
    expect(await codes({ hasCoverage: { payer: 'MEDICARE', status: 'COVERED' } })).toEqual(['T0002', 'T0005', 'T0008']);
    // Every code gets each status from some payer (five payers, three statuses in turn).
    expect(await codes({ hasCoverage: { status: 'PRIOR_AUTH_REQUIRED' } })).toEqual(
      Array.from({ length: 10 }, (_, i) => `T${String(i + 1).padStart(4, '0')}`),
    );
    expect(await codes({ codePrefix: 'A', hasCoverage: {} })).toEqual([]);
  });

  it('filters by release name, and refuses an unknown one', async () => {
    expect(await codes({ release: 'refgraph-starter', codePrefix: 'J' })).toEqual(['J9035']);
    const response = await graphql(`{ codes(first: 5, filter: { release: "1999-01" }) { edges { node { code } } } }`);
    expect(response.errors![0]!.message).toBe(
      'Argument "filter.release" names no loaded HCPCS release (got "1999-01")',
    );
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('orders by code either way, and pages stably backwards', async () => {
    expect(await codes({ codePrefix: 'A95' }, ', orderBy: CODE_DESC')).toEqual([
      'A9599',
      'A9598',
      'A9597',
      'A9552',
      'A9502',
      'A9500',
    ]);
    const page1 = await graphql<{ codes: Edges<{ code: string }> & { pageInfo: { endCursor: string | null } } }>(
      `{ codes(first: 2, orderBy: CODE_DESC, filter: { codePrefix: "A95" }) { pageInfo { endCursor } edges { node { code } } } }`,
    );
    const after = page1.data!.codes.pageInfo.endCursor;
    const page2 = await graphql<Codes>(
      `query ($after: String) { codes(first: 2, after: $after, orderBy: CODE_DESC, filter: { codePrefix: "A95" }) { edges { node { code } } } }`,
      { after },
    );
    expect(page2.data!.codes.edges.map((edge) => edge.node.code)).toEqual(['A9597', 'A9552']);
  });

  it('refuses a malformed code bound, naming it', async () => {
    const response = await graphql(`{ codes(first: 5, filter: { codeFrom: "9A" }) { edges { node { code } } } }`);
    expect(response.errors![0]!.message).toBe(
      'Argument "filter.codeFrom" must be a HCPCS code or its start, e.g. A9500 (got "9A")',
    );
  });

  it('counts totalCount only when asked', async () => {
    const without = await countStatements(() =>
      graphql(`{ codes(first: 3, filter: { codePrefix: "A95" }) { edges { node { code } } } }`),
    );
    const withTotal = await countStatements(() =>
      graphql<{ codes: Edges<{ code: string }> & { totalCount: number } }>(
        `{ codes(first: 3, filter: { codePrefix: "A95" }) { totalCount edges { node { code } } } }`,
      ),
    );
    expect(withTotal.result.data!.codes.totalCount).toBe(6);
    expect(withTotal.result.data!.codes.edges).toHaveLength(3);
    // release + page; totalCount adds release + count
    expect(without.count).toBe(2);
    expect(withTotal.count).toBe(4);
    expect(withTotal.statements.some((sql) => /SELECT COUNT\(/i.test(sql))).toBe(true);
    expect(without.statements.some((sql) => /SELECT COUNT\(/i.test(sql))).toBe(false);
  });
});

describe('a list of codes with coverage, payers, modifiers and sites', () => {
  const LIST = /* GraphQL */ `
    query ($first: Int!) {
      codes(first: $first) {
        edges { node {
          code
          coverage { status payer { slug name } }
          modifiers { whenToUse modifier { code description } }
          sitesOfService { setting placeOfService { code name } }
        } }
      }
    }
  `;

  interface ListedCode {
    code: string;
    coverage: { status: string; payer: { slug: string; name: string } }[];
    modifiers: { whenToUse: string | null; modifier: { code: string; description: string } }[];
    sitesOfService: { setting: string; placeOfService: { code: string; name: string } | null }[];
  }

  // With the default limits: the issue's own dashboard shape must fit under the cost limit.
  const yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }) });
  const list = async (first: number) => {
    const response = await yoga.fetch('http://refgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIST, variables: { first } }),
    });
    return (await response.json()) as GraphQLBody<{ codes: Edges<ListedCode> }>;
  };

  it('sends the same statements for 50 codes as for 5', async () => {
    const five = await countStatements(() => list(5));
    const fifty = await countStatements(() => list(50));
    expect(five.result.errors).toBeUndefined();
    expect(five.result.data!.codes.edges).toHaveLength(5);
    expect(fifty.result.data!.codes.edges).toHaveLength(18);
    const a9597 = fifty.result.data!.codes.edges.find((edge) => edge.node.code === 'A9597')!.node;
    expect(a9597.modifiers.map((m) => m.modifier.code)).toEqual(['TC', '26']);
    expect(a9597.sitesOfService.map((site) => [site.setting, site.placeOfService?.code ?? null])).toEqual([
      ['Outpatient imaging center', null],
      ['Hospital-based imaging department, on campus', '22'],
      ['Hospital-based imaging department, off campus', '19'],
      ['Ambulatory diagnostic center', null],
    ]);
    const t0001 = fifty.result.data!.codes.edges.find((edge) => edge.node.code === 'T0001')!.node;
    expect(t0001.coverage.map((note) => note.payer.slug)).toEqual(['aetna', 'bcbs', 'cigna', 'uhc', 'medicare']);
    // the release in force, then one statement joining versions, identities, notes, payers,
    // modifiers and places of service
    expect(five.count).toBe(2);
    expect(fifty.count).toBe(five.count);
  });

  it('fits a full page of 100 under the default cost limit', async () => {
    const page = await list(100);
    expect(page.errors).toBeUndefined();
    expect(page.data!.codes.edges).toHaveLength(18);
  });
});

describe('codeStats', () => {
  const STATS = /* GraphQL */ `
    query ($groupBy: [CodeStatsDimension!]!, $filter: CodeFilter) {
      codeStats(groupBy: $groupBy, filter: $filter) {
        total
        groups { status betos coverageCode pricingIndicator category release count }
      }
    }
  `;

  interface Stats {
    codeStats: {
      total: number;
      groups: {
        status: string | null;
        betos: string | null;
        coverageCode: string | null;
        pricingIndicator: string | null;
        category: string | null;
        release: string | null;
        count: number;
      }[];
    };
  }

  it('counts codes by status and first letter, with the total: the release, the codes the filter selects, the counts', async () => {
    const { result, count } = await countStatements(() =>
      graphql<Stats>(STATS, { groupBy: ['CATEGORY', 'STATUS'], filter: { codePrefix: 'A' } }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.codeStats.total).toBe(6);
    expect(result.data!.codeStats.groups).toEqual([
      {
        status: 'ACTIVE',
        betos: null,
        coverageCode: null,
        pricingIndicator: null,
        category: 'A',
        release: null,
        count: 5,
      },
      {
        status: 'TERMINATED',
        betos: null,
        coverageCode: null,
        pricingIndicator: null,
        category: 'A',
        release: null,
        count: 1,
      },
    ]);
    // The filter is one Prisma where (as for codes); the groups are counted in SQL over its codes.
    expect(count).toBe(3);
  });

  it('counts by BETOS, coverage code and pricing indicator, empty values last', async () => {
    const betos = await graphql<Stats>(STATS, { groupBy: ['BETOS'] });
    expect(betos.data!.codeStats.groups.map((g) => [g.betos, g.count])).toEqual([
      ['D1E', 1],
      ['I1E', 6],
      ['O1E', 1],
      [null, 10],
    ]);
    expect(betos.data!.codeStats.total).toBe(18);
    const coverage = await graphql<Stats>(STATS, { groupBy: ['COVERAGE_CODE'], filter: { codePrefix: 'A' } });
    expect(coverage.data!.codeStats.groups.map((g) => [g.coverageCode, g.count])).toEqual([
      ['C', 5],
      ['D', 1],
    ]);
    const pricing = await graphql<Stats>(STATS, { groupBy: ['PRICING_INDICATOR'], filter: { codePrefix: 'A' } });
    expect(pricing.data!.codeStats.groups.map((g) => [g.pricingIndicator, g.count])).toEqual([
      ['53', 1],
      ['57', 5],
    ]);
  });

  it('counts every release when grouping by release', async () => {
    const response = await graphql<Stats>(STATS, { groupBy: ['RELEASE'], filter: { codePrefix: 'A95' } });
    expect(response.data!.codeStats.groups).toEqual([
      expect.objectContaining({ release: 'refgraph-starter', count: 6 }),
    ]);
  });

  it('refuses an empty groupBy', async () => {
    const response = await graphql<Stats>(STATS, { groupBy: [] });
    expect(response.errors![0]!.message).toBe(
      'Argument "groupBy" must name at least one of STATUS, BETOS, COVERAGE_CODE, PRICING_INDICATOR, CATEGORY, RELEASE',
    );
  });
});

describe('coverageSummary', () => {
  it('counts current notes by payer and status in one statement', async () => {
    const { result, count } = await countStatements(() =>
      graphql<{ coverageSummary: { payer: { slug: string; name: string }; status: string; count: number }[] }>(
        `{ coverageSummary(groupBy: [PAYER, STATUS]) { payer { slug name } status count } }`,
      ),
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data!.coverageSummary.map((row) => `${row.payer.slug} ${row.status} ${row.count}`);
    // 10 codes per payer; code i, payer p: statuses[(i + p) % 3] (COVERED, PRIOR_AUTH_REQUIRED, NOT_COVERED)
    expect(rows).toEqual([
      'aetna COVERED 3',
      'aetna NOT_COVERED 3',
      'aetna PRIOR_AUTH_REQUIRED 4',
      'bcbs COVERED 3',
      'bcbs NOT_COVERED 4',
      'bcbs PRIOR_AUTH_REQUIRED 3',
      'cigna COVERED 4',
      'cigna NOT_COVERED 3',
      'cigna PRIOR_AUTH_REQUIRED 3',
      'medicare COVERED 3',
      'medicare NOT_COVERED 4',
      'medicare PRIOR_AUTH_REQUIRED 3',
      'uhc COVERED 3',
      'uhc NOT_COVERED 3',
      'uhc PRIOR_AUTH_REQUIRED 4',
    ]);
    expect(count).toBe(1);
  });

  it('groups by status alone', async () => {
    const response = await graphql<{
      coverageSummary: { payer: { slug: string } | null; status: string; count: number }[];
    }>(`{ coverageSummary(groupBy: [STATUS]) { payer { slug } status count } }`);
    expect(response.data!.coverageSummary).toEqual([
      { payer: null, status: 'COVERED', count: 16 },
      { payer: null, status: 'NOT_COVERED', count: 17 },
      { payer: null, status: 'PRIOR_AUTH_REQUIRED', count: 17 },
    ]);
  });
});
