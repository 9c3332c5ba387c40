// Stopping refgraph the ways it is stopped in service, each with ten requests held in flight (a
// table lock makes them wait in Postgres): SIGTERM to `npm start` (a process manager), SIGTERM and
// SIGINT to the whole process group (a terminal's Ctrl-C, `kill -- -<pgid>`), and SIGTERM to node
// running as PID 1 of its own PID namespace (a container). Each must answer every in-flight
// request, exit 0, and leave no Postgres of its own behind. A second process on the same DATA_DIR
// leaves the first one's Postgres running. And when Postgres itself is asked to stop (smart
// shutdown), refgraph lets go of its connections so it can, and /ready says so.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';
import { until } from '../support/until.js';

const ROOT = join(import.meta.dirname, '../..');
const IN_FLIGHT = 10;
const PROFILE = JSON.stringify({ query: '{ code(code: "A9597") { code shortDescription } }' });
const ANSWER = { data: { code: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' } } };
// Ten different lists, so that Prisma cannot batch them into one statement (it does for findUnique).
const listOf = (size: number) =>
  JSON.stringify({ query: `{ codes(first: ${size}) { edges { node { code shortDescription } } } }` });
const LIST_ANSWER = {
  data: { codes: { edges: [{ node: { code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' } }] } },
};

const dataDirs: string[] = [];
const children: ChildProcess[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'refgraph-signals-'));
  dataDirs.push(dir);
  return dir;
}

interface Running {
  child: ChildProcess;
  port: number;
  exit: Promise<number | null>;
  output: () => string;
}

/** Starts `command` (npm start, node dist/main.js, ...) and waits for "refgraph is serving". */
async function start(command: string, args: string[], dataDir: string, port?: number): Promise<Running> {
  const listenPort = port ?? (await freePort());
  const child = spawn(command, args, {
    cwd: ROOT,
    // Its own process group, as a terminal or a process manager gives it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(listenPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      SHUTDOWN_TIMEOUT_MS: '20000',
    },
  });
  children.push(child);
  let output = '';
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`refgraph did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('refgraph is serving')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => reject(new Error(`refgraph exited early (${code}):\n${output}`)));
  });
  return { child, port: listenPort, exit, output: () => output };
}

/** The embedded Postgres of a data directory: its postmaster pid and port, from postmaster.pid. */
function postmaster(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** A live process (a zombie waiting for its parent to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function databaseClient(dataDir: string): pg.Client {
  return new pg.Client({
    connectionString: `postgresql://postgres:refgraph-embedded@127.0.0.1:${postmaster(dataDir)!.port}/refgraph`,
  });
}

/**
 * Holds IN_FLIGHT profile requests in Postgres (behind a lock on code_version), runs `signal`,
 * lets them go once the drain has begun, and returns their answers.
 */
async function withRequestsInFlight(
  running: Running,
  dataDir: string,
  signal: () => void,
): Promise<{ status: number; body: unknown }[]> {
  const locker = databaseClient(dataDir);
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE code_version IN ACCESS EXCLUSIVE MODE');
  const answers = Array.from({ length: IN_FLIGHT }, (_, i) =>
    fetch(`http://127.0.0.1:${running.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: listOf(i + 1),
    }).then(
      async (response) => ({ status: response.status, body: await response.json() }),
      (error: Error) => ({ status: 0, body: error.message }),
    ),
  );
  // Watched from a connection of its own: inside the locker's transaction pg_stat_activity is a snapshot.
  const watcher = databaseClient(dataDir);
  await watcher.connect();
  await until(async () => {
    const { rows } = await watcher.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'refgraph'`,
    );
    return rows[0]!.waiting >= IN_FLIGHT;
  }, 'the requests to wait on the lock');
  await watcher.end();
  signal();
  await until(() => running.output().includes('stopping: draining in-flight requests'), 'the drain to begin');
  await locker.query('COMMIT');
  await locker.end();
  return Promise.all(answers);
}

/**
 * Live Postgres processes serving `dataDir`, by command line (postmaster.pid holds the pid as its
 * own PID namespace numbers it, which differs from ours in the container case).
 */
function postgresOf(dataDir: string): number[] {
  const found = spawnSync('pgrep', ['-f', `postgres -D ${join(dataDir, 'postgres')}`], { encoding: 'utf8' }).stdout;
  return found.split('\n').filter(Boolean).map(Number).filter(alive);
}

/** Stopped cleanly: every answer is the list, exit status 0, and no Postgres of its own is left. */
async function expectCleanStop(
  running: Running,
  answers: { status: number; body: unknown }[],
  dataDir: string,
): Promise<void> {
  expect(answers).toEqual(Array.from({ length: IN_FLIGHT }, () => ({ status: 200, body: LIST_ANSWER })));
  expect(await running.exit).toBe(0);
  expect(postgresOf(dataDir)).toEqual([]);
  expect(postmaster(dataDir)).toBeUndefined();
  expect(running.output()).toContain('stopping: draining in-flight requests');
}

beforeAll(() => {
  // `npm start` builds too; the PID-1 case runs the compiled server directly.
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  for (const dir of dataDirs) {
    for (const pid of postgresOf(dir)) process.kill(pid, 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('stopping refgraph with requests in flight', () => {
  // npm start runs in a process group of its own, as a terminal or a process manager gives it.
  it.each([
    ['SIGTERM to npm (a process manager)', (npm: ChildProcess): void => void npm.kill('SIGTERM')],
    ['SIGTERM to the process group', (npm: ChildProcess): void => void process.kill(-npm.pid!, 'SIGTERM')],
    ['SIGINT to the process group (Ctrl-C)', (npm: ChildProcess): void => void process.kill(-npm.pid!, 'SIGINT')],
  ] as const)(
    '%s under npm start: answers all, exits 0, stops its Postgres (which has a group of its own)',
    async (_name, signal) => {
      const dataDir = newDataDir();
      const running = await start('npm', ['start', '--silent'], dataDir);
      expect(postgresOf(dataDir)).toHaveLength(1);
      const answers = await withRequestsInFlight(running, dataDir, () => signal(running.child));
      await expectCleanStop(running, answers, dataDir);
    },
    180_000,
  );

  it('SIGTERM to node as PID 1 of its own PID namespace (a container): the same', async () => {
    const dataDir = newDataDir();
    const running = await start(
      'unshare',
      ['--pid', '--fork', '--kill-child', process.execPath, 'dist/main.js', 'serve'],
      dataDir,
    );
    const node = Number(execFileSync('pgrep', ['-P', String(running.child.pid)], { encoding: 'utf8' }).trim());
    // It is PID 1 where it runs.
    expect(readFileSync(`/proc/${node}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
    expect(postgresOf(dataDir)).toHaveLength(1);
    const answers = await withRequestsInFlight(running, dataDir, () => process.kill(node, 'SIGTERM'));
    await expectCleanStop(running, answers, dataDir);
  }, 180_000);
});

describe('two processes on one DATA_DIR', () => {
  it('the second reuses the running Postgres and leaves it up when it stops; the first stops it', async () => {
    const dataDir = newDataDir();
    const first = await start(process.execPath, ['dist/main.js', 'serve'], dataDir);
    const [pid] = postgresOf(dataDir);
    const second = await start(process.execPath, ['dist/main.js', 'serve'], dataDir);
    expect(second.output()).toContain('using the embedded PostgreSQL already running on DATA_DIR');
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(postgresOf(dataDir)).toEqual([pid]);
    const answer = await fetch(`http://127.0.0.1:${first.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: PROFILE,
    });
    expect(await answer.json()).toEqual(ANSWER);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 180_000);
});

describe('Postgres asked to stop (smart shutdown)', () => {
  it('refgraph turns unready and lets go of its connections, so Postgres can stop; then it stops cleanly itself', async () => {
    const dataDir = newDataDir();
    const running = await start(process.execPath, ['dist/main.js', 'serve'], dataDir);
    const base = `http://127.0.0.1:${running.port}`;
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: PROFILE,
    });
    expect(await answer.json()).toEqual(ANSWER);
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    const [pid] = postgresOf(dataDir);
    const asked = Date.now();
    process.kill(pid!, 'SIGTERM');
    await until(async () => (await fetch(`${base}/ready`)).status === 503, '/ready to answer 503', 5_000);
    // Smart shutdown waits for every session to end; it ends because refgraph let go of its own.
    await until(() => postgresOf(dataDir).length === 0, 'Postgres to stop', 15_000);
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(running.output()).toContain('PostgreSQL refuses new connections');

    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
  }, 180_000);
});
