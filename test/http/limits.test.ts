// Every limit refuses its n+1 case with a clear error while the database sees no statement.
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LimitOptions } from '../../src/http/limits.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import type { GraphQLBody } from '../support/graphql.js';

const LIST = (first: number) =>
  `{ codes(first: ${first}) { edges { node { code coverage { status payer { name } } } } } }`;
/**
 * LIST(n)'s cost by hand: each field costs 1 plus its selection times what it can return. A code's
 * coverage holds up to 10 notes: status 1 + payer (1 + name 1) = 3 a note, so coverage is 1 + 10 * 3
 * = 31; a node is 1 + (code 1 + coverage 31) = 33; an edge list is 1 + 33 (a connection's edges do
 * not multiply again); codes(first: n) is 1 + n * 34.
 */
const listCost = (first: number) => 1 + first * 34;

function yogaWith(limits: Partial<LimitOptions>): RefgraphYoga {
  return createRefgraphYoga({ logger: pino({ level: 'silent' }), limits });
}

/** Posts a request (a batch when `body` is an array) and reads its answer (one per operation). */
async function post<T = unknown>(
  yoga: RefgraphYoga,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody<T> | GraphQLBody<T>[] }> {
  const response = await yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as GraphQLBody<T> | GraphQLBody<T>[] };
}

/** Sends the request and checks it is refused with no SQL statement; returns the first error. */
async function refused(yoga: RefgraphYoga, body: unknown, headers: Record<string, string> = {}) {
  const { result, count } = await countStatements(() => post(yoga, body, headers));
  expect(count).toBe(0);
  expect(result.status).toBeGreaterThanOrEqual(400);
  expect(result.status).toBeLessThan(500);
  const error = (Array.isArray(result.body) ? result.body[0] : result.body)?.errors?.[0];
  expect(error).toBeDefined();
  return { status: result.status, error: error! };
}

async function accepted<T = unknown>(yoga: RefgraphYoga, body: unknown): Promise<GraphQLBody<T>> {
  const result = await post<T>(yoga, body);
  expect(result.status).toBe(200);
  if (Array.isArray(result.body)) throw new Error('expected the answer to one operation, got a batch');
  expect(result.body.errors).toBeUndefined();
  expect(result.body.data).toBeDefined();
  return result.body;
}

const aliases = (n: number) =>
  `{ code(code: "A9597") { ${Array.from({ length: n }, (_, i) => `a${i}: code`).join(' ')} } }`;
