// No cache answers a caller the server would refuse. A query first answered for a valid key sits
// in the response cache (POST and GET), its ETag would earn a 304, and its hash is a persisted
// query; then every cached path is tried again without a key, with a made-up key, with a revoked
// key: each gets 401, under REQUIRE_API_KEY=true and (for bad keys) under the default false. A read
// key never runs a mutation, however the mutation is sent. A revocation reaches the running server
// through its own NOTIFY within about a second, and leaves the data version (and so every cached
// answer) as it was.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyChangeSubscription, createApiKey, revokeApiKey } from '../../src/auth/api-keys.js';
import { currentDataVersion, dataVersionSubscription } from '../../src/db/data-version.js';
import { listen, type DatabaseListener } from '../../src/db/listener.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';

const QUERY = '{ code(code: "A9597") { code shortDescription } }';
const ANSWER = { data: { code: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' } } };
const HASH = createHash('sha256').update(QUERY).digest('hex');
const PERSISTED = { persistedQuery: { version: 1, sha256Hash: HASH } };
const MADE_UP = `rg_${'A'.repeat(32)}`;

let database: TestDatabase;
let listener: DatabaseListener;
let strict: RefgraphYoga;
let open: RefgraphYoga;
let readKey: string;
let stewardKey: string;

type Headers = Record<string, string>;
interface Answer {
  status: number;
  etag: string | null;
  body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : null };
}

const post = async (yoga: RefgraphYoga, body: Record<string, unknown>, headers: Headers = {}) =>
  answer(
    await yoga.fetch('http://refgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify(body),
    }),
  );

const get = async (yoga: RefgraphYoga, params: Record<string, string>, headers: Headers = {}) => {
  const url = new URL('http://refgraph.test/graphql');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return answer(
    await yoga.fetch(url, { method: 'GET', headers: { accept: 'application/graphql-response+json', ...headers } }),
  );
};

const key = (value: string): Headers => ({ 'x-api-key': value });
const UNAUTHENTICATED = (message: string) => ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
const NO_KEY = UNAUTHENTICATED('An API key is required (header x-api-key or Authorization: Bearer).');
const BAD_KEY = UNAUTHENTICATED('The API key is unknown or revoked.');

/** Every cached path for QUERY: POST, GET, GET revalidating an ETag, the persisted query's hash (POST and GET). */
async function everyCachedPath(yoga: RefgraphYoga, headers: Headers, etag: string): Promise<Answer[]> {
  return [
    await post(yoga, { query: QUERY }, headers),
    await get(yoga, { query: QUERY }, headers),
    await get(yoga, { query: QUERY }, { ...headers, 'if-none-match': etag }),
    await post(yoga, { extensions: PERSISTED }, headers),
    await get(yoga, { extensions: JSON.stringify(PERSISTED) }, headers),
  ];
}

/** Fills every cache for QUERY with a valid key; returns the ETag. */
async function warm(yoga: RefgraphYoga, headers: Headers): Promise<string> {
  expect(await post(yoga, { query: QUERY, extensions: PERSISTED }, headers)).toMatchObject({
    status: 200,
    body: ANSWER,
  });
  const first = await get(yoga, { query: QUERY }, headers);
  expect(first).toMatchObject({ status: 200, body: ANSWER });
  // The same key gets the cached answers: no SQL, and a 304 for the ETag.
  const cached = await countStatements(() => everyCachedPath(yoga, headers, first.etag!));
  expect(cached.count).toBe(0);
  expect(cached.result.map((one) => one.status)).toEqual([200, 200, 304, 200, 200]);
  return first.etag!;
}

beforeAll(async () => {
  database = await useTestDatabase();
  listener = await listen(database.url, [dataVersionSubscription(), apiKeyChangeSubscription()]);
  strict = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: true, requireApiKey: true });
  open = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: true, requireApiKey: false });
  readKey = (await createApiKey(database.db, 'dashboard', ['read'])).key;
  stewardKey = (await createApiKey(database.db, 'steward', ['steward'])).key;
});

afterAll(async () => {
  await listener.stop();
});

