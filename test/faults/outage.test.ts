// The database stops under load and comes back: requests fail fast and clearly (503,
// DATABASE_UNAVAILABLE, never a masked error or a hang), /ready turns 503 while /health stays 200,
// and the same client and Yoga serve again once Postgres is back, without a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, usePrismaClient, type Db } from '../../src/db/client.js';
import { watchDataVersion, type DataVersionWatcher } from '../../src/db/data-version.js';
import { databaseUrl, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { ensureDatabase } from '../../src/db/ensure-database.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';
import { createRefgraphYoga } from '../../src/yoga.js';

const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;
/** The longest a request may take with the database gone: waiting for a connection, then one statement. */
const WORST_CASE_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS;
const CONCURRENCY = 10;
/** A safety bound on the loop; the phases end it long before. */
const MAX_REQUESTS = 200_000;

type Phase = 'up' | 'stopping' | 'down' | 'restarting' | 'back';

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
let running = true;
let sent = 0;
const outcomes: Outcome[] = [];

/** One request; each has its own alias, so none is answered from the response cache. */
async function ask(n: number): Promise<Outcome> {
  const at = phase;
  const started = performance.now();
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: `{ r${n}: code(code: "A9597") { code shortDescription coverage { status payer { name } } } }` }),
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
    ok: response?.status === 200 && body?.data?.[`r${n}`]?.code === 'A9597' && !body.errors,
  };
}

async function worker(): Promise<void> {
  while (running && sent < MAX_REQUESTS) outcomes.push(await ask((sent += 1)));
}

const status = async (path: string) => (await fetch(`${base}${path}`)).status;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

describe('the database stops under load', () => {
  it('answers 503 DATABASE_UNAVAILABLE fast, stays alive, and recovers when Postgres returns', async () => {
    // Warm (schema, plans, pool) so the first phase measures serving, not start-up.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => ask((sent += 1))));
    const workers = Array.from({ length: CONCURRENCY }, () => worker());
    try {
      await pause(1_500);
      phase = 'stopping';
      await postgres.stop();
      phase = 'down';
      // Long enough for every pooled connection to be found dead and the watcher to retry.
      await pause(3_000);
      const ready = await status('/ready');
      const health = await status('/health');

      phase = 'restarting';
      postgres = await startPostgres();
      expect(Number(new URL(postgres.serverUrl).port)).toBe(port);
      // Same pool, same Yoga: readiness comes back by itself.
      await waitFor('/ready to answer 200', async () => (await status('/ready')) === 200);
      phase = 'back';
      await pause(1_500);

      expect(ready).toBe(503);
      expect(health).toBe(200);
    } finally {
      running = false;
      await Promise.all(workers);
    }

    const during = (...phases: Phase[]) => outcomes.filter((o) => phases.includes(o.sent) && phases.includes(o.answered));
    const failed = outcomes.filter((o) => !o.ok);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const slowestFailure = Math.max(0, ...failed.map((o) => o.ms));
    process.stdout.write(
      `[outage] ${outcomes.length} requests: up ${during('up').length}, down ${during('down').length}, back ${during('back').length}; ` +
        `failed ${failed.length}; slowest ${slowest.toFixed(0)} ms, slowest failure ${slowestFailure.toFixed(0)} ms ` +
        `(bound ${WORST_CASE_MS} ms); idle pool connections lost ${poolErrors.length}\n`,
    );

    // Before and after: every request answered in full.
    expect(during('up').length).toBeGreaterThan(0);
    expect(during('up').every((o) => o.ok)).toBe(true);
    expect(during('back').length).toBeGreaterThan(0);
    expect(during('back').every((o) => o.ok)).toBe(true);
    // While the database is away: refused clearly and at once, never a 500 or a masked error.
    const down = during('down');
    expect(down.length).toBeGreaterThan(CONCURRENCY);
    expect(down.every((o) => o.status === 503 && o.retryAfter === '1' && o.codes.every((code) => code === 'DATABASE_UNAVAILABLE') && o.codes.length > 0)).toBe(true);
    // Whatever the moment (a query cut by the shutdown, a connection refused, Postgres starting
    // up), a request either succeeds or gets DATABASE_UNAVAILABLE, within the configured timeouts.
    const unexplained = failed.filter((o) => o.status !== 503 || o.codes.length === 0 || o.codes.some((code) => code !== 'DATABASE_UNAVAILABLE'));
    expect(unexplained).toEqual([]);
    expect(slowest).toBeLessThan(WORST_CASE_MS);
    expect(logs.filter((line) => line.msg === 'unexpected error while executing a request')).toEqual([]);
    expect(await status('/health')).toBe(200);
  }, 90_000);
});
