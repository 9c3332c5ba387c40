// 5,000+ malformed or hostile requests (seeded, so a failure replays): random bytes, huge strings,
// deep nesting, wrong types, unknown fields, broken JSON. None may get a 5xx or crash the server,
// and it answers normally afterwards.
import fc from 'fast-check';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRefgraphYoga } from '../../src/yoga.js';
import { useTestDatabase } from '../support/database.js';

const SEED = 20261127;
const RUNS = 5_200;
const yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }) });

const fieldNames = fc.constantFrom(
  'code',
  'codes',
  'search',
  'payer',
  'taxonomy',
  'placeOfService',
  'modifier',
  '__schema',
  '__type',
  'nope',
  'edges',
  'node',
  'coverage',
  'createCoverageNote',
);
const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 50 }),
  fc.constant(2147483647),
  fc.constant(-1),
  fc.constant('A9597'),
);
const argumentText = fc.oneof(
  scalar.map((value) => JSON.stringify(value)),
  fc.constantFrom('$v', '[1,2]', '{a: 1}', 'ENUM', '"\\u0000"'),
);
const deepQuery = fc
  .integer({ min: 1, max: 300 })
  .map((depth) => `{ ${'code(code: "A9597") { release { '.repeat(depth)} name ${'} } '.repeat(depth)} }`);
const fieldQuery = fc
  .array(fc.tuple(fieldNames, fc.option(fc.tuple(fieldNames, argumentText))), { minLength: 1, maxLength: 8 })
  .map(
    (fields) => `{ ${fields.map(([name, arg]) => (arg ? `${name}(${arg[0]}: ${arg[1]}) { code }` : name)).join(' ')} }`,
  );
const hugeString = fc.integer({ min: 1_000, max: 150_000 }).map((n) => `{ code(code: "${'A'.repeat(n)}") { code } }`);
const query = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.fullUnicodeString({ maxLength: 100 }),
  deepQuery,
  fieldQuery,
  hugeString,
  fc.constant('{ codes(first: 2147483647) { edges { node { code } } } }'),
);
const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.string({ maxLength: 10 }), scalar),
  scalar,
  fc.array(scalar),
);
const body = fc.oneof(
  fc
    .record({ query, variables, operationName: fc.option(fc.string({ maxLength: 20 })) })
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      query: scalar,
      variables: scalar,
      operationName: fc.oneof(scalar, fc.array(scalar), fc.dictionary(fc.string({ maxLength: 5 }), scalar)),
    })
    .map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.string({ maxLength: 300 }).map((text) => `{"query": ${text}`),
  fc.array(fc.record({ query }), { maxLength: 15 }).map((value) => JSON.stringify(value)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/graphql+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
);
const request = fc.oneof(
  { weight: 4, arbitrary: fc.record({ method: fc.constant('POST'), body, contentType }) },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
      body: fc.constant(''),
      contentType,
      search: fc.string({ maxLength: 200 }),
    }),
  },
);

beforeAll(async () => {
  await useTestDatabase();
});

describe('fuzzing the GraphQL endpoint', () => {
  it(`answers ${RUNS} hostile requests with 4xx or GraphQL errors, never a 5xx`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (sample) => {
        const search = 'search' in sample ? `?query=${encodeURIComponent(sample.search)}` : '';
        const response = await yoga.fetch(`http://refgraph.test/graphql${search}`, {
          method: sample.method,
          headers: {
            'content-type': sample.contentType,
            accept: 'application/graphql-response+json, application/json',
          },
          ...(sample.method === 'GET' || sample.method === 'DELETE' ? {} : { body: sample.body }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        return response.status < 500;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(RUNS);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    console.log('fuzz statuses', Object.fromEntries([...statuses].sort()));
  }, 300_000);

  it('answers normally afterwards', async () => {
    const response = await yoga.fetch('http://refgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ code(code: "A9597") { code shortDescription } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { code: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' } },
    });
  });
});
