// `npm run bench:ingest`: how long loading the official files takes, and how much memory.
// Starts its own embedded PostgreSQL in a temporary folder (or uses the server of DATABASE_URL),
// and gives each scenario a fresh, migrated database with the starter data:
//   1. the Oct 2025 HCPCS CSV, then the same file again (nothing changes);
//   2. the Oct 2025 HCPCS XLSX, then again;
//   3. every file of ../shared/data with the ingest-dir logic, then the folder again.
// Each step runs in a process of its own (test/bench/ingest-step.ts), so its peak RSS is what a
// `refgraph ingest` process uses. Prints seconds and peak RSS per step, then one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createPrismaClient } from '../../src/db/client.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';

const DATA = process.env.REFGRAPH_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../../shared/data');
const HCPCS_2025_CSV = path.join(DATA, 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv');
const HCPCS_2025_XLSX = path.join(DATA, 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.xlsx');
const STEP_SCRIPT = path.join(import.meta.dirname, 'ingest-step.ts');

interface Step {
  step: string;
  seconds: number;
  /** Resident set size of the step's process before the load started (Node, tsx, Prisma). */
  rssBeforeMb: number;
  /** Peak resident set size of the step's process (getrusage maxRSS). */
  peakRssMb: number;
  detail: string;
}

const steps: Step[] = [];

/** Run one step in a fresh process (test/bench/ingest-step.ts) and record what it reports. */
function measure(step: string, databaseUrl: string, mode: 'file' | 'dir', target: string): void {
  const child = spawnSync(process.execPath, [...process.execArgv, STEP_SCRIPT, databaseUrl, mode, target], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${step} failed: ${child.stderr || child.stdout}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Omit<Step, 'step'>;
  steps.push({ step, ...result });
  process.stdout.write(
    `${step.padEnd(34)} ${result.seconds.toFixed(2).padStart(7)} s  peak RSS ${String(result.peakRssMb).padStart(4)} MB ` +
      `(${result.rssBeforeMb} MB before loading)  ${result.detail}\n`,
  );
}

/** A new database on the server, migrated and with the starter data; returns its URL. */
async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = `${serverUrl}/${name}`;
  await migrate(url);
  const db = createPrismaClient(url, { poolSize: 2 });
  await loadStarterData(db);
  await db.$disconnect();
  return url;
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).finally(() => admin.end());
}

async function main(): Promise<void> {
  let serverUrl: string;
  let stop = async () => {};
  let dataDir: string | undefined;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '';
    serverUrl = url.toString().replace(/\/$/, '');
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'refgraph-bench-'));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    serverUrl = server.serverUrl;
    stop = server.stop;
  }
  const names: string[] = [];
  const database = async () => {
    const name = `refgraph_bench_${process.pid}_${names.length}`;
    names.push(name);
    return freshDatabase(serverUrl, name);
  };
  try {
    for (const [label, file] of [
      ['HCPCS Oct 2025 CSV', HCPCS_2025_CSV],
      ['HCPCS Oct 2025 XLSX', HCPCS_2025_XLSX],
    ] as const) {
      const url = await database();
      measure(`load ${label}`, url, 'file', file);
      measure(`reload ${label}`, url, 'file', file);
    }
    const url = await database();
    measure('ingest-dir all shared files', url, 'dir', DATA);
    measure('ingest-dir again (all unchanged)', url, 'dir', DATA);
  } finally {
    for (const name of names) await dropDatabase(serverUrl, name).catch(() => {});
    await stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ bench: 'ingest', node: process.version, steps })}\n`);
}
main().catch((error: unknown) => {
  process.stderr.write(
    `bench:ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