describe('REQUIRE_API_KEY=true: authentication comes before every cache', () => {
  it('answers no key with 401 on every cached path, with no SQL', async () => {
    const etag = await warm(strict, key(readKey));
    const refused = await countStatements(() => everyCachedPath(strict, {}, etag));
    expect(refused.result).toEqual(Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: NO_KEY })));
    expect(refused.count).toBe(0);
  });

  it('answers a made-up key with 401 on every cached path, in either header', async () => {
    const etag = await warm(strict, key(readKey));
    expect(await everyCachedPath(strict, key(MADE_UP), etag)).toEqual(
      Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: BAD_KEY })),
    );
    expect(await everyCachedPath(strict, { authorization: `Bearer ${MADE_UP}` }, etag)).toEqual(
      Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: BAD_KEY })),
    );
  });

  it('answers a key revoked while the server runs with 401 within about a second, without emptying the caches', async () => {
    const revoked = (await createApiKey(database.db, 'to-revoke', ['read'])).key;
    const etag = await warm(strict, key(revoked));
    const version = await currentDataVersion();
    expect(await revokeApiKey(database.db, revoked.slice(0, 11))).toBe(true);
    const started = Date.now();
    while ((await post(strict, { query: QUERY }, key(revoked))).status !== 401) {
      expect(Date.now() - started).toBeLessThan(1_500);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await everyCachedPath(strict, key(revoked), etag)).toEqual(
      Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: BAD_KEY })),
    );
    // The revocation is not a data change: the version stands and the other key still gets the cached answer.
    expect(await currentDataVersion()).toBe(version);
    const still = await countStatements(() => post(strict, { query: QUERY }, key(readKey)));
    expect(still).toMatchObject({ count: 0, result: { status: 200, body: ANSWER } });
  });
});

describe('REQUIRE_API_KEY=false: anonymous reads are allowed, bad keys are not', () => {
  it('answers no key from the cache, but a made-up or revoked key with 401 on every cached path', async () => {
    const etag = await warm(open, key(readKey));
    const anonymous = await countStatements(() => everyCachedPath(open, {}, etag));
    expect(anonymous.count).toBe(0);
    expect(anonymous.result.map((one) => one.status)).toEqual([200, 200, 304, 200, 200]);
    expect(await everyCachedPath(open, key(MADE_UP), etag)).toEqual(
      Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: BAD_KEY })),
    );

    const revoked = (await createApiKey(database.db, 'revoked-open', ['read'])).key;
    await warm(open, key(revoked));
    await revokeApiKey(database.db, revoked.slice(0, 11));
    const started = Date.now();
    while ((await post(open, { query: QUERY }, key(revoked))).status !== 401) {
      expect(Date.now() - started).toBeLessThan(1_500);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await everyCachedPath(open, key(revoked), etag)).toEqual(
      Array.from({ length: 5 }, () => ({ status: 401, etag: null, body: BAD_KEY })),
    );
  });
});

describe('a read key and mutations', () => {
  const RETIRE = 'mutation { retireCoverageNote(id: "Q292ZXJhZ2VOb3RlOjE=", reason: "test") { id } }';
  const RETIRE_HASH = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(RETIRE).digest('hex') } };

  it('is FORBIDDEN however the mutation is sent (POST, persisted by a steward), and GET cannot mutate', async () => {
    for (const yoga of [strict, open]) {
      const direct = await post(yoga, { query: RETIRE }, key(readKey));
      expect(direct.status).toBe(200);
      expect((direct.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'FORBIDDEN',
      );

      // A steward registers it as a persisted query (the note id is made up: BAD_USER_INPUT for the steward).
      const registered = await post(yoga, { query: RETIRE, extensions: RETIRE_HASH }, key(stewardKey));
      expect((registered.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'BAD_USER_INPUT',
      );
      const byHash = await post(yoga, { extensions: RETIRE_HASH }, key(readKey));
      expect((byHash.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'FORBIDDEN',
      );

      const viaGet = await get(yoga, { query: RETIRE }, key(stewardKey));
      expect(viaGet.status).toBe(405);
    }
    expect(await post(strict, { extensions: RETIRE_HASH })).toEqual({ status: 401, etag: null, body: NO_KEY });
  });
});
