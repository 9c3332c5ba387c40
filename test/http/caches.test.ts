// The caches of data and answers (the response cache and the entity cache, both per data version)
// change no answer: every benchmark shape gets the same answer with them on as with them off, before
// and after they fill. No answer comes from an older data version once the version has moved; a
// steward reads their own write on their next request (test/http/read-your-writes.test.ts); a code asked with and
// without asOf in turn
// gets each date's status; an answer that depends on today does not outlive the day; and /metrics
// reports the hit rates.
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { addRealCodes } from '../support/code-fixtures.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { nextDataVersion, watchTestDataVersion } from '../support/data-version.js';
import { addCodesWithCoverage } from '../support/factories.js';
import type { Edges, GraphQLBody } from '../support/graphql.js';

let database: TestDatabase;
let cold: RefgraphYoga;
let cached: RefgraphYoga;

beforeAll(async () => {
  database = await useTestDatabase();
  await addRealCodes(database.db);
  await addCodesWithCoverage(database.db, 60, ['COVERED', 'NOT_COVERED', 'PRIOR_AUTH_REQUIRED']);
  // T0001 ends in 2030: its status depends on the day it is asked.
  await database.db.codeVersion.updateMany({
    where: { code: 'T0001' },
    data: { terminationDate: new Date('2030-06-30T00:00:00Z') },
  });
  await watchTestDataVersion(database.url);
  const logger = pino({ level: 'silent' });
  cold = createRefgraphYoga({ logger });
  cached = createRefgraphYoga({ logger, responseCache: true, entityCache: true });
});

afterEach(() => {
  vi.useRealTimers();
});