const directives = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `f${i}: __typename @include(if: true)`).join(' ')} }`;

beforeAll(async () => {
  await useTestDatabase();
});

describe('limits refuse the n+1 case before any SQL', () => {
  const yoga = yogaWith({
    maxDepth: 5,
    maxAliases: 15,
    maxDirectives: 10,
    maxTokens: 400,
    maxBatch: 10,
    maxBodyBytes: 20_000,
  });

  it('depth', async () => {
    await accepted(yoga, { query: '{ codes(first: 1) { edges { node { coverage { status } } } } }' });
    const { error } = await refused(yoga, {
      query: '{ codes(first: 1) { edges { node { coverage { payer { name } } } } } }',
    });
    expect(error.message).toMatch(/depth limit of 5 exceeded, found 6/);
    expect(error.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('depth hidden in a fragment named __schema (the known bypass)', async () => {
    const query =
      'query { ...__schema } fragment __schema on Query { codes(first: 1) { edges { node { coverage { revisions { revision } } } } } }';
    const { error } = await refused(yoga, { query });
    expect(error.message).toBe('Query depth limit of 5 exceeded, found 6.');
    // And the name itself is refused: names starting with "__" belong to introspection.
    const shallow = await refused(yoga, { query: 'query { ...__schema } fragment __schema on Query { __typename }' });
    expect(shallow.error.message).toBe(
      'The fragment name "__schema" is reserved: names starting with "__" belong to introspection.',
    );
    expect(shallow.error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('aliases', async () => {
    await accepted(yoga, { query: aliases(15) });
    const { error } = await refused(yoga, { query: aliases(16) });
    expect(error.message).toMatch(/Aliases limit of 15 exceeded, found 16/);
    expect(error.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('directives', async () => {
    await accepted(yoga, { query: directives(10) });
    const { error } = await refused(yoga, { query: directives(11) });
    expect(error.message).toMatch(/Directives limit of 10 exceeded, found 11/);
  });

  it('tokens', async () => {
    const fields = (n: number) => `{ ${Array.from({ length: n }, () => '__typename').join(' ')} }`;
    await accepted(yoga, { query: fields(398) }); // 398 names + 2 braces = 400 tokens
    const { error } = await refused(yoga, { query: fields(399) });
    expect(error.message).toMatch(/Token limit of 400 exceeded/);
  });

  it('cost, counted from page sizes', async () => {
    const limited = yogaWith({ maxCost: listCost(10) });
    await accepted(limited, { query: LIST(10) });
    const { error } = await refused(limited, { query: LIST(11) });
    expect(error.message).toBe(
      'Query cost 375 exceeds the limit of 341; ask for fewer items (first/last) or fewer fields.',
    );
    expect(error.extensions?.code).toBe('LIMIT_EXCEEDED');
    // Page sizes given as variables count too.
    const viaVariables = await refused(limited, {
      query: 'query($n: Int!) { codes(first: $n) { edges { node { code coverage { status payer { name } } } } } }',
      variables: { n: 11 },
    });
    expect(viaVariables.error.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('page size: first: 2147483647 is refused, naming the argument', async () => {
    const { error } = await refused(yoga, { query: '{ codes(first: 2147483647) { edges { node { code } } } }' });
    expect(error.message).toBe('Argument "first" must be between 0 and 100 (got 2147483647)');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const viaVariables = await refused(yoga, {
      query: 'query($n: Int) { codes(first: $n) { edges { node { code } } } }',
      variables: { n: 101 },
    });
    expect(viaVariables.error.message).toBe('Argument "first" must be between 0 and 100 (got 101)');
  });

  it('batch size', async () => {
    const batch = (n: number) => Array.from({ length: n }, () => ({ query: '{ __typename }' }));
    const ok = await post(yoga, batch(10));
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(10);
    const { status, error } = await refused(yoga, batch(11));
    expect(status).toBe(413);
    expect(error.message).toMatch(/Batching is limited to 10 operations per request/);
  });

  it('body size: 413 before parsing, with or without Content-Length', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(20_000) } });
    const declared = await refused(yoga, big, { 'content-length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(413);
    expect(declared.error).toMatchObject({
      message: 'Request body exceeds the limit of 20000 bytes.',
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
    const streamed = await refused(yoga, big);
    expect(streamed.status).toBe(413);
  });
});

describe('introspection off', () => {
  const yoga = yogaWith({ introspection: false, blockFieldSuggestions: true });

  it('refuses __schema, including through a fragment named __schema', async () => {
    expect((await refused(yoga, { query: '{ __schema { queryType { name } } }' })).error.message).toMatch(
      /introspection/i,
    );
    const sneaky = 'query Q { ...__schema } fragment __schema on Query { __schema { types { name } } }';
    expect((await refused(yoga, { query: sneaky })).error.message).toMatch(/introspection/i);
    expect((await refused(yoga, { query: '{ __type(name: "Code") { fields { name } } }' })).error.message).toMatch(
      /introspection/i,
    );
  });

  it('hides field suggestions', async () => {
    const { error } = await refused(yoga, { query: '{ cod(code: "A9597") { code } }' });
    expect(error.message).toBe('Cannot query field "cod" on type "Query". [Suggestion hidden]');
  });

  it('still answers ordinary queries', async () => {
    expect((await accepted(yoga, { query: '{ code(code: "A9597") { code } }' })).data).toEqual({
      code: { code: 'A9597' },
    });
  });
});

describe('rate limit and CSRF prevention (options)', () => {
  it('answers 429 with RATE_LIMITED and Retry-After once a key spends its budget', async () => {
    const yoga = yogaWith({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i += 1)
      expect((await post(yoga, { query: '{ __typename }' }, { 'x-forwarded-for': 'x' })).status).toBe(200);
    const { result, count } = await countStatements(async () => {
      const response = await yoga.fetch('http://refgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as GraphQLBody,
      };
    });
    expect(count).toBe(0);
    expect(result.status).toBe(429);
    // Seconds until the minute's budget is back: within the minute.
    expect(Number(result.retryAfter)).toBeGreaterThan(0);
    expect(Number(result.retryAfter)).toBeLessThanOrEqual(60);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('counts made-up API keys against the client address, so inventing keys does not escape the limit', async () => {
    const yoga = yogaWith({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await yoga.fetch('http://refgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': `rg_made-up-${i}` },
        body: '{"query":"{ __typename }"}',
      });
      statuses.push(response.status);
    }
    // Three unknown keys answered UNAUTHENTICATED (401), then the address's budget is spent.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('with CSRF prevention on, refuses a simple GET without a non-simple header', async () => {
    const yoga = yogaWith({ csrfPrevention: true });
    const simple = await yoga.fetch('http://refgraph.test/graphql?query=%7B__typename%7D');
    expect(simple.status).toBe(403);
    const withHeader = await yoga.fetch('http://refgraph.test/graphql?query=%7B__typename%7D', {
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(withHeader.status).toBe(200);
  });
});
