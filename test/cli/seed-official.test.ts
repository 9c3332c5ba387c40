// The first start serves the official data (issue 11): `serve` on a fresh DATA_DIR answers /health
// at once and /ready 503 with the seed's progress; SIGTERM in the middle of a load rolls that load
// back and exits 0; the next start loads what is missing (never what is in), and the one after
// loads nothing. The only test that lets serve seed (vitest.config.ts turns it off everywhere else).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphQLBody } from '../support/graphql.js';
import { freePort } from '../support/processes.js';
import { sharedDataDir } from '../support/shared-data.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'refgraph-seed-'));
const running: ChildProcess[] = [];
const shared = sharedDataDir();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcess;
  port: number;
  log: string[];
  started: number;
  exited: Promise<number | null>;
}

function serve(port: number): Server {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      SEED_OFFICIAL_DATA: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const log: string[] = [];
  // By line: a chunk can end inside a JSON log line.
  createInterface({ input: child.stdout! }).on('line', (line) => log.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => log.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, log, started: Date.now(), exited };
}

async function until<T>(
  what: string,
  server: Server,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`serve exited while waiting for ${what}:\n${server.log.join('\n')}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}:\n${server.log.join('\n')}`);
}

const get = (server: Server, path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

async function query<T>(server: Server, body: string): Promise<T | undefined> {
  const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: body }),
  });
  return ((await response.json()) as GraphQLBody<T>).data;
}

async function whenReady(server: Server): Promise<number> {
  await until(
    '/ready 200',
    server,
    async () => ((await get(server, '/ready')).status === 200 ? true : undefined),
    180_000,
  );
  return Date.now() - server.started;
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

describe('the first start on a fresh DATA_DIR', () => {
  it('seeds the official files, survives a stop in the middle of a load, and never loads a file twice', async () => {
    // 1. First start: /health at once, /ready 503 with progress; stopped while the October 2025 file loads.
    const first = serve(await freePort());
    await until('the server to listen', first, async () =>
      (await get(first, '/health')).status === 200 ? true : undefined,
    );
    const progress = await until('the seed to write the October 2025 file', first, async () => {
      const ready = await get(first, '/ready');
      if (ready.status !== 503) return undefined;
      const body = (await ready.json()) as { seed?: { current?: { file: string; phase: string; done: number } } };
      const current = body.seed?.current;
      return current?.file === 'HCPC2025_OCT_ANWEB_v4.xlsx' && current.phase === 'write' && current.done > 0
        ? body
        : undefined;
    });
    expect(progress).toMatchObject({ ready: false, seed: { state: 'loading', files: 4, filesDone: 1 } });
    // GraphQL answers meanwhile, from what is committed.
    expect(await query(first, '{ code(code: "A9597") { code } }')).toEqual({ code: { code: 'A9597' } });
    const stoppedAt = Date.now();
    expect(await stop(first)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(first.log.join('\n')).toContain('official data load stopped and rolled back');

    // 2. The next start loads what is missing, from the file that was cut short on.
    const second = serve(await freePort());
    const secondMs = await whenReady(second);
    const loaded = second.log.find((line) => line.includes('official data loaded'));
    expect((JSON.parse(loaded!) as { loaded: string[] }).loaded).toEqual([
      'HCPCS 2025-10',
      'PLACE_OF_SERVICE 2024-08',
      'OPPS 2026-04',
    ]);
    type Release = { name: string; system: { kind: string } };
    type Seeded = {
      codes: { totalCount: number };
      releases: (Release & { origin: string; sourceFile: string | null; sha256: string | null })[];
      october: { totalCount: number };
      code: {
        history: { release: { name: string } }[];
        clinicalContext: { scenario: string } | null;
        serviceType: string | null;
      } | null;
      modifier: { release: Release } | null;
      placeOfService: { name: string; release: { name: string } } | null;
    };
    const data = (await query<Seeded>(
      second,
      `{ codes(first: 1) { totalCount }
         releases { name origin sourceFile sha256 system { kind } }
         october: codes(first: 1, filter: { release: "2025-10" }) { totalCount }
         code(code: "A9597") { history { release { name } } clinicalContext { scenario } serviceType }
         modifier(code: "JW") { release { name system { kind } } }
         placeOfService(code: "66") { name release { name } } }`,
    ))!;
    expect(data.codes.totalCount).toBe(8463);
    expect(data.october.totalCount).toBe(8463);
    expect(data.releases.map((r) => `${r.system.kind} ${r.name} ${r.origin}`)).toEqual([
      'OPPS 2026-04 OFFICIAL',
      'MODIFIER 2025-10 OFFICIAL',
      'HCPCS 2025-10 OFFICIAL',
      'PLACE_OF_SERVICE 2024-08 OFFICIAL',
      'MODIFIER 2019 OFFICIAL',
      'HCPCS 2019 OFFICIAL',
    ]);
    // The release records the hash of the file as CMS publishes it (the .txt inside the shipped .gz).
    expect(data.releases.find((r) => r.system.kind === 'HCPCS' && r.name === '2019')).toMatchObject({
      sourceFile: 'HCPC2019_CONTR_ANWEB.txt',
      sha256: 'c8e38e89b9b4d47dd81bea6924b8e9005f3494a89234fe28b534a7c17c3c6f12',
    });
    // No starter release in history; the starter data's curated facts stay.
    expect(data.code?.history.map((v) => v.release.name)).toEqual(['2019', '2025-10']);
    expect(data.code?.clinicalContext?.scenario).toMatch(/colorectal cancer/);
    expect(data.modifier).toEqual({ release: { name: '2025-10', system: { kind: 'MODIFIER' } } });
    expect(data.placeOfService).toEqual({
      name: 'PROGRAMS OF ALL INCLUSIVE CARE FOR THE ELDERLY (PACE) CENTER',
      release: { name: '2024-08' },
    });

    // /metrics: each system's newest effective date, for an alert on stale data.
    const metrics = await (await get(second, '/metrics')).text();
    expect(metrics).toContain(
      `refgraph_release_newest_effective_date_seconds{system="HCPCS"} ${Date.UTC(2025, 9, 1) / 1000}`,
    );
    expect(metrics).toContain(
      `refgraph_release_newest_effective_date_seconds{system="OPPS"} ${Date.UTC(2026, 3, 1) / 1000}`,
    );

    // A steward who downloads the same CMS file later is told it is loaded already.
    if (shared) {
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/main.ts',
          'ingest',
          'hcpcs',
          join(shared, 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.xlsx'),
        ],
        { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
      );
      expect(JSON.parse(stdout)).toMatchObject({
        status: 'unchanged',
        release: '2025-10',
        extra: { loadedFrom: 'HCPC2025_OCT_ANWEB_v4.xlsx' },
      });
    }
    expect(await stop(second)).toBe(0);

    // 3. A start with everything in loads nothing, and is ready about as fast as before issue 11.
    const third = serve(await freePort());
    const thirdMs = await whenReady(third);
    expect(third.log.some((line) => line.includes('official data already in place'))).toBe(true);
    expect(await stop(third)).toBe(0);
    console.log(`seed: second start (three files) ready after ${secondMs} ms, third start after ${thirdMs} ms`);
  }, 600_000);
});
