// Liveness, readiness, and what clients see when the database cannot be reached.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPrismaClient, usePrismaClient, type Db } from '../../src/db/client.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, testYoga } from '../support/graphql.js';

let database: TestDatabase;
const others: Db[] = [];

beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  usePrismaClient(database.db);
  await Promise.all(others.map((client) => client.$disconnect()));
});

const get = (path: string) => testYoga().fetch(`http://refgraph.test${path}`);

function useClient(url: string): void {
  const client = createPrismaClient(url);
  others.push(client);
  usePrismaClient(client);
}

describe('health and readiness', () => {
  it('/health answers 200 while the process runs', async () => {
    expect((await get('/health')).status).toBe(200);
  });

  it('/ready answers 200 when the database answers and is migrated', async () => {
    usePrismaClient(database.db);
    expect((await get('/ready')).status).toBe(200);
  });

  it('/ready answers 503 on a database that is not migrated', async () => {
    const name = `rgtest_empty_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: `${inject('serverUrl')}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    useClient(`${inject('serverUrl')}/${name}`);
    expect((await get('/ready')).status).toBe(503);
    usePrismaClient(database.db);
  });
});

describe('when the database is down', () => {
  it('gives a clear DATABASE_UNAVAILABLE error, /ready 503, /health 200, and recovers when it returns', async () => {
    // A port nothing listens on: every connection is refused, as when Postgres is stopped.
    useClient('postgresql://postgres:x@127.0.0.1:9/refgraph');
    const down = await graphql(`{ code(code: "A9597") { code } }`);
    expect(down.data).toEqual({ code: null });
    expect(down.errors![0]!.message).toBe('The database is unavailable right now; retry shortly.');
    expect(down.errors![0]!.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(JSON.stringify(down)).not.toMatch(/ECONNREFUSED|stack/);
    expect((await get('/ready')).status).toBe(503);
    expect((await get('/health')).status).toBe(200);

    usePrismaClient(database.db);
    const back = await graphql(`{ code(code: "A9597") { code } }`);
    expect(back).toEqual({ status: 200, data: { code: { code: 'A9597' } } });
    expect((await get('/ready')).status).toBe(200);
  });
});
