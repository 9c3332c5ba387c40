// Fields that take arguments cost a constant number of SQL statements per request, whatever the
// page size, as argument-free ones do. `Code.coverage(asOf:)` once ran one statement per revised
// note (its revisions); `Code.coverage(payers:, status:)` filters in the planned query.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { addCodesWithCoverage } from '../support/factories.js';
import { graphql } from '../support/graphql.js';

const PAGE = 20;
let createdAt: string;
let revisedAt: string;

const REVISE = /* GraphQL */ `
  mutation Revise($id: ID!, $input: ReviseCoverageNoteInput!, $reason: String!) {
    reviseCoverageNote(id: $id, input: $input, reason: $reason) { id summary }
  }
`;

beforeAll(async () => {
  const { db } = await useTestDatabase();
  await addCodesWithCoverage(db, PAGE, ['COVERED', 'NOT_COVERED']);
  createdAt = new Date().toISOString();
  const steward = { 'x-api-key': (await createApiKey(db, 'steward', ['steward'])).key };
  // One note of every code revised: each has a revision history to rebuild.
  const notes = await db.coverageNote.findMany({
    where: { code: { code: { startsWith: 'T' } }, payer: { slug: 'aetna' } },
    orderBy: { id: 'asc' },
  });
  expect(notes).toHaveLength(PAGE);
  for (const note of notes) {
    const id = Buffer.from(`CoverageNote:${note.id}`).toString('base64');
    const revised = await graphql(
      REVISE,
      { id, input: { summary: `${note.summary} (revised)` }, reason: 'policy re-read' },
      steward,
    );
    expect(revised.errors).toBeUndefined();
  }
  revisedAt = new Date().toISOString();
});

const COVERAGE_AS_OF = /* GraphQL */ `
  query ($first: Int!, $asOf: DateTime!) {
    codes(first: $first, filter: { codePrefix: "T" }) { edges { node { code coverage(asOf: $asOf) { status summary payer { slug } } } } }
  }
`;
const COVERAGE_FILTERED = /* GraphQL */ `
  query ($first: Int!) {
    codes(first: $first, filter: { codePrefix: "T" }) {
      edges { node { code coverage(payers: ["aetna", "cigna"], status: [COVERED]) { status summary payer { slug } } } }
    }
  }
`;

type Page = {
  codes: {
    edges: { node: { code: string; coverage: { status: string; summary: string; payer: { slug: string } }[] } }[];
  };
};

describe('statements per request for fields with arguments', () => {
  it('coverage(asOf:): the same for 5 codes as for 20 revised ones, with the revised notes as they stand', async () => {
    const five = await countStatements(() => graphql<Page>(COVERAGE_AS_OF, { first: 5, asOf: revisedAt }));
    const twenty = await countStatements(() => graphql<Page>(COVERAGE_AS_OF, { first: PAGE, asOf: revisedAt }));
    expect(twenty.result.errors).toBeUndefined();
    expect(twenty.count).toBe(five.count);
    // The release in force, the page with its notes joined, the revisions of all those notes.
    expect(twenty.count).toBe(3);
    const edges = twenty.result.data!.codes.edges;
    expect(edges).toHaveLength(PAGE);
    expect(edges[0]!.node.coverage.map((note) => note.payer.slug)).toEqual([
      'aetna',
      'bcbs',
      'cigna',
      'uhc',
      'medicare',
    ]);
    expect(edges.every(({ node }) => node.coverage[0]!.summary === `Aetna policy for ${node.code} (revised)`)).toBe(
      true,
    );
  });

  it('coverage(asOf:) before the revisions: the notes as they were, still in constant statements', async () => {
    const { result, count } = await countStatements(() =>
      graphql<Page>(COVERAGE_AS_OF, { first: PAGE, asOf: createdAt }),
    );
    expect(count).toBe(3);
    const edges = result.data!.codes.edges;
    expect(edges.map(({ node }) => node.coverage.length)).toEqual(Array.from({ length: PAGE }, () => 5));
    expect(edges.every(({ node }) => node.coverage[0]!.summary === `Aetna policy for ${node.code}`)).toBe(true);
  });

  it('coverage(payers:, status:): the same for 5 codes as for 20, filtered in SQL', async () => {
    const five = await countStatements(() => graphql<Page>(COVERAGE_FILTERED, { first: 5 }));
    const twenty = await countStatements(() => graphql<Page>(COVERAGE_FILTERED, { first: PAGE }));
    expect(twenty.count).toBe(five.count);
    // The release in force, the page with the filtered notes joined.
    expect(twenty.count).toBe(2);
    // addCodesWithCoverage: code i, payer p (0 aetna, 2 cigna) has statuses[(i + p) % 2], so both
    // notes of an even code are COVERED and neither of an odd one.
    expect(
      twenty.result.data!.codes.edges.map(({ node }) => [
        node.code,
        node.coverage.map((note) => `${note.payer.slug} ${note.status}`),
      ]),
    ).toEqual(
      Array.from({ length: PAGE }, (_, i) => [
        `T${String(i + 1).padStart(4, '0')}`,
        (i + 1) % 2 === 0 ? ['aetna COVERED', 'cigna COVERED'] : [],
      ]),
    );
  });
});
