// The response cache keyed by the data version, ETags on GET, and automatic persisted queries.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { nextDataVersion, watchTestDataVersion } from '../support/data-version.js';

const PROFILE = '{ code(code: "A9597") { code shortDescription coverage { status payer { slug } } } }';

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
  return Promise.resolve(yoga.fetch(url, { method: 'GET', headers: { accept: 'application/graphql-response+json', ...headers } }));
}

beforeAll(async () => {
  database = await useTestDatabase();
  await watchTestDataVersion(database.url);
  yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: true });
});


describe('response cache', () => {
  it('answers a repeated query from the cache with no SQL at all', async () => {
    const first = await countStatements(async () => (await post({ query: PROFILE })).json());
    const second = await countStatements(async () => (await post({ query: PROFILE })).json());
    expect(first.count).toBeGreaterThan(0);
    expect(second.count).toBe(0);
    expect(second.result).toEqual(first.result);
    expect((second.result as any).data.code.shortDescription).toBe('Pet, dx, for tumor id, noc');
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
    const after = await countStatements(async () => (await post({ query: PROFILE })).json());
    expect(after.count).toBeGreaterThan(0);
    expect((after.result as any).data.code.coverage).toEqual([{ status: 'PRIOR_AUTH_REQUIRED', payer: { slug: 'aetna' } }]);
  });

  it('forgets cached answers when a new release is loaded', async () => {
    await post({ query: PROFILE });
    const changed = nextDataVersion();
    const system = await database.db.codeSystem.findUniqueOrThrow({ where: { kind: 'HCPCS' } });
    const old = await database.db.codeVersion.findFirstOrThrow({ where: { code: 'A9597' } });
    await database.db.$transaction(async (tx) => {
      const release = await tx.release.create({ data: { systemId: system.id, name: '2026-01', effectiveDate: new Date('2026-01-01T00:00:00Z') } });
      const { id: _id, releaseId: _releaseId, ...fields } = old;
      await tx.codeVersion.create({ data: { ...fields, releaseId: release.id, shortDescription: 'Pet dx tumor id noc (2026)' } });
    });
    await changed;
    const after = await countStatements(async () => (await post({ query: PROFILE })).json());
    expect(after.count).toBeGreaterThan(0);
    expect((after.result as any).data.code.shortDescription).toBe('Pet dx tumor id noc (2026)');
  });

  it('does not cache errors', async () => {
    const bad = '{ code(code: "nope") { code } }';
    await post({ query: bad });
    const again = await countStatements(async () => (await post({ query: bad })).json());
    expect((again.result as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('ETags on GET', () => {
  it('answers If-None-Match with 304 until the data changes', async () => {
    const first = await get({ query: PROFILE });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^\d+@\d{4}-\d{2}-\d{2}:[0-9a-f]{64}$/);
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
    expect(stale.headers.get('etag')).not.toBe(etag);
    expect(((await stale.json()) as any).data.code.code).toBe('A9597');
  });
});

describe('automatic persisted queries (Apollo persisted-query link)', () => {
  const query = '{ payers { slug } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };

  it('asks for the query, stores it, then runs it from its hash alone', async () => {
    const unknown = (await (await post({ extensions })).json()) as any;
    expect(unknown.errors[0].message).toBe('PersistedQueryNotFound');
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = (await (await post({ query, extensions })).json()) as any;
    expect(registered.data.payers.map((payer: any) => payer.slug).sort()).toEqual(['aetna', 'bcbs', 'cigna', 'medicare', 'uhc']);

    const byHash = (await (await post({ extensions })).json()) as any;
    expect(byHash).toEqual(registered);
    const byGet = await get({ extensions: JSON.stringify(extensions) });
    expect(((await byGet.json()) as any).data).toEqual(registered.data);
  });

  it('refuses a query whose hash does not match', async () => {
    const response = await post({ query: '{ payers { name } }', extensions });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
  });
});
