// `npm start` on an embedded PostgreSQL: first start creates everything, a second start on the
// same DATA_DIR reuses it and loses nothing. Runs the real CLI as a child process.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphQLBody } from '../support/graphql.js';
import { freePort, type RefgraphProcess, startRefgraph } from '../support/processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'refgraph-serve-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started extends RefgraphProcess {
  port: number;
  ms: number;
}

async function start(): Promise<Started> {
  const port = await freePort();
  const begun = Date.now();
  const started = await startRefgraph(
    'serve',
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'development' },
    /refgraph is serving GraphQL/,
    60_000,
  );
  running.push(started.child);
  return { ...started, port, ms: Date.now() - begun };
}

async function query<T>(port: number, body: string): Promise<GraphQLBody<T>> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: body }),
  });
  return response.json() as Promise<GraphQLBody<T>>;
}

describe('refgraph serve on the embedded database', () => {
  it('starts, serves A9597, stops on SIGTERM, and restarts on the same data without reloading it', async () => {
    const first = await start();
    expect(first.lines.some((line) => line.includes('embedded PostgreSQL started'))).toBe(true);
    expect(first.lines.some((line) => line.includes('starter data loaded'))).toBe(true);
    expect(first.lines.find((line) => line.includes('refgraph is serving GraphQL'))).toContain(
      `http://localhost:${first.port}/graphql`,
    );
    type Answer = { code: { id: string; shortDescription: string } | null; releases: { id: string; name: string }[] };
    const before = await query<Answer>(
      first.port,
      '{ code(code: "A9597") { id shortDescription } releases { id name } }',
    );
    expect(before.data?.code?.shortDescription).toBe('Pet, dx, for tumor id, noc');
    const ready = await fetch(`http://127.0.0.1:${first.port}/ready`);
    expect(ready.status).toBe(200);
    const graphiql = await fetch(`http://127.0.0.1:${first.port}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('code(code: \\"A9597\\")');
    expect(await first.stop()).toBe(0);

    const second = await start();
    expect(second.lines.some((line) => line.includes('migrations applied'))).toBe(false);
    expect(second.lines.some((line) => line.includes('starter data loaded'))).toBe(false);
    const after = await query<Answer>(
      second.port,
      '{ code(code: "A9597") { id shortDescription } releases { id name } }',
    );
    // Same rows, same ids: nothing was reloaded or lost.
    expect(after.data).toEqual(before.data);
    expect(await second.stop()).toBe(0);
    console.log(`start-up: first ${first.ms} ms, second ${second.ms} ms`);
  }, 120_000);
});
