// Starts one PostgreSQL for the whole run (embedded, in a temporary folder, unless DATABASE_URL
// is set), builds a migrated template database with the starter data, and tells the test files
// where it is. Each test file clones the template (test/support/database.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createPrismaClient } from '../../src/db/client.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = `refgraph_template_${process.pid}`;

function serverUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '';
  return url.toString().replace(/\/$/, '');
}

export default async function setup(project: TestProject) {
  let stopServer = async () => {};
  let dataDir: string | undefined;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = serverUrlOf(process.env.DATABASE_URL);
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'refgraph-test-'));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    serverUrl = server.serverUrl;
    stopServer = server.stop;
  }

  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  const templateUrl = `${serverUrl}/${TEMPLATE}`;
  await migrate(templateUrl);
  const client = createPrismaClient(templateUrl);
  await loadStarterData(client);
  await client.$disconnect();

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    // Drop what this run created (matters with DATABASE_URL), then stop our own server.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [TEMPLATE, `rgtest_${process.pid}_%`],
    );
    for (const row of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(row.datname)} WITH (FORCE)`);
    await admin.end();
    await stopServer();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
