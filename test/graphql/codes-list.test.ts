// Paging through codes, and the SQL cost of a list with coverage notes and payers.
import { beforeAll, describe, expect, it } from 'vitest';
import { addCodesWithCoverage } from '../support/factories.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { graphql, type Edges, type GraphQLResponse } from '../support/graphql.js';

const LIST = /* GraphQL */ `
  query List($first: Int!, $after: String) {
    codes(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { code shortDescription coverage { status payer { name } } } }
    }
  }
`;

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** What LIST selects. */
interface List {
  codes: Edges<{ code: string; shortDescription: string; coverage: { status: string; payer: { name: string } }[] }> & {
    pageInfo: Pick<PageInfo, 'hasNextPage' | 'endCursor'>;
  };
}

beforeAll(async () => {
  const { db } = await useTestDatabase();
  await addCodesWithCoverage(db, 60, ['COVERED', 'PRIOR_AUTH_REQUIRED']);
});

describe('codes(first, after)', () => {
  it('pages through every code in code order without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: GraphQLResponse<List> = await graphql(LIST, { first: 25, after });
      expect(response.errors).toBeUndefined();
      const connection = response.data!.codes;
      seen.push(...connection.edges.map((edge) => edge.node.code));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(61);
    expect(seen[0]).toBe('A9597');
    expect(seen[1]).toBe('T0001');
    expect(seen[60]).toBe('T0060');
    expect(new Set(seen).size).toBe(61);
  });

  it('filters by code prefix', async () => {
    const response = await graphql<{ codes: Edges<{ code: string }> }>(
      `{ codes(first: 100, filter: { codePrefix: "t005" }) { edges { node { code } } } }`,
    );
    expect(response.data!.codes.edges.map((e) => e.node.code)).toEqual([
      'T0050',
      'T0051',
      'T0052',
      'T0053',
      'T0054',
      'T0055',
      'T0056',
      'T0057',
      'T0058',
      'T0059',
    ]);
  });

  it('returns coverage notes with their payers for each code', async () => {
    const response = await graphql<List>(LIST, { first: 2 });
    const second = response.data!.codes.edges[1]!.node;
    expect(second.code).toBe('T0001');
    expect(second.coverage).toHaveLength(5);
    expect(second.coverage.map((c) => c.payer.name)).toEqual([
      'Aetna',
      'Blue Cross Blue Shield',
      'Cigna Healthcare',
      'UnitedHealthcare',
      'Medicare',
    ]);
    expect(second.coverage[0]?.status).toBe('PRIOR_AUTH_REQUIRED');
    expect(second.coverage[1]?.status).toBe('COVERED');
  });

  it('sends the same number of SQL statements for 50 codes as for 5', async () => {
    const five = await countStatements(() => graphql<List>(LIST, { first: 5 }));
    const fifty = await countStatements(() => graphql<List>(LIST, { first: 50 }));
    expect(five.result.data!.codes.edges).toHaveLength(5);
    expect(fifty.result.data!.codes.edges).toHaveLength(50);
    expect(fifty.count).toBe(five.count);
    // release in force, then code versions with identities, coverage notes and payers joined in one
    expect(fifty.count).toBe(2);
  });

  it('sends as few statements for a page after a cursor as for the first page (relations stay joined)', async () => {
    const first = await countStatements(() => graphql<List>(LIST, { first: 25 }));
    const after = first.result.data!.codes.pageInfo.endCursor;
    const second = await countStatements(() => graphql<List>(LIST, { first: 25, after }));
    expect(second.result.data!.codes.edges.map((e) => e.node.code)).toEqual(
      Array.from({ length: 25 }, (_, i) => `T${String(i + 25).padStart(4, '0')}`),
    );
    expect(second.result.data!.codes.edges[0]?.node.coverage).toHaveLength(5);
    expect(second.count).toBe(first.count);
  });

  it('pages backwards (last, before) and in descending order with the same codes as forwards', async () => {
    const PAGE = /* GraphQL */ `
      query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: CodeOrder) {
        codes(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { node { code } }
        }
      }
    `;
    type Page = { codes: Edges<{ code: string }> & { pageInfo: PageInfo } };
    const page = (variables: Record<string, unknown>) => graphql<Page>(PAGE, variables);
    const codes = (response: GraphQLResponse<Page>) => response.data!.codes.edges.map((e) => e.node.code);
    const all = codes(await page({ first: 100 }));
    const lastFive = await page({ last: 5 });
    expect(codes(lastFive)).toEqual(all.slice(-5));
    expect(lastFive.data!.codes.pageInfo.hasPreviousPage).toBe(true);
    const before = await page({ last: 5, before: lastFive.data!.codes.pageInfo.startCursor });
    expect(codes(before)).toEqual(all.slice(-10, -5));
    const descending = await page({ first: 5, orderBy: 'CODE_DESC' });
    expect(codes(descending)).toEqual(all.slice(-5).reverse());
    const nextDescending = await page({
      first: 5,
      orderBy: 'CODE_DESC',
      after: descending.data!.codes.pageInfo.endCursor,
    });
    expect(codes(nextDescending)).toEqual(all.slice(-10, -5).reverse());
    const previousDescending = await page({
      last: 3,
      orderBy: 'CODE_DESC',
      before: nextDescending.data!.codes.pageInfo.startCursor,
    });
    expect(codes(previousDescending)).toEqual(all.slice(-5, -2).reverse());
  });

  it('refuses a page size above the cap, naming the argument', async () => {
    const response = await graphql(`{ codes(first: 2147483647) { edges { node { code } } } }`);
    expect(response.errors![0]!.message).toBe('Argument "first" must be between 0 and 100 (got 2147483647)');
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a cursor that is not one of ours', async () => {
    const response = await graphql(LIST, { first: 5, after: 'not-a-cursor' });
    expect(response.errors![0]!.message).toBe('Invalid cursor: not-a-cursor');
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a negative page size with BAD_USER_INPUT', async () => {
    const response = await graphql(`{ codes(first: -1) { edges { node { code } } } }`);
    expect(response.errors![0]!.message).toBe('Argument "first" must be between 0 and 100 (got -1)');
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
