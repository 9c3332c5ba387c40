// A fresh database per test file, cloned from the migrated template (CREATE DATABASE ... TEMPLATE),
// with the process's Prisma client pointed at it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createPrismaClient, onStatement, usePrismaClient, type Db } from '../../src/db/client.js';

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDatabase');
  const name = `rgtest_${template.split('_').pop()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  const url = `${serverUrl}/${name}`;
  return { url, name, db: createPrismaClient(url) };
}

/** For a test file: a fresh database, made the Prisma client of this process; dropped afterwards. */
export async function useTestDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  usePrismaClient(database.db);
  afterAll(async () => {
    await database.db.$disconnect();
  });
  return database;
}

/** Runs `fn` and returns how many SQL statements Prisma sent meanwhile, with the statements. */
export async function countStatements<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; count: number; statements: string[] }> {
  const statements: string[] = [];
  const stop = onStatement((sql) => statements.push(sql));
  try {
    const result = await fn();
    return { result, count: statements.length, statements };
  } finally {
    stop();
  }
}
