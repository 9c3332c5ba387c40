// The database stops (or freezes) under load and comes back: requests fail clearly (503,
// DATABASE_UNAVAILABLE, never a masked error) within the configured timeouts, /ready turns 503
// while /health stays 200, and the same client and Yoga serve again once Postgres is back,
// without a restart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, QUERY_TIMEOUT_GRACE_MS, usePrismaClient, type Db } from '../../src/db/client.js';
import { watchDataVersion, type DataVersionWatcher } from '../../src/db/data-version.js';
import { databaseUrl, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { ensureDatabase } from '../../src/db/ensure-database.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';
import { createRefgraphYoga } from '../../src/yoga.js';
import { until } from '../support/until.js';

const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;
const CONCURRENCY = 10;
/** A safety bound on the loop; the phases end it long before. */
const MAX_REQUESTS = 200_000;

type Phase = 'up' | 'failing' | 'down' | 'returning' | 'back';

interface Outcome {
  /** The phase when the request was sent and when its answer arrived. */
  sent: Phase;
  answered: Phase;
  ms: number;
  status: number;
  retryAfter: string | null;
  codes: string[];
  ok: boolean;
}

let dataDir: string;
let postgres: EmbeddedDatabase;
let port: number;
let client: Db;
let watcher: DataVersionWatcher;
let server: Server;
let base: string;
const logs: { level: number; msg: string }[] = [];
const poolErrors: Error[] = [];

const startPostgres = () => startEmbeddedPostgres({ dataDir, persistent: true, ...(port ? { port } : {}) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'refgraph-outage-'));
  postgres = await startPostgres();
  port = Number(new URL(postgres.serverUrl).port);
  await ensureDatabase(postgres.serverUrl, 'refgraph');
  const url = databaseUrl(postgres.serverUrl, 'refgraph');
  await migrate(url);
  client = createPrismaClient(url, {
    poolSize: 5,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    onPoolError: (error) => poolErrors.push(error),
  });
  usePrismaClient(client);
  await loadStarterData(client);
  // As serve runs: the response cache on, the data version watched on its own connection.
  watcher = await watchDataVersion(url);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const yoga = createRefgraphYoga({ logger, responseCache: true });
  server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await watcher?.stop();
  await client?.$disconnect();
  await postgres?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

let phase: Phase = 'up';
let sent = 0;

/** One request; each has its own alias, so none is answered from the response cache. */
async function ask(): Promise<Outcome> {
  const at = phase;
  sent += 1;
  const alias = `r${sent}`;
  const started = performance.now();
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({
      query: `{ ${alias}: code(code: "A9597") { code shortDescription coverage { status payer { name } } } }`,
    }),
    // Far beyond any configured timeout: only a hang gets here, and it fails the test below.
    signal: AbortSignal.timeout(30_000),
  }).catch(() => undefined);
  const body = (await response?.json().catch(() => undefined)) as
    | { data?: Record<string, { code: string } | null>; errors?: { extensions?: { code?: string } }[] }
    | undefined;
  return {
    sent: at,
    answered: phase,
    ms: performance.now() - started,
    status: response?.status ?? 0,
    retryAfter: response?.headers.get('retry-after') ?? null,
    codes: (body?.errors ?? []).map((error) => String(error.extensions?.code)),
    ok: response?.status === 200 && body?.data?.[alias]?.code === 'A9597' && !body.errors,
  };
}

const status = async (path: string) => (await fetch(`${base}${path}`)).status;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fault {
  name: string;
  /** Break the database (resolves once it is broken) and mend it. */
  start(): Promise<void>;
  end(): Promise<void>;
  /** How long it stays broken under load. */
  lastsMs: number;
  /** The longest any request may take meanwhile. */
  boundMs: number;
}

/**
 * CONCURRENCY clients send requests back to back while `fault` breaks the database for a while and
 * mends it; checks /ready and /health meanwhile, then every answer.
 */
