// The process's Prisma client. It is created once the database URL is known (the embedded
// server picks its port at start), then shared by the GraphQL schema and the CLI.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export interface ClientOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
}

export type Db = PrismaClient;

let current: PrismaClient | undefined;
const statementListeners = new Set<(sql: string) => void>();

export function createPrismaClient(connectionString: string, options: ClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    // Fail fast rather than hang when the database is down.
    connectionTimeoutMillis: 5_000,
  });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => {
    for (const listener of statementListeners) listener(event.query);
  });
  return client;
}

/** Make `client` the one `prisma()` returns. */
export function usePrismaClient(client: PrismaClient): void {
  current = client;
}

export function prisma(): PrismaClient {
  if (!current) throw new Error('the Prisma client is not connected yet (call usePrismaClient first)');
  return current;
}

/** Listen to every SQL statement Prisma sends (tests count them to catch N+1 shapes). */
export function onStatement(listener: (sql: string) => void): () => void {
  statementListeners.add(listener);
  return () => statementListeners.delete(listener);
}
