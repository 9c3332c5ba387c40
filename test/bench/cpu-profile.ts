// Summarises a V8 CPU profile (`node --cpu-prof`) as self time per function and per category
// (garbage collection, each npm package, Node's own code, refgraph's source files). For
// `npm run bench -- --cpu-prof`, and on its own: `tsx test/bench/cpu-profile.ts <file.cpuprofile> [skip ms]`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of the busy time (all but idle). */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  functions: Share[];
  categories: Share[];
}

/** dist/ mirrors src/ file by file (scripts/build.mjs): dist/db/client.js is src/db/client.ts. */
function sourceOf(url: string): string | undefined {
  if (url.includes('/node_modules/')) return undefined;
  const match = /\/dist\/(.+)\.js$/.exec(url);
  return match ? `src/${match[1]}.ts` : undefined;
}

function packageOf(url: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match?.[1];
}

export interface SummaryOptions {
  /** Functions listed. */
  top?: number;
  /** Leave out the first milliseconds of the profile (start-up, warm-up). */
  skipMs?: number;
}

export function summarizeCpuProfile(file: string, { top = 25, skipMs = 0 }: SummaryOptions = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // A sample's time is the delta to the next sample.
  const selfUs = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < skipMs * 1000) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }

  const functions = new Map<string, number>();
  const categories = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const source = sourceOf(url);
    const pkg = packageOf(url);
    const category =
      functionName === '(garbage collector)'
        ? 'garbage collection'
        : functionName === '(program)'
          ? 'V8/native (program)'
          : url.startsWith('wasm://')
            ? 'wasm (Prisma query compiler)'
            : source
              ? `refgraph ${source.split('/').slice(0, 3).join('/').replace(/\.ts$/, '')}`
              : pkg
                ? pkg
                : url.startsWith('node:')
                  ? 'node core'
                  : url === ''
                    ? 'V8 builtins and Node bindings (writev, JSON, ...)'
                    : url;
    categories.set(category, (categories.get(category) ?? 0) + us);
    const where = source
      ? `${source}:${lineNumber + 1}`
      : pkg
        ? pkg
        : url.startsWith('node:')
          ? `${url}:${lineNumber + 1}`
          : url.split('/').slice(-2).join('/');
    const key = `${functionName || '(anonymous)'}  ${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const shares = (map: Map<string, number>, limit: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: Math.round((us / busy) * 1000) / 10 }));
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    functions: shares(functions, top),
    categories: shares(categories, top),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [`CPU profile: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle`, '', 'self time by category:'];
  for (const share of summary.categories) lines.push(`  ${String(share.percent).padStart(5)}%  ${share.name}`);
  lines.push('', 'self time by function:');
  for (const share of summary.functions) lines.push(`  ${String(share.percent).padStart(5)}%  ${share.name}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx test/bench/cpu-profile.ts <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(
    `${formatSummary(summarizeCpuProfile(file, { top: 40, skipMs: Number(process.argv[3] ?? 0) }))}\n`,
  );
}
