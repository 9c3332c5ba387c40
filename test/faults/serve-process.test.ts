// `refgraph serve` as a real process: JSON logs with a request id on every request line, the id
// echoed, Prometheus metrics, and SIGTERM draining an in-flight request before exiting 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

let child: ChildProcess;
let port: number;
let dataDir: string;
const lines: Record<string, unknown>[] = [];
let exit: Promise<number | null>;

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'refgraph-serve-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('refgraph did not start in 90 s')), 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ raw: line });
      }
      if (line.includes('refgraph is serving')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`refgraph exited early with ${code}`)));
  });
}, 120_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const url = (path: string) => `http://127.0.0.1:${port}${path}`;

describe('refgraph serve', () => {
  it('echoes x-request-id and logs JSON lines that carry it', async () => {
    const response = await fetch(url('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-req-42' },
      body: JSON.stringify({ query: '{ nope }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('test-req-42');
    const generated = await fetch(url('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Every line written while handling a request carries its id; each line is JSON with a level.
    expect(lines.every((line) => typeof line.level === 'number' && line.service === 'refgraph')).toBe(true);
  });

  it('serves Prometheus metrics: requests and latency by operation, errors, database pool', async () => {
    // A persisted query asked by its hash: an operation the server knows, so its name is a label.
    const query = 'query Profile { code(code: "A9597") { code } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const post = (body: unknown) =>
      fetch(url('/graphql'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post({ query, operationName: 'Profile', extensions });
    await post({ operationName: 'Profile', extensions });
    const text = await (await fetch(url('/metrics'))).text();
    expect(text).toMatch(/refgraph_graphql_requests_total\{operation="Profile",outcome="ok"\} 1/);
    expect(text).toMatch(/refgraph_graphql_request_duration_seconds_count\{operation="Profile"\} 1/);
    // The first, sent with its text by an anonymous client, counts as "other".
    expect(text).toMatch(/refgraph_graphql_requests_total\{operation="other",outcome="ok"\} 1/);
    expect(text).toMatch(/refgraph_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1/);
    expect(text).toMatch(/refgraph_db_pool_connections\{state="max"\} 10/);
    expect(text).toMatch(/refgraph_http_responses_total\{status="200"\}/);
    expect(text).toMatch(/refgraph_process_resident_memory_bytes/);
  });

  it('drains an in-flight request on SIGTERM, then exits 0', async () => {
    const body = JSON.stringify({ query: '{ code(code: "A9597") { code shortDescription } }' });
    const half = Math.floor(body.length / 2);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        url('/graphql'),
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after SIGTERM: the request is in flight when the signal lands.
      req.write(body.slice(0, half));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(half)), 500);
      }, 200);
    });
    const { status, text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      data: { code: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' } },
    });
    expect(await exit).toBe(0);
    expect(
      lines.some((line) => line.msg === 'stopping: draining in-flight requests' && line.signal === 'SIGTERM'),
    ).toBe(true);
  }, 60_000);
});
