// /metrics under REQUIRE_API_KEY needs a key with the metrics scope (Prometheus sends it as a
// bearer token), and operation names become metric labels only once the server knows them: sent
// with a valid key, or asked by the hash of a persisted query. A client cannot fill the label
// set with names of its own.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { useTestDatabase } from '../support/database.js';

let strict: RefgraphYoga;
let open: RefgraphYoga;
const keys: Record<string, string> = {};

beforeAll(async () => {
  const { db } = await useTestDatabase();
  strict = createRefgraphYoga({ logger: pino({ level: 'silent' }), requireApiKey: true });
  open = createRefgraphYoga({ logger: pino({ level: 'silent' }) });
  for (const scope of ['read', 'metrics', 'admin'] as const)
    keys[scope] = (await createApiKey(db, `${scope}-key`, [scope])).key;
});

const scrape = async (yoga: RefgraphYoga, headers: Record<string, string> = {}) => {
  const response = await yoga.fetch('http://refgraph.test/metrics', { headers });
  return { status: response.status, text: await response.text() };
};

const ask = (yoga: RefgraphYoga, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('/metrics with REQUIRE_API_KEY=true', () => {
  it('answers 401 without a key or with a bad one, 403 for a read key, and the metrics to a metrics or admin key', async () => {
    expect((await scrape(strict)).status).toBe(401);
    expect(JSON.parse((await scrape(strict, { authorization: 'Bearer rg_made_up' })).text)).toEqual({
      errors: [{ message: 'The API key is unknown or revoked.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(await scrape(strict, { authorization: `Bearer ${keys.read}` })).toEqual({
      status: 403,
      text: JSON.stringify({
        errors: [
          {
            message: 'The API key "read-key" lacks the "metrics" scope /metrics needs.',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      }),
    });
    for (const scope of ['metrics', 'admin']) {
      const allowed = await scrape(strict, { authorization: `Bearer ${keys[scope]}` });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('# TYPE refgraph_graphql_requests_total counter');
    }
  });

  it('gives a metrics key nothing else: GraphQL answers it 403, whatever REQUIRE_API_KEY says', async () => {
    for (const yoga of [strict, open]) {
      const response = await ask(
        yoga,
        { query: '{ code(code: "A9597") { code } }' },
        { authorization: `Bearer ${keys.metrics}` },
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The API key "metrics-key" lacks the "read" scope GraphQL needs.',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
  });

  it('is open, as reads are, with REQUIRE_API_KEY=false', async () => {
    expect((await scrape(open)).status).toBe(200);
  });
});

describe('operation labels', () => {
  const labelled = async (name: string) => (await scrape(open)).text.includes(`operation="${name}"`);

  /** The count of successful requests labelled `operation`, as /metrics reports it (0 when absent). */
  const okCount = async (operation: string) => {
    const line = (await scrape(open)).text
      .split('\n')
      .find((l) => l.startsWith(`refgraph_graphql_requests_total{operation="${operation}",outcome="ok"} `));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('labels a name sent with a valid key, and counts an anonymous name as "other"', async () => {
    const before = await okCount('other');
    await ask(open, { query: 'query MadeUpByAnyone { __typename }', operationName: 'MadeUpByAnyone' });
    expect(await labelled('MadeUpByAnyone')).toBe(false);
    expect(await okCount('other')).toBe(before + 1);
    await ask(
      open,
      { query: 'query DashboardProfile { __typename }', operationName: 'DashboardProfile' },
      { 'x-api-key': keys.read! },
    );
    expect(await labelled('DashboardProfile')).toBe(true);
  });

  it('labels a persisted query asked by its hash, but not an unknown hash', async () => {
    const query = 'query PersistedByHash { __typename }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    await ask(open, {
      operationName: 'NoSuchPersisted',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
    expect(await labelled('NoSuchPersisted')).toBe(false);
    await ask(open, { query, operationName: 'PersistedByHash', extensions: { persistedQuery } });
    expect(await labelled('PersistedByHash')).toBe(false);
    await ask(open, { operationName: 'PersistedByHash', extensions: { persistedQuery } });
    expect(await labelled('PersistedByHash')).toBe(true);
  });
});
