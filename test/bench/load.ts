// Load generation for `npm run bench`: request files, wrk for closed-loop throughput (Debian's
// wrk uses far less CPU than a Node load tool, which matters when the load tool, the server and
// Postgres share two cores), and open-loop.mjs for latency at a fixed rate.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Rendered } from './questions.js';

const WRK_SCRIPT = path.join(import.meta.dirname, 'wrk/replay.lua');
const OPEN_LOOP = path.join(import.meta.dirname, 'open-loop.mjs');

/** Writes requests in the format replay.lua and open-loop.mjs read (see replay.lua). */
export function writeRequestFile(file: string, requests: readonly Rendered[]): void {
  const templates = new Map<string, number>();
  const lines: string[] = [];
  for (const request of requests) {
    const key = `${request.path}\t${request.head}\t${request.tail}`;
    if (/[\n\r]/.test(key) || /[\t\n\r]/.test(request.variables))
      throw new Error(`request not writable on one line: ${key.slice(0, 200)}`);
    let index = templates.get(key);
    if (index === undefined) {
      index = templates.size + 1;
      templates.set(key, index);
    }
    lines.push(`${index}\t${request.variables}`);
  }
  writeFileSync(file, `${templates.size}\n${[...templates.keys()].join('\n')}\n${lines.join('\n')}\n`);
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err || out}`)),
    );
  });
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Closed loop: `connections` connections, each sending its next request when the answer comes. */
export async function wrk(
  port: number,
  file: string,
  seconds: number,
  connections: number,
  threads = 1,
): Promise<LoadResult> {
  const out = await run('wrk', [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    WRK_SCRIPT,
    `http://127.0.0.1:${port}`,
    '--',
    file,
    String(threads),
  ]);
  const line = out.split('\n').find((l) => l.startsWith('WRK '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(4)) as Record<string, number>;
  return {
    requestsPerSecond: Math.round(r.requests! / (r.duration_us! / 1e6)),
    requests: r.requests!,
    p50Ms: round(r.p50_us! / 1000, 2),
    p99Ms: round(r.p99_us! / 1000, 2),
    maxMs: round(r.max_us! / 1000, 2),
    errors: r.connect_errors! + r.read_errors! + r.write_errors! + r.status_errors! + r.timeouts!,
  };
}

export interface OpenLoopResult {
  rate: number;
  sent: number;
  /** Measured requests answered (the warm-up's are not counted). */
  completed: number;
  /** Requests sent at the same rate before the measured ones, not counted in the latencies. */
  warmup: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** Requests still unanswered when the driver stopped waiting (counted in the latencies at that time). */
  unfinished: number;
}

/** Open loop: requests sent at `rate` per second on schedule, latency counted from the scheduled time. */
export async function openLoop(
  node: string,
  port: number,
  file: string,
  rate: number,
  seconds: number,
  warmupSeconds = 0,
): Promise<OpenLoopResult> {
  const out = await run(node, [
    OPEN_LOOP,
    `http://127.0.0.1:${port}`,
    file,
    String(rate),
    String(seconds),
    String(warmupSeconds),
  ]);
  const line = out.split('\n').find((l) => l.startsWith('OPENLOOP '));
  if (!line) throw new Error(`open-loop.mjs printed no result:\n${out}`);
  return JSON.parse(line.slice('OPENLOOP '.length)) as OpenLoopResult;
}
