// `refgraph ingest` and `refgraph ingest-dir` as a user runs them (child processes): one JSON line
// per file when stdout is not a terminal, exit status 1 with the file, place and reason on bad
// input, and a gateway that answers from the new release as soon as the load commits, both with
// DATABASE_URL and next to a running `npm start` on the same DATA_DIR.
import { execFile, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, type GraphQLBody } from '../support/graphql.js';
import { dataDir, dataFile } from '../ingest/support.js';
import { type Gateway, startGateway } from '../support/processes.js';

const run = promisify(execFile);
const folder = mkdtempSync(path.join(tmpdir(), 'refgraph-ingest-cli-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `refgraph <args>` with the given environment (DATABASE_URL or DATA_DIR). */
async function refgraph(args: string[], env: Record<string, string>): Promise<Result> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...base } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...base, NODE_ENV: 'development', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.skipIf(!dataDir)('refgraph ingest with DATABASE_URL', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase();
  });

  it('loads a file and prints one JSON line; the same file again changes nothing', async () => {
    const first = await refgraph(['ingest', 'nucc', dataFile('nucc240')], { DATABASE_URL: database.url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [summary, ...rest] = jsonLines(first.stdout);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({
      status: 'loaded',
      kind: 'nucc',
      release: '24.0',
      effectiveDate: '2024-01-01',
      added: 874,
      changed: 0,
    });
    expect(typeof summary!.seconds).toBe('number');

    const again = await refgraph(['ingest', 'nucc', dataFile('nucc240')], { DATABASE_URL: database.url });
    expect(jsonLines(again.stdout)).toEqual([expect.objectContaining({ status: 'unchanged', release: '24.0' })]);
  });

  it('loads a folder, oldest release first, skipping what it does not recognise; the gateway sees it at once', async () => {
    const dir = path.join(folder, 'drop');
    mkdirSync(dir);
    for (const name of ['nucc251', 'nucc240', 'modifiers'] as const)
      copyFileSync(dataFile(name), path.join(dir, path.basename(dataFile(name))));
    writeFileSync(path.join(dir, 'README.txt'), 'downloaded from cms.gov and nucc.org\n');

    const before = await graphql<{ taxonomy: { displayName: string | null } | null }>(
      `{ taxonomy(code: "146E00000X") { displayName } }`,
    );
    expect(before.data?.taxonomy).toBeNull();

    const result = await refgraph(['ingest-dir', dir], { DATABASE_URL: database.url });
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.slice(0, -1).map((l) => [l.kind, l.release, l.status])).toEqual([
      ['nucc', '24.0', 'unchanged'],
      ['modifiers', '2025-10', 'loaded'],
      ['nucc', '25.1', 'loaded'],
    ]);
    expect(lines.at(-1)).toMatchObject({
      files: 3,
      loaded: 2,
      unchanged: 1,
      skipped: [{ file: path.join(dir, 'README.txt') }],
    });

    const after = await graphql<{ taxonomy: { code: string; release: { name: string } } | null }>(
      `{ taxonomy(code: "146E00000X") { code release { name } } }`,
    );
    expect(after.data?.taxonomy).toEqual({ code: '146E00000X', release: { name: '25.1' } });
  });

  it('exits with status 1 and names the file and the reason on bad input', async () => {
    const empty = path.join(folder, 'HCPC2025_OCT_empty.csv');
    writeFileSync(empty, '');
    const result = await refgraph(['ingest', 'hcpcs', empty], { DATABASE_URL: database.url });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`refgraph: ${empty}: file is empty\n`);

    const badDate = await refgraph(['ingest', 'pos', dataFile('posCsv'), '--effective', '2024-02-30'], {
      DATABASE_URL: database.url,
    });
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('"2024-02-30" is not a date in the form YYYY-MM-DD');
  });
});

describe.skipIf(!dataDir)(
  'refgraph ingest next to a running npm start on the same DATA_DIR',
  { timeout: 120_000 },
  () => {
    // A folder of its own: the embedded server's `postgres` user must be able to enter it.
    const dataDirectory = mkdtempSync(path.join(tmpdir(), 'refgraph-ingest-serve-'));
    let server: Gateway;

    beforeAll(async () => {
      server = await startGateway({ DATA_DIR: dataDirectory, NODE_ENV: 'development' });
      children.push(server.child);
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    });

    const query = async <T>(body: string) => (await (await server.post({ query: body })).json()) as GraphQLBody<T>;

    it('uses the running embedded PostgreSQL, and the gateway answers from the new release once the load commits', async () => {
      const jw = `{ modifier(code: "JW") { code release { name } } }`;
      type Answer = { modifier: { code: string; release: { name: string } } | null };
      expect((await query<Answer>(jw)).data?.modifier).toBeNull();

      const result = await refgraph(['ingest', 'modifiers', dataFile('modifiers')], { DATA_DIR: dataDirectory });
      expect(result.code).toBe(0);
      expect(jsonLines(result.stdout)).toEqual([
        expect.objectContaining({ status: 'loaded', kind: 'modifiers', release: '2025-10' }),
      ]);

      expect((await query<Answer>(jw)).data?.modifier).toEqual({ code: 'JW', release: { name: '2025-10' } });
      // The gateway still runs on its own server: the CLI did not stop it.
      // The starter release of modifiers gave way to the official one.
      expect(
        (
          await query<{ releases: { name: string; origin: string }[] }>(
            `{ releases(system: MODIFIER) { name origin } }`,
          )
        ).data?.releases,
      ).toEqual([{ name: '2025-10', origin: 'OFFICIAL' }]);
    });
  },
);
