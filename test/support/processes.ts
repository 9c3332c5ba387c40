// refgraph as real processes (`serve`, `postgres`) for the tests that need the real CLI: started with
// tsx from src/, their JSON log lines kept, stopped with SIGTERM (SIGKILL when a test gives up).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { until } from './until.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RefgraphProcess {
  child: ChildProcess;
  /** Every line written on standard output so far (JSON log lines, and `DATABASE_URL=...` for `postgres`). */
  lines: string[];
  /** Log lines parsed as JSON. */
  logs(): Record<string, unknown>[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `refgraph <command>` with `env` on top of this process's environment (config variables of the shell left out).
 */
export async function startRefgraph(
  command: 'serve' | 'postgres',
  env: Record<string, string>,
  readyLine: RegExp,
  timeoutMs = 90_000,
): Promise<RefgraphProcess> {
  const { DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', command], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', NODE_ENV: 'test', SEED_OFFICIAL_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let errors = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`refgraph ${command} did not start in ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}\n${errors}`),
        ),
      timeoutMs,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (readyLine.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `refgraph ${command} exited (${code}) before it was ready:\n${lines.slice(-20).join('\n')}\n${errors}`,
        ),
      );
    });
  });
  return {
    child,
    lines,
    logs: () =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface Gateway extends RefgraphProcess {
  port: number;
  url(path?: string): string;
  /** POST a GraphQL request; `headers` on top of JSON content type. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The value of one sample of /metrics (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** `refgraph serve` on a free port of 127.0.0.1, once it answers /ready. */
export async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const port = await freePort();
  const started = await startRefgraph(
    'serve',
    { ...env, PORT: String(port), HOST: '127.0.0.1' },
    /refgraph is serving GraphQL/,
  );
  const url = (path = '/graphql') => `http://127.0.0.1:${port}${path}`;
  await until(
    async () => (await fetch(url('/ready')).catch(() => undefined))?.status === 200,
    `gateway on ${port} to be ready`,
    30_000,
  );
  return {
    ...started,
    port,
    url,
    post: (body, headers = {}) =>
      fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    metric: async (name, labels = {}) => {
      const text = await (await fetch(url('/metrics'))).text();
      const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
      let total = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
        if (wanted.every((label) => line.includes(label))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return total;
    },
  };
}
