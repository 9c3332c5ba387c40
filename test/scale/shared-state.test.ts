// Several gateway replicas with the real parts: `refgraph postgres` runs the embedded PostgreSQL
// alone, Debian's redis-server holds the shared state (test/support/redis.ts), and two
// `refgraph serve` processes share both, behind a "proxy" they trust (TRUST_PROXY=127.0.0.1, the
// test sending X-Forwarded-For). The rate limit, persisted queries and cached answers hold across
// replicas; an edit through one is never answered stale by the other; Redis killed under load
// costs no request an error, and sharing resumes when it returns.
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createPrismaClient } from '../../src/db/client.js';
import { freePort, startGateway, startRefgraph, type Gateway, type RefgraphProcess } from '../support/processes.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const RATE_LIMIT = 10;
const dataDir = mkdtempSync(path.join(tmpdir(), 'refgraph-shared-'));
// As root the embedded PostgreSQL runs as `postgres`, which must be able to enter the folder.
chmodSync(dataDir, 0o755);
let postgres: RefgraphProcess;
let postgresPort: number;
let databaseUrl: string;
let redis: TestRedis;
let a: Gateway;
let b: Gateway;
let steward: string;

beforeAll(async () => {
  postgresPort = await freePort();
  [postgres, redis] = await Promise.all([
    startRefgraph(
      'postgres',
      { DATA_DIR: path.join(dataDir, 'data'), POSTGRES_PORT: String(postgresPort) },
      /^DATABASE_URL=/,
    ),
    startRedis(),
  ]);
  databaseUrl = postgres.lines.find((line) => line.startsWith('DATABASE_URL='))!.slice('DATABASE_URL='.length);
  const db = createPrismaClient(databaseUrl);
  steward = (await createApiKey(db, 'steward of the replicas test', ['steward'])).key;
  await db.$disconnect();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    TRUST_PROXY: '127.0.0.1',
  };
  [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

let clients = 0;
/** A client address of its own (sent as the trusted proxy's X-Forwarded-For), so no test spends another's bucket. */
const client = () => {
  clients += 1;
  return { 'x-forwarded-for': `198.51.${(clients >> 8) & 255}.${clients & 255}` };
};

describe('refgraph postgres', () => {
  it('prints DATABASE_URL=... on a line of its own, on POSTGRES_PORT, after migrating', async () => {
    const line = postgres.lines.find((entry) => entry.startsWith('DATABASE_URL='))!;
    expect(line).toMatch(/^DATABASE_URL=postgresql:\/\/[^\s]+\/refgraph$/);
    expect(new URL(databaseUrl).port).toBe(String(postgresPort));
    // Both gateways answered /ready: every migration was applied before the line was printed.
    const response = await a.post({ query: '{ code(code: "A9597") { code } }' }, client());
    expect(await response.json()).toEqual({ data: { code: { code: 'A9597' } } });
  });
});

describe('state shared through Redis (REDIS_URL)', () => {
  it('holds the rate limit across replicas: a client gets N per minute in total, not N per replica', async () => {
    const headers = client();
    const statuses: number[] = [];
    for (let i = 0; i < 3 * RATE_LIMIT; i++) {
      const response = await (i % 2 === 0 ? a : b).post({ query: '{ __typename }' }, headers);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      await response.arrayBuffer();
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * RATE_LIMIT);
    // Another client behind the same proxy has a bucket of its own.
    expect((await b.post({ query: '{ __typename }' }, client())).status).toBe(200);
  });

  it('finds a persisted query registered through one replica through another', async () => {
    const query = '{ code(code: "A9597") { shortDescription } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const headers = client();
    expect((await (await b.post({ extensions: { persistedQuery } }, headers)).json()).errors[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect((await a.post({ query, extensions: { persistedQuery } }, headers)).status).toBe(200);
    expect(await (await b.post({ extensions: { persistedQuery } }, headers)).json()).toEqual({
      data: { code: { shortDescription: 'Pet, dx, for tumor id, noc' } },
    });
  });

  it('serves an answer one replica computed from Redis on another, with the same ETag', async () => {
    const query = encodeURIComponent('{ shared: code(code: "A9597") { longDescription } }');
    const get = (gateway: Gateway, headers: Record<string, string> = {}) =>
      fetch(gateway.url(`/graphql?query=${query}`), {
        headers: { accept: 'application/json', ...client(), ...headers },
      });
    const first = await get(a);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const setsBefore = await b.metric('refgraph_redis_commands_total', { command: 'set' });
    const second = await get(b);
    const answer = {
      data: {
        shared: {
          longDescription:
            'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
        },
      },
    };
    expect(await first.json()).toEqual(answer);
    expect(await second.json()).toEqual(answer);
    expect(second.headers.get('etag')).toBe(etag);
    // B stored nothing: it did not compute the answer, Redis had it.
    expect(await b.metric('refgraph_redis_commands_total', { command: 'set' })).toBe(setsBefore);
    // A revalidation with A's ETag gets 304 from B.
    expect((await get(b, { 'if-none-match': etag })).status).toBe(304);
  });

  it('an edit through replica A: replica B answers from it on its next request', async () => {
    const coverage = { query: '{ code(code: "A9597") { coverage(payers: ["aetna"]) { summary } } }' };
    const read = async (gateway: Gateway) =>
      (
        (await (await gateway.post(coverage, client())).json()) as {
          data: { code: { coverage: { summary: string }[] } };
        }
      ).data.code.coverage;
    // The starter data has no Aetna note on A9597; the second read is B's cached answer.
    expect(await read(b)).toEqual([]);
    const hitsBefore = await b.metric('refgraph_cache_lookups_total', { cache: 'response', outcome: 'hit' });
    expect(await read(b)).toEqual([]);
    expect(await b.metric('refgraph_cache_lookups_total', { cache: 'response', outcome: 'hit' })).toBe(hitsBefore + 1);
    const summary = `Aetna: prior authorization (edited through replica A at ${Date.now()})`;
    const created = await a.post(
      {
        query:
          'mutation ($input: CreateCoverageNoteInput!) { createCoverageNote(input: $input, reason: "policy read") { id } }',
        variables: {
          input: {
            code: 'A9597',
            payer: 'aetna',
            status: 'PRIOR_AUTH_REQUIRED',
            summary,
            sourceUrl: 'https://www.aetna.com/cpb/medical/data/1_99/0071.html',
            lastReviewed: '2026-01-15',
          },
        },
      },
      { ...client(), 'x-api-key': steward },
    );
    expect((await created.json()).errors).toBeUndefined();
    expect(await read(b)).toEqual([{ summary }]);
  });

  it('keeps answering when Redis is killed under load (no 5xx), says so once, and shares again once it returns', async () => {
    const failures: string[] = [];
    let requests = 0;
    let running = true;
    const loops = [a, b, a, b].map(async (gateway, worker) => {
      for (let i = 0; running; i++) {
        const query =
          i % 3 === 0 ? `{ w${worker}n${i}: code(code: "A9597") { code } }` : '{ code(code: "A9597") { code } }';
        const response = await gateway
          .post({ query }, client())
          .catch((error: Error) => ({ status: 0, text: async () => error.message }));
        requests += 1;
        if (response.status !== 200) failures.push(`${response.status} ${await response.text()}`);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.kill();
    await until(
      async () => (await a.metric('refgraph_redis_up')) === 0 && (await b.metric('refgraph_redis_up')) === 0,
      'both gateways to find Redis down, under load',
      15_000,
    );
    await redis.restart();
    await until(
      async () => (await a.metric('refgraph_redis_up')) === 1 && (await b.metric('refgraph_redis_up')) === 1,
      'both gateways to see Redis again',
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await Promise.all(loops);

    expect(requests).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    for (const gateway of [a, b]) {
      expect(await gateway.metric('refgraph_redis_up')).toBe(1);
      expect(await gateway.metric('refgraph_redis_failures_total')).toBeGreaterThan(0);
      const said = gateway.logs().map((line) => line.msg);
      expect(said.filter((msg) => typeof msg === 'string' && msg.startsWith('Redis unavailable'))).toHaveLength(1);
      expect(said.filter((msg) => msg === 'Redis is back: sharing resumed')).toHaveLength(1);
    }
    // Sharing resumed (Redis came back empty): a query registered through A is found through B.
    const query = `{ code(code: "A9597") { code } } # after the restart ${Date.now()}`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    expect((await a.post({ query, extensions: { persistedQuery } }, client())).status).toBe(200);
    expect(await (await b.post({ extensions: { persistedQuery } }, client())).json()).toEqual({
      data: { code: { code: 'A9597' } },
    });
  }, 60_000);

  it('stops `refgraph postgres` on SIGTERM', async () => {
    await Promise.all([a.stop(), b.stop()]);
    expect(await postgres.stop()).toBe(0);
    expect(postgres.logs().some((line) => line.msg === 'embedded PostgreSQL stopped')).toBe(true);
  }, 60_000);
});
