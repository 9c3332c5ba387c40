// Log lines written while serving a request carry that request's id, as `refgraph serve` runs:
// node:http, AsyncLocalStorage per request, the logger's mixin. Two requests in flight at once
// must not see each other's id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { useTestDatabase } from '../support/database.js';
import { freePort } from '../support/processes.js';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
}

const lines: LogLine[] = [];
let server: RunningServer;
const stop = new AbortController();
let base: string;

beforeAll(async () => {
  const { url } = await useTestDatabase();
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
  });
  const logger = createLogger(config.logLevel, {
    write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
  });
  server = await serve(config, logger, stop.signal);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  stop.abort('test');
  await server?.stopped;
});

const ask = (requestId: string, code: string) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query: `{ code(code: "${code}") { code } }` }),
  });

describe('request ids in the log', () => {
  it("marks each line written while serving a request with that request's id", async () => {
    const before = lines.length;
    const [a, b] = await Promise.all([ask('log-test-a', 'A9597'), ask('log-test-b', 'NOPE1')]);
    expect([a.headers.get('x-request-id'), b.headers.get('x-request-id')]).toEqual(['log-test-a', 'log-test-b']);
    expect(await a.json()).toEqual({ data: { code: { code: 'A9597' } } });

    // Yoga writes these debug lines from deep inside its pipeline, through our logger.
    const processing = lines.slice(before).filter((line) => line.msg === 'Processing GraphQL Parameters');
    expect(processing.map((line) => line.requestId).sort()).toEqual(['log-test-a', 'log-test-b']);
    const served = lines.slice(before).filter((line) => line.requestId !== undefined);
    expect(served.length).toBeGreaterThanOrEqual(4);
    expect(new Set(served.map((line) => line.requestId))).toEqual(new Set(['log-test-a', 'log-test-b']));
  });

  it('gives a request without x-request-id a fresh id, in the log and the response', async () => {
    const before = lines.length;
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      lines
        .slice(before)
        .filter((line) => line.msg === 'Processing GraphQL Parameters')
        .map((line) => line.requestId),
    ).toEqual([id]);
  });
});