async function underLoad(fault: Fault): Promise<void> {
  const outcomes: Outcome[] = [];
  let running = true;
  phase = 'up';
  // Warm (schema, plans, pool) so the first phase measures serving, not start-up.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => ask()));
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (running && sent < MAX_REQUESTS) outcomes.push(await ask());
  });
  let ready = 0;
  let health = 0;
  try {
    await pause(1_500);
    phase = 'failing';
    await fault.start();
    phase = 'down';
    await pause(fault.lastsMs);
    ready = await status('/ready');
    health = await status('/health');
    phase = 'returning';
    await fault.end();
    // Same pool, same Yoga: readiness comes back by itself.
    await until(async () => (await status('/ready')) === 200, '/ready to answer 200', 30_000);
    phase = 'back';
    await pause(1_500);
  } finally {
    running = false;
    await Promise.all(workers);
  }

  const during = (...phases: Phase[]) => outcomes.filter((o) => phases.includes(o.sent) && phases.includes(o.answered));
  const failed = outcomes.filter((o) => !o.ok);
  const slowest = Math.max(...outcomes.map((o) => o.ms));
  process.stdout.write(
    `[outage: ${fault.name}] ${outcomes.length} requests: up ${during('up').length}, down ${during('down').length}, back ${during('back').length}; ` +
      `failed ${failed.length}; slowest ${slowest.toFixed(0)} ms, slowest failure ${Math.max(0, ...failed.map((o) => o.ms)).toFixed(0)} ms ` +
      `(bound ${fault.boundMs} ms); idle pool connections lost so far ${poolErrors.length}\n`,
  );

  expect(ready).toBe(503);
  expect(health).toBe(200);
  // Before and after: every request answered in full.
  expect(during('up').length).toBeGreaterThan(0);
  expect(during('up').every((o) => o.ok)).toBe(true);
  expect(during('back').length).toBeGreaterThan(0);
  expect(during('back').every((o) => o.ok)).toBe(true);
  // While the database is away: refused clearly, never a 500 or a masked error.
  const down = during('down');
  expect(down.length).toBeGreaterThanOrEqual(CONCURRENCY);
  expect(
    down.every(
      (o) =>
        o.status === 503 &&
        o.retryAfter === '1' &&
        o.codes.length > 0 &&
        o.codes.every((code) => code === 'DATABASE_UNAVAILABLE'),
    ),
  ).toBe(true);
  // Whatever the moment (a query cut short, a connection refused or timed out, Postgres starting
  // up), a request either succeeds or gets DATABASE_UNAVAILABLE, within the configured timeouts.
  const unexplained = failed.filter(
    (o) => o.status !== 503 || o.codes.length === 0 || o.codes.some((code) => code !== 'DATABASE_UNAVAILABLE'),
  );
  expect(unexplained).toEqual([]);
  expect(slowest).toBeLessThan(fault.boundMs);
  // No error lines: an outage is told by /ready, the pool's and the readiness check's warnings, and metrics.
  expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  expect(await status('/health')).toBe(200);
}

/** The postmaster and its children (backends, checkpointer, ...), from postmaster.pid. */
function postgresProcesses(): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return [postmaster, ...children];
}

describe('the database fails under load', () => {
  it('stopped: answers 503 DATABASE_UNAVAILABLE at once, stays alive, and recovers when Postgres restarts', async () => {
    await underLoad({
      name: 'stopped',
      start: () => postgres.stop(),
      end: async () => {
        postgres = await startPostgres();
        expect(Number(new URL(postgres.serverUrl).port)).toBe(port);
      },
      // Long enough for every pooled connection to be found dead and the watcher to retry.
      lastsMs: 3_000,
      // Refused connections fail at once; a connection may wait for the pool up to its timeout.
      boundMs: CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS,
    });
  }, 90_000);

  it('frozen (no answer, no refusal, as on a dropped network): gives up within the timeouts, then recovers', async () => {
    let frozen: number[] = [];
    await underLoad({
      name: 'frozen',
      start: async () => {
        frozen = postgresProcesses();
        for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      },
      end: async () => {
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
      },
      // Long enough for queries on pooled connections to hit the client-side query timeout.
      lastsMs: STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_GRACE_MS + 2_000,
      // Waiting for a connection, then for an answer that never comes, plus a second for the event loop under load.
      boundMs: CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_GRACE_MS + 1_000,
    });
  }, 90_000);
});
