// A steward reads their own write on their next request, with every cache on, even before the
// data version's NOTIFY reaches the server. Here it never does: the process watches the data
// version of another database, so the caches are on (a version is held) and only the write itself
// can move the version on, as it does when the NOTIFY is still on its way.
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { createTestDatabase, useTestDatabase, type TestDatabase } from '../support/database.js';
import { watchTestDataVersion } from '../support/data-version.js';
import { addCodesWithCoverage } from '../support/factories.js';
import type { GraphQLBody } from '../support/graphql.js';

let database: TestDatabase;
let yoga: RefgraphYoga;
let steward: Record<string, string>;

beforeAll(async () => {
  database = await useTestDatabase();
  await addCodesWithCoverage(database.db, 3);
  steward = { 'x-api-key': (await createApiKey(database.db, 'steward', ['steward'])).key };
  const elsewhere = await createTestDatabase();
  await elsewhere.db.$disconnect();
  await watchTestDataVersion(elsewhere.url);
  yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: true, entityCache: true });
});

async function ask<T = unknown>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLBody<T>> {
  const response = await yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<GraphQLBody<T>>;
}

const COVERAGE = 'query ($code: String!) { code(code: $code) { code coverage { summary payer { slug } } } }';
type Coverage = { code: { code: string; coverage: { summary: string; payer: { slug: string } }[] } | null };
const REVISE =
  'mutation ($id: ID!, $input: ReviseCoverageNoteInput!) { reviseCoverageNote(id: $id, input: $input, reason: "policy re-read") { summary } }';

describe('a steward’s own write', () => {
  it('is in their next read, from the response and entity caches alike', async () => {
    const before = await ask<Coverage>(COVERAGE, { code: 'T0002' });
    expect(before.data?.code?.coverage[0]).toEqual({ summary: 'Aetna policy for T0002', payer: { slug: 'aetna' } });
    // Cached now: the same read again is the same answer.
    expect(await ask(COVERAGE, { code: 'T0002' })).toEqual(before);

    const note = await database.db.coverageNote.findFirstOrThrow({
      where: { code: { code: 'T0002' }, payer: { slug: 'aetna' } },
    });
    const revised = await ask(
      REVISE,
      {
        id: Buffer.from(`CoverageNote:${note.id}`).toString('base64'),
        input: { summary: 'Aetna covers T0002 since December.' },
      },
      steward,
    );
    expect(revised).toEqual({ data: { reviseCoverageNote: { summary: 'Aetna covers T0002 since December.' } } });

    const after = await ask<Coverage>(COVERAGE, { code: 'T0002' });
    expect(after.data?.code?.coverage[0]).toEqual({
      summary: 'Aetna covers T0002 since December.',
      payer: { slug: 'aetna' },
    });
  });
});
