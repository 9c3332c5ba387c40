// REQUIRE_API_KEY=true: reads need a key too. And a key's lastUsedAt is bookkeeping, written at
// most once a minute per key, not on every request.
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearApiKeyCache, createApiKey, LAST_USED_EVERY_MS } from '../../src/auth/api-keys.js';
import type { Db } from '../../src/db/client.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase } from '../support/database.js';

let db: Db;
let yoga: RefgraphYoga;
let readKey: string;

beforeAll(async () => {
  ({ db } = await useTestDatabase());
  yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), requireApiKey: true });
  readKey = (await createApiKey(db, 'dashboard', ['read'])).key;
});

async function read(headers: Record<string, string> = {}) {
  const response = await yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: '{ code(code: "A9597") { code } }' }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] },
  };
}

/** The statements a request sent about API keys (the read itself sends its own). */
async function keyStatements(headers: Record<string, string>) {
  const { result, statements } = await countStatements(() => read(headers));
  expect(result.status).toBe(200);
  return statements.filter((sql) => sql.includes('"api_key"')).map((sql) => sql.split(' ')[0]);
}

const lastUsedAt = async () => (await db.apiKey.findFirstOrThrow({ where: { name: 'dashboard' } })).lastUsedAt;

describe('REQUIRE_API_KEY=true', () => {
  it('refuses a read without a key: 401 UNAUTHENTICATED, and no SQL', async () => {
    const { result, count } = await countStatements(() => read());
    expect(count).toBe(0);
    expect(result.status).toBe(401);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([
      {
        message: 'An API key is required (header x-api-key or Authorization: Bearer).',
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ]);
  });

  it('refuses an unknown key', async () => {
    const result = await read({ 'x-api-key': 'rg_not-a-key' });
    expect(result.status).toBe(401);
    expect(result.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(result.body.errors![0]!.message).toBe('The API key is unknown or revoked.');
  });

  it('answers a read with a key of the read scope, in either header', async () => {
    expect(await read({ 'x-api-key': readKey })).toEqual({ status: 200, body: { data: { code: { code: 'A9597' } } } });
    expect(await read({ authorization: `Bearer ${readKey}` })).toEqual({
      status: 200,
      body: { data: { code: { code: 'A9597' } } },
    });
  });
});

describe("a key's lastUsedAt", () => {
  it('is written on first use, then at most once a minute however often the key is checked', async () => {
    await db.apiKey.updateMany({ where: { name: 'dashboard' }, data: { lastUsedAt: null } });
    clearApiKeyCache();
    const before = Date.now();
    expect(await keyStatements({ 'x-api-key': readKey })).toEqual(['SELECT', 'UPDATE']);
    const recorded = await lastUsedAt();
    expect(recorded!.getTime()).toBeGreaterThanOrEqual(before - 1);

    // The lookup cache expires (as it does every 10 s): the key is read again, but not written.
    clearApiKeyCache();
    expect(await keyStatements({ 'x-api-key': readKey })).toEqual(['SELECT']);
    expect(await lastUsedAt()).toEqual(recorded);
    // Cached: nothing at all.
    expect(await keyStatements({ 'x-api-key': readKey })).toEqual([]);

    // A minute later, the next lookup records the use again.
    const aMinuteAgo = new Date(Date.now() - LAST_USED_EVERY_MS);
    await db.apiKey.updateMany({ where: { name: 'dashboard' }, data: { lastUsedAt: aMinuteAgo } });
    clearApiKeyCache();
    await read({ 'x-api-key': readKey });
    expect((await lastUsedAt())!.getTime()).toBeGreaterThan(aMinuteAgo.getTime());
  });
});
