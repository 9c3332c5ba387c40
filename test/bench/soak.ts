// `npm run bench:soak [-- --seconds N --warmup W --rate R]`: refgraph serve (own embedded Postgres in
// a temp folder) under a steady rate of mixed queries: W s of warm-up (default 30: JIT, Prisma's
// plans, Yoga's caches, the pool), then N s measured (default 60). The server runs with
// --expose-gc and a probe (soak-probe.mjs) that reports memory after a full collection, so the
// figures compare live heap, not garbage waiting for the collector. Prints errors, non-2xx,
// latency, RSS and heapUsed after warm-up against the end (target: within 10 %), the samples
// taken every 10 s, then one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const seconds = option('seconds', 60);
const warmup = option('warmup', 30);
const rate = option('rate', 400);
const SAMPLE_EVERY_S = 10;

const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address() as { port: number };
    server.close(() => resolve(free));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'refgraph-soak-'));
const child = spawn(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', '--import', './test/bench/soak-probe.mjs', 'src/main.ts', 'serve'],
  {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  },
);

interface Memory {
  rssMb: number;
  heapUsedMb: number;
  /** Outside the JS heap: buffers, and the WebAssembly memory of Prisma's query compiler. */
  externalMb: number;
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
/** The server's memory right after a full garbage collection. */
function memory(): Promise<Memory> {
  return new Promise((resolve) => {
    child.once('message', (message: { memory: NodeJS.MemoryUsage }) =>
      resolve({
        rssMb: mb(message.memory.rss),
        heapUsedMb: mb(message.memory.heapUsed),
        externalMb: mb(message.memory.external),
      }),
    );
    child.send('memory');
  });
}

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

const PROFILE =
  'code shortDescription status coverage { status payer { name } } sitesOfService { setting } modifiers { whenToUse }';
const fixed = [
  { query: `query Profile { code(code: "A9597") { ${PROFILE} } }`, operationName: 'Profile' },
  { query: 'query List { codes(first: 20) { edges { node { code shortDescription } } } }', operationName: 'List' },
  {
    query: 'query Payers { placeOfService(code: "22") { name } modifier(code: "26") { code } }',
    operationName: 'Payers',
  },
];
// Besides the fixed questions, inputs clients choose: codes that do not exist (new cache
// keys for the response cache) and made-up operation names (metric labels), so caches keyed on
// client input show whether they stay bounded.
let n = 0;
function body(): string {
  n += 1;
  if (n % 2 === 0) return JSON.stringify(fixed[(n / 2) % fixed.length]);
  const code = `Z${String(n % 10_000).padStart(4, '0')}`;
  return JSON.stringify({
    query: `query Lookup${n % 5_000}($code: String!) { code(code: $code) { ${PROFILE} } }`,
    variables: { code },
    operationName: `Lookup${n % 5_000}`,
  });
}
const request = {
  method: 'POST' as const,
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }),
};
const load = (duration: number) =>
  autocannon({ url: base, connections: 20, overallRate: rate, duration, requests: [request] });

await load(warmup);
const afterWarmup = await memory();
const samples: Memory[] = [afterWarmup];
const sampler = setInterval(() => void memory().then((sample) => samples.push(sample)), SAMPLE_EVERY_S * 1000);
const result = await load(seconds);
clearInterval(sampler);
const end = await memory();
samples.push(end);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });

const pct = (from: number, to: number) => Math.round(((to - from) / from) * 1000) / 10;
// RSS after a collection still moves by ±10 % from one sample to the next (the allocator returns
// and takes pages); compare the medians of the first and last three samples, not two points.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rssStart = median(samples.slice(0, 3).map((sample) => sample.rssMb));
const rssFinish = median(samples.slice(-3).map((sample) => sample.rssMb));
const figures = {
  seconds,
  warmupSeconds: warmup,
  targetRate: rate,
  requests: result.requests.total,
  rps: Math.round(result.requests.average),
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  rssAfterWarmupMb: rssStart,
  rssEndMb: rssFinish,
  rssGrowthPct: pct(rssStart, rssFinish),
  heapAfterWarmupMb: afterWarmup.heapUsedMb,
  heapEndMb: end.heapUsedMb,
  heapGrowthPct: pct(afterWarmup.heapUsedMb, end.heapUsedMb),
  externalAfterWarmupMb: afterWarmup.externalMb,
  externalEndMb: end.externalMb,
  heapSamplesMb: samples.map((sample) => sample.heapUsedMb),
  rssSamplesMb: samples.map((sample) => sample.rssMb),
  pass: false,
};
figures.pass =
  figures.errors === 0 && figures.non2xx === 0 && figures.rssGrowthPct <= 10 && figures.heapGrowthPct <= 10;
process.stdout.write(
  `soak: ${figures.requests} requests in ${seconds} s after ${warmup} s warm-up (${figures.rps}/s, target ${rate}/s), errors ${figures.errors}, non-2xx ${figures.non2xx}, ` +
    `p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms; after GC: RSS (median of 3 samples) ${figures.rssAfterWarmupMb} -> ${figures.rssEndMb} MB (${figures.rssGrowthPct} %), ` +
    `heap ${figures.heapAfterWarmupMb} -> ${figures.heapEndMb} MB (${figures.heapGrowthPct} %), external ${figures.externalAfterWarmupMb} -> ${figures.externalEndMb} MB; heap every ${SAMPLE_EVERY_S} s: ${figures.heapSamplesMb.join(', ')} MB\n`,
);
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exitCode = figures.pass ? 0 : 1;
