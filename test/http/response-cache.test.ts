// The response cache keyed by the data version, ETags on GET, and automatic persisted queries.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheStats } from '../../src/cache/versioned-lru.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { nextDataVersion, watchTestDataVersion } from '../support/data-version.js';
import type { GraphQLBody } from '../support/graphql.js';

const PROFILE = '{ code(code: "A9597") { code shortDescription coverage { status payer { slug } } } }';
type Profile = GraphQLBody<{
  code: { code: string; shortDescription: string; coverage: { status: string; payer: { slug: string } }[] } | null;
}>;
const ETAG = /^\d+@\d{4}-\d{2}-\d{2}:[0-9a-f]{64}$/;

let database: TestDatabase;
let yoga: RefgraphYoga;

function post(body: Record<string, unknown>): Promise<Response> {
  return Promise.resolve(
    yoga.fetch('http://refgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    }),
  );
}

function get(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL('http://refgraph.test/graphql');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return Promise.resolve(
    yoga.fetch(url, { method: 'GET', headers: { accept: 'application/graphql-response+json', ...headers } }),
  );
}

/** POSTs PROFILE and reads the answer. */
async function profile(): Promise<Profile> {
  return (await post({ query: PROFILE })).json() as Promise<Profile>;
}

beforeAll(async () => {
  database = await useTestDatabase();
  await watchTestDataVersion(database.url);
  yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: true });
});

describe('response cache', () => {
  it('answers a repeated query from the cache with no SQL at all', async () => {
    const first = await countStatements(profile);
    const second = await countStatements(profile);
    // The release in force, then the version with its coverage notes and their payers.
    expect(first.count).toBe(2);
    expect(second.count).toBe(0);
    expect(first.result).toEqual({
      data: { code: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc', coverage: [] } },
    });
    expect(second.result).toEqual(first.result);
  });

  it('keeps an answer as its JSON text alone: it counts the text, and a hit sends the same bytes', async () => {
    const bytes = () => cacheStats().find((cache) => cache.name === 'response')!.bytes;
    const query = '{ code(code: "A9597") { code shortDescription } }';
    const before = bytes();
    const first = await post({ query });
    const text = await first.text();
    const added = bytes() - before;
    const second = await post({ query });
    expect(await second.text()).toBe(text);
    expect(text).toBe('{"data":{"code":{"code":"A9597","shortDescription":"Pet, dx, for tumor id, noc"}}}');
    // The text, its key (the ETag) and a fixed allowance for the entry: no copy of the answer's objects.
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(ETAG);
    expect(second.headers.get('etag')).toBe(etag);
    expect(added).toBe(text.length + etag.length + 400);
  });

  it('forgets cached answers as soon as curated data changes', async () => {
    await post({ query: PROFILE });
    const changed = nextDataVersion();
    const code = await database.db.code.findUniqueOrThrow({ where: { code: 'A9597' } });
    const payer = await database.db.payer.findUniqueOrThrow({ where: { slug: 'aetna' } });
    await database.db.coverageNote.create({
      data: {
        codeId: code.id,
        payerId: payer.id,
        status: 'PRIOR_AUTH_REQUIRED',
        summary: 'Aetna requires prior authorisation for PET tracers.',
        sourceUrl: 'https://example.org/aetna/pet',
        lastReviewed: new Date('2026-11-01T00:00:00Z'),
      },
    });
    await changed;
    const after = await countStatements(profile);
    // Computed again: the release in force (looked up again for the new data version), the version.
    expect(after.count).toBe(2);
    expect(after.result.data?.code?.coverage).toEqual([{ status: 'PRIOR_AUTH_REQUIRED', payer: { slug: 'aetna' } }]);
  });

  it('forgets cached answers when a new release is loaded', async () => {
    await post({ query: PROFILE });
    const changed = nextDataVersion();
    const system = await database.db.codeSystem.findUniqueOrThrow({ where: { kind: 'HCPCS' } });
    const old = await database.db.codeVersion.findFirstOrThrow({ where: { code: 'A9597' } });
    await database.db.$transaction(async (tx) => {
      const release = await tx.release.create({
        data: { systemId: system.id, name: '2026-01', effectiveDate: new Date('2026-01-01T00:00:00Z') },
      });
      const { id: _id, releaseId: _releaseId, ...fields } = old;
      await tx.codeVersion.create({
        data: { ...fields, releaseId: release.id, shortDescription: 'Pet dx tumor id noc (2026)' },
      });
    });
    await changed;
    const after = await countStatements(profile);
    // Computed again on the new release: its lookup, then the version in it.
    expect(after.count).toBe(2);
    expect(after.result.data?.code?.shortDescription).toBe('Pet dx tumor id noc (2026)');
  });

  it('does not cache errors', async () => {
    // A stored answer carries its key as an ETag; one computed and not kept has none.
    const good = await post({ query: '{ payers { slug } }' });
    expect(good.headers.get('etag')).toMatch(ETAG);
    const bad = '{ code(code: "nope") { code } }';
    const first = await post({ query: bad });
    const again = await post({ query: bad });
    expect(first.headers.get('etag')).toBeNull();
    expect(again.headers.get('etag')).toBeNull();
    const body = (await again.json()) as GraphQLBody;
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('ETags on GET', () => {
  it('answers If-None-Match with 304 until the data changes', async () => {
    const first = await get({ query: PROFILE });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(ETAG);
    const again = await countStatements(() => get({ query: PROFILE }, { 'if-none-match': etag! }));
    expect(again.result.status).toBe(304);
    expect(again.result.headers.get('etag')).toBe(etag);
    expect(await again.result.text()).toBe('');
    expect(again.count).toBe(0);

    const changed = nextDataVersion();
    await database.db.payer.update({ where: { slug: 'cigna' }, data: { website: 'https://www.cigna.com/' } });
    await changed;
    const stale = await get({ query: PROFILE }, { 'if-none-match': etag! });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toMatch(ETAG);
    expect(stale.headers.get('etag')).not.toBe(etag);
    expect(((await stale.json()) as Profile).data?.code?.code).toBe('A9597');
  });
});

describe('automatic persisted queries (Apollo persisted-query link)', () => {
  const query = '{ payers { slug } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  type Payers = GraphQLBody<{ payers: { slug: string }[] }>;

  it('asks for the query, stores it, then runs it from its hash alone', async () => {
    const unknown = (await (await post({ extensions })).json()) as GraphQLBody;
    expect(unknown.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });

    const registered = (await (await post({ query, extensions })).json()) as Payers;
    expect(registered.data?.payers.map((payer) => payer.slug).sort()).toEqual([
      'aetna',
      'bcbs',
      'cigna',
      'medicare',
      'uhc',
    ]);

    const byHash = (await (await post({ extensions })).json()) as Payers;
    expect(byHash).toEqual(registered);
    const byGet = await get({ extensions: JSON.stringify(extensions) });
    expect(((await byGet.json()) as Payers).data).toEqual(registered.data);
  });

  it('refuses a query whose hash does not match', async () => {
    const response = await post({ query: '{ payers { name } }', extensions });
    expect(response.status).toBe(400);
    expect(((await response.json()) as GraphQLBody).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_MISMATCH');
  });
});