async function ask<T = unknown>(
  yoga: RefgraphYoga,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLBody<T>> {
  const response = await yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<GraphQLBody<T>>;
}

const PROFILE = `query ($code: String!, $asOf: Date) { code(code: $code, asOf: $asOf) {
  code shortDescription longDescription status betos coverageCode pricingIndicators serviceType
  release { name } sitesOfService { setting placeOfService { code name } } modifiers { whenToUse modifier { code description } }
  coverage { status summary policyId payer { slug name } } relatedCodes { kind code } benchmarks { statusIndicator paymentRate }
  clinicalContext { scenario } missing } }`;
const LIST = `query ($filter: CodeFilter, $after: String, $asOf: Date) { codes(first: 7, filter: $filter, after: $after, asOf: $asOf) {
  pageInfo { endCursor hasNextPage } edges { node { code shortDescription status coverage { status payer { slug name } } } } } }`;
const SEARCH = `query ($text: String!) { search(text: $text, first: 20) { kind code title matchedOn score hcpcsCode { code status shortDescription } } }`;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Code { code shortDescription longDescription status betos } } }`;
const STATS = `{ codeStats(groupBy: [BETOS]) { total groups { betos count } } }`;

/** What these tests read of PROFILE, LIST and ENTITIES (the rest they only compare whole). */
type Profile = { code: { status: string } | null };
type Listed = { code: string; shortDescription: string; status: string };
type List = { codes: Edges<Listed> & { pageInfo: { endCursor: string | null } } };
type Entities = { _entities: ({ shortDescription: string } | null)[] };

describe('answers with the caches on and off', () => {
  it('are the same for every benchmark shape, asked cold, then twice with the caches filling and full', async () => {
    const first = await ask<List>(cold, LIST, { filter: { codePrefix: 'T' } });
    const shapes: [string, Record<string, unknown>][] = [
      [PROFILE, { code: 'A9597' }],
      [PROFILE, { code: 'T0002' }],
      [PROFILE, { code: 'A9599' }],
      [LIST, { filter: { codePrefix: 'T' } }],
      [LIST, { filter: { codePrefix: 'T' }, after: first.data!.codes.pageInfo.endCursor }],
      [LIST, { filter: { codeFrom: 'A9500', codeTo: 'J9999' } }],
      [SEARCH, { text: 'pet tumor' }],
      [SEARCH, { text: 'A95' }],
      [SEARCH, { text: 'walker ajustable' }],
      [
        ENTITIES,
        {
          representations: ['T0010', 'A9597', 'Z9999', 'T0003', 'E0130'].map((code) => ({ __typename: 'Code', code })),
        },
      ],
      [
        ENTITIES,
        {
          representations: ['A9597', 'T0010'].map((code) => ({
            __typename: 'Code',
            code,
            releaseName: 'refgraph-starter',
          })),
        },
      ],
      [STATS, {}],
    ];
    for (const [query, variables] of shapes) {
      const expected = await ask(cold, query, variables);
      expect(expected.errors, JSON.stringify(variables)).toBeUndefined();
      expect(await ask(cached, query, variables)).toEqual(expected);
      expect(await ask(cached, query, variables)).toEqual(expected);
    }
  });

  it('serve new combinations of rows read before without SQL for rows (a list, then references to its codes)', async () => {
    await ask(cached, LIST, { filter: { codePrefix: 'T00' } });
    // The rows of T0001..T0007 were read for that page; another page over them with the same fields reuses them.
    const { result, count, statements } = await countStatements(() =>
      ask<List>(
        cached,
        `query ($filter: CodeFilter) { codes(first: 7, filter: $filter) { edges { node { code shortDescription status coverage { status payer { slug name } } } } } }`,
        {
          filter: { codeFrom: 'T0002', codeTo: 'T0005' },
        },
      ),
    );
    expect(result.data!.codes.edges.map((edge) => edge.node.code)).toEqual(['T0002', 'T0003', 'T0004', 'T0005']);
    // Only the page's ids: its rows were read under this data version.
    expect(count).toBe(1);
    expect(statements[0]).toMatch(/SELECT "t\d+"\."id" FROM/);
  });
});

describe('the data version', () => {
  it('moves on when another process loads or edits: no answer from the older data once its NOTIFY arrives', async () => {
    await ask(cached, ENTITIES, { representations: [{ __typename: 'Code', code: 'E0130' }] });
    await ask(cached, LIST, { filter: { codePrefix: 'E' } });
    const changed = nextDataVersion();
    await database.db.codeVersion.updateMany({
      where: { code: 'E0130' },
      data: { shortDescription: 'Walker, rigid, new words' },
    });
    await changed;
    const entity = await ask<Entities>(cached, ENTITIES, { representations: [{ __typename: 'Code', code: 'E0130' }] });
    expect(entity.data!._entities[0]?.shortDescription).toBe('Walker, rigid, new words');
    const list = await ask<List>(cached, LIST, { filter: { codePrefix: 'E' } });
    expect(list.data!.codes.edges[0]?.node.shortDescription).toBe('Walker, rigid, new words');
  });
});

describe('dates', () => {
  it('answers a cached code asked with and without asOf in turn with each date’s status', async () => {
    // A9599 was terminated on 2017-12-31.
    for (let round = 0; round < 3; round += 1) {
      expect((await ask<Profile>(cached, PROFILE, { code: 'A9599', asOf: '2017-06-01' })).data!.code?.status).toBe(
        'ACTIVE',
      );
      expect((await ask<Profile>(cached, PROFILE, { code: 'A9599' })).data!.code?.status).toBe('TERMINATED');
      const listed = async (asOf?: string) =>
        (
          await ask<List>(cached, LIST, { filter: { codeFrom: 'A9599', codeTo: 'A9599' }, ...(asOf ? { asOf } : {}) })
        ).data!.codes.edges.map((e) => e.node.status);
      expect(await listed('2017-06-01')).toEqual(['ACTIVE']);
      expect(await listed()).toEqual(['TERMINATED']);
    }
  });

  it('does not let an answer that depends on today outlive the day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-06-30T23:59:00Z'));
    const status = async () => (await ask<Profile>(cached, PROFILE, { code: 'T0001' })).data!.code?.status;
    expect(await status()).toBe('ACTIVE');
    expect(await status()).toBe('ACTIVE');
    vi.setSystemTime(new Date('2030-07-01T00:00:30Z'));
    expect(await status()).toBe('TERMINATED');
  });
});

describe('/metrics', () => {
  it('reports lookups by cache and outcome, and the bytes each holds', async () => {
    const metrics = async () => (await cached.fetch('http://refgraph.test/metrics')).text();
    const lookups = (text: string) =>
      Object.fromEntries(
        ['response', 'entity'].flatMap((cache) =>
          ['hit', 'miss'].map((outcome) => {
            const value = new RegExp(
              `refgraph_cache_lookups_total\\{cache="${cache}",outcome="${outcome}"\\} (\\d+)`,
            ).exec(text)?.[1];
            return [`${cache} ${outcome}`, Number(value ?? 0)];
          }),
        ),
      );
    const before = lookups(await metrics());
    // A miss in both caches; the same request, a response hit; another request for the same
    // code (another response key), a response miss that finds the code's row in the entity cache.
    await ask(cached, PROFILE, { code: 'T0020' });
    await ask(cached, PROFILE, { code: 'T0020' });
    await ask(cached, PROFILE, { code: 't0020' });
    const text = await metrics();
    const after = lookups(text);
    const counted = Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - before[name]!]));
    expect(counted).toEqual({ 'response hit': 1, 'response miss': 2, 'entity hit': 1, 'entity miss': 1 });
    expect(text).toMatch(/refgraph_cache_bytes\{cache="entity",kind="max"\} 33554432/);
    expect(Number(/refgraph_cache_bytes\{cache="entity",kind="used"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(1_000);
  });
});
