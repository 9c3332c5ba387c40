// The process's Prisma client. It is created once the database URL is known (the embedded
// server picks its port at start), then shared by the GraphQL schema and the CLI.
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { ReplicaSet } from './replicas.js';

export interface ClientOptions {
  /** Named (prepared) statements, one per distinct SQL text (default true). */
  preparedStatements?: boolean;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** Milliseconds to wait for a connection before failing (DATABASE_UNAVAILABLE). */
  connectTimeoutMs?: number;
  /** Told about errors of idle pooled connections (the server went away); they never crash the process. */
  onPoolError?: (error: Error) => void;
  /** Read replicas (DATABASE_REPLICA_URLS): reads go there when one has replayed the current data version. */
  replicas?: ReplicaSet;
}

/** Connection counts of a pool, for /metrics. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export type Db = PrismaClient;

/** How much longer than statement_timeout the client waits for an answer before giving up on the server. */
export const QUERY_TIMEOUT_GRACE_MS = 2_000;

let current: PrismaClient | undefined;
const statementListeners = new Set<(sql: string) => void>();
const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * A name per distinct SQL text: pg then prepares a statement once per connection, and Postgres
 * skips parsing it again and can reuse its plan. `npm run bench` measured the difference.
 */
const statementNames = new Map<string, string>();
function statementName(query: { sql: string }): string {
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    name = `rg_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 10_000) statementNames.set(query.sql, name);
  }
  return name;
}

/** A pool with refgraph's settings (the primary's, and each read replica's in src/db/replicas.ts). */
export function createPool(connectionString: string, options: ClientOptions = {}): pg.Pool {
  // Our own pool (rather than one PrismaPg makes) so /metrics can read its connection counts.
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    // Fail fast rather than hang when the database is down.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // statement_timeout is enforced by the server; when the server stops answering (frozen host,
    // dropped network) only a client-side limit ends the wait. The pool then drops the connection.
    query_timeout: (options.statementTimeoutMs ?? 10_000) + QUERY_TIMEOUT_GRACE_MS,
  });
  // An idle connection dropped by the server (restart, outage) emits 'error' on the pool, which
  // would crash the process without a listener. PrismaPg adds its own only once it connects, so
  // listen here from the start; the pool discards the broken connection and opens a new one later.
  pool.on('error', options.onPoolError ?? (() => {}));
  return pool;
}

/** Prisma's pg adapter over `pool`; `disposePool`: the client's $disconnect ends the pool too. */
export function createAdapter(pool: pg.Pool, options: ClientOptions = {}, disposePool = true): PrismaPg {
  return new PrismaPg(pool, {
    disposeExternalPool: disposePool,
    ...(options.preparedStatements === false ? {} : { statementNameGenerator: statementName }),
  });
}

export function createPrismaClient(connectionString: string, options: ClientOptions = {}): PrismaClient {
  const pool = createPool(connectionString, options);
  const primary = createAdapter(pool, options);
  const adapter = options.replicas ? options.replicas.routeReads(primary) : primary;
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  pools.set(client, pool);
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

/** Connection counts of the current client's pool (undefined before one is connected). */
export function poolStats(): PoolStats | undefined {
  const pool = current ? pools.get(current) : undefined;
  if (!pool) return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}

/** Listen to every SQL statement Prisma sends (tests count them to catch N+1 shapes). */
export function onStatement(listener: (sql: string) => void): () => void {
  statementListeners.add(listener);
  return () => statementListeners.delete(listener);
}
