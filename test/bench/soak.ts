// `npm run bench:soak [-- --seconds N --rate R]`: refgraph serve (own embedded Postgres in a temp
// folder) under a steady rate of mixed queries for 60 s. Prints errors, non-2xx, latency, and the
// server's RSS after a 10 s warm-up against the end (target: within 10 %), then one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const seconds = option('seconds', 60);
const rate = option('rate', 400);
const warmup = Math.min(10, Math.floor(seconds / 3));

const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address() as { port: number };
    server.close(() => resolve(free));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'refgraph-soak-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;

const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i += 1) {
  try {
    if ((await fetch(`${base}/ready`)).status === 200) break;
  } catch {
    // not listening yet
  }
  if (i > 600) throw new Error('refgraph did not become ready');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const queries = [
  { query: 'query Profile { code(code: "A9597") { code shortDescription status coverage { status payer { name } } sitesOfService { setting } modifiers { whenToUse } } }', operationName: 'Profile' },
  { query: 'query List { codes(first: 20) { edges { node { code shortDescription } } } }', operationName: 'List' },
  { query: 'query Payers { placeOfService(code: "22") { name } modifier(code: "26") { code } }', operationName: 'Payers' },
];
const requests = queries.map((body) => ({ method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));

let rssAfterWarmup = 0;
const warmupTimer = setTimeout(() => (rssAfterWarmup = rssMb()), warmup * 1000);
const result = await autocannon({ url: base, connections: 20, overallRate: rate, duration: seconds, requests });
clearTimeout(warmupTimer);
const rssEnd = rssMb();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });

const growth = rssAfterWarmup ? (rssEnd - rssAfterWarmup) / rssAfterWarmup : 0;
const figures = {
  seconds,
  targetRate: rate,
  requests: result.requests.total,
  rps: Math.round(result.requests.average),
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  rssAfterWarmupMb: Math.round(rssAfterWarmup),
  rssEndMb: Math.round(rssEnd),
  rssGrowthPct: Math.round(growth * 1000) / 10,
  pass: result.errors + result.timeouts === 0 && result.non2xx === 0 && growth <= 0.1,
};
process.stdout.write(
  `soak: ${figures.requests} requests in ${seconds} s (${figures.rps}/s, target ${rate}/s), errors ${figures.errors}, non-2xx ${figures.non2xx}, ` +
    `p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms, RSS ${figures.rssAfterWarmupMb} MB after ${warmup} s warm-up -> ${figures.rssEndMb} MB at the end (${figures.rssGrowthPct} %)\n`,
);
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exitCode = figures.pass ? 0 : 1;
